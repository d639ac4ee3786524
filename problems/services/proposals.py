"""Recurring incidents → problem proposals that agents accept or dismiss."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import is_agent
from core.services.audit import audit_record, audit_snapshot
from incidents.choices import State as IncidentState
from incidents.models import Incident
from problems.choices import ProposalState
from problems.models import Problem, ProblemProposal, ProposalIncident
from problems.search.tokenize import tokenize
from problems.services.lifecycle import problem_create

WINDOW_DAYS = 14
MIN_INCIDENTS = 3
MIN_SIMILARITY = 0.3  # Jaccard similarity of two incidents' token sets
MAX_PER_GROUP = 500  # newest incidents compared per service and category (pairs grow quadratically)
MAX_SHARED_TERMS = 8


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _clusters(token_sets: list[set[str]], min_similarity: float) -> tuple[list[list[int]], dict]:
    """Single-linkage clusters: incidents joined by any pair at or above the similarity threshold."""
    parent = list(range(len(token_sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pair_scores: dict[int, list[float]] = defaultdict(list)
    for i in range(len(token_sets)):
        for j in range(i + 1, len(token_sets)):
            score = jaccard(token_sets[i], token_sets[j])
            if score >= min_similarity:
                parent[find(i)] = find(j)
                pair_scores[i].append(score)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(token_sets)):
        groups[find(i)].append(i)
    return list(groups.values()), pair_scores


def _shared_terms(token_sets: list[set[str]]) -> list[str]:
    counts = Counter(term for tokens in token_sets for term in tokens)
    needed = max(2, (len(token_sets) + 1) // 2)
    return [term for term, n in counts.most_common() if n >= needed][:MAX_SHARED_TERMS]


def problem_proposals_detect(
    *,
    now=None,
    window_days: int = WINDOW_DAYS,
    min_incidents: int = MIN_INCIDENTS,
    min_similarity: float = MIN_SIMILARITY,
) -> list[ProblemProposal]:
    """Find clusters of similar incidents (same service and category, shared terms, within the window,
    none linked to a problem) and propose a problem for each. Safe to run twice: an incident joins at most
    one proposal, so a dismissed cluster is never proposed again."""
    now = now or timezone.now()
    in_proposal = ProposalIncident.objects.filter(incident_id=OuterRef("pk"))
    rows = (
        Incident.objects.filter(
            created_at__gte=now - timedelta(days=window_days),
            created_at__lte=now,
            problem__isnull=True,
            service__isnull=False,
            category__isnull=False,
        )
        .exclude(state=IncidentState.CANCELLED)
        .exclude(Exists(in_proposal))
        .order_by("service_id", "category_id", "-created_at", "-id")
        .values("id", "number", "title", "description", "service_id", "category_id", "created_at")
    )
    groups: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in rows.iterator(chunk_size=2000):
        group = groups[(row["service_id"], row["category_id"])]
        if len(group) < MAX_PER_GROUP:
            group.append(row)
    created = []
    for (service_id, category_id), members in groups.items():
        if len(members) < min_incidents:
            continue
        token_sets = [set(tokenize(f"{m['title']}\n{m['description']}")) for m in members]
        clusters, pair_scores = _clusters(token_sets, min_similarity)
        for cluster in clusters:
            if len(cluster) < min_incidents:
                continue
            cluster.sort(key=lambda i: (members[i]["created_at"], members[i]["id"]))
            # Evidence from the titles where they share words (descriptions carry boilerplate).
            shared = _shared_terms([set(tokenize(members[i]["title"])) for i in cluster]) or _shared_terms(
                [token_sets[i] for i in cluster]
            )
            if not shared:
                continue
            scores = [s for i in cluster for s in pair_scores.get(i, [])]
            proposal = _propose(
                service_id=service_id,
                category_id=category_id,
                incidents=[members[i] for i in cluster],
                shared=shared,
                similarity=round(sum(scores) / len(scores), 3) if scores else 0.0,
                window_days=window_days,
                min_similarity=min_similarity,
                now=now,
            )
            if proposal is not None:
                created.append(proposal)
    return created


def _propose(*, service_id, category_id, incidents, shared, similarity, window_days, min_similarity, now):
    common_title = Counter(i["title"] for i in incidents).most_common(1)[0][0]
    title = _("Recurring: %(title)s (%(count)d incidents in %(days)d days)") % {
        "title": common_title,
        "count": len(incidents),
        "days": window_days,
    }
    try:
        with transaction.atomic():
            proposal = ProblemProposal.objects.create(
                title=title[:200],
                service_id=service_id,
                category_id=category_id,
                shared_terms=shared,
                evidence={
                    "window_days": window_days,
                    "min_similarity": min_similarity,
                    "similarity": similarity,
                    "incidents": [
                        {
                            "id": i["id"],
                            "number": i["number"],
                            "title": i["title"],
                            "created_at": i["created_at"].isoformat(),
                        }
                        for i in incidents
                    ],
                },
                created_at=now,
            )
            ProposalIncident.objects.bulk_create(
                [ProposalIncident(proposal=proposal, incident_id=i["id"]) for i in incidents]
            )
    except IntegrityError:
        return None  # another run proposed some of these incidents meanwhile
    return proposal


def _lock_pending(proposal: ProblemProposal) -> ProblemProposal:
    locked = ProblemProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state != ProposalState.PENDING:
        raise ValidationError(
            {
                "state": [
                    _("This proposal was already %(state)s.") % {"state": locked.get_state_display().lower()}
                ]
            },
            code="decided",
        )
    return locked


def problem_proposal_accept(*, actor, proposal: ProblemProposal, title: str = "", owner_team=None) -> Problem:
    """Open the proposed problem with the incidents attached (those not linked elsewhere meanwhile)."""
    if not is_agent(actor):
        raise PermissionDenied
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        before = audit_snapshot(proposal)
        incidents = list(
            Incident.objects.filter(
                pk__in=proposal.members.values("incident_id"), problem__isnull=True
            ).order_by("created_at", "id")
        )
        service = proposal.service
        numbers = ", ".join(i["number"] for i in proposal.evidence.get("incidents", []))
        problem = problem_create(
            actor=actor,
            title=(title or proposal.title).strip(),
            description=_(
                "Proposed from recurring incidents %(numbers)s. Shared terms: %(terms)s. "
                "Mean similarity %(similarity)s."
            )
            % {
                "numbers": numbers,
                "terms": ", ".join(proposal.shared_terms),
                "similarity": proposal.evidence.get("similarity", "—"),
            },
            symptoms="\n".join(dict.fromkeys(i.title for i in incidents)),
            services=[service] if service else (),
            category=proposal.category,
            owner_team=owner_team or (service.support_team if service else None),
            incidents=incidents,
        )
        proposal.state = ProposalState.ACCEPTED
        proposal.problem = problem
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "problem", "decided_by", "decided_at"])
        audit_record(obj=proposal, actor=actor, before=before)
    return problem


def problem_proposal_dismiss(*, actor, proposal: ProblemProposal) -> ProblemProposal:
    """Not a problem: the incidents are never proposed again."""
    if not is_agent(actor):
        raise PermissionDenied
    with transaction.atomic():
        proposal = _lock_pending(proposal)
        before = audit_snapshot(proposal)
        proposal.state = ProposalState.DISMISSED
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "decided_by", "decided_at"])
        audit_record(obj=proposal, actor=actor, before=before)
    return proposal
