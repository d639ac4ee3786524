"""Reads for approvals: the inbox and the approvals of one record."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from approvals.models import ApprovalDecision, ApprovalRequest, ApprovalState, ApprovalStep


def approvals_waiting_for(*, user) -> QuerySet[ApprovalStep]:
    """Active steps this user may decide and has not decided yet."""
    if not user.is_authenticated or not user.is_active:
        return ApprovalStep.objects.none()
    qs = ApprovalStep.objects.filter(
        state=ApprovalState.PENDING, activated_at__isnull=False, request__state=ApprovalState.PENDING
    )
    if not user.is_superuser:
        groups = list(user.groups.values_list("name", flat=True))
        qs = qs.filter(Q(users=user) | Q(group__in=groups))
    return (
        qs.exclude(decisions__approver=user)
        .select_related("request", "request__content_type")
        .distinct()
        .order_by("activated_at", "id")
    )


def approvals_for(*, target) -> QuerySet[ApprovalRequest]:
    return (
        ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )
        .prefetch_related(
            Prefetch("steps", queryset=ApprovalStep.objects.prefetch_related("users")),
            Prefetch("steps__decisions", queryset=ApprovalDecision.objects.select_related("approver")),
        )
        .order_by("-created_at", "-id")
    )


def approvals_prefetch(relation: str = "approval_requests") -> list:
    """Prefetches for a list of records with `approval_requests = GenericRelation(ApprovalRequest)`."""
    return [
        Prefetch(relation, queryset=ApprovalRequest.objects.order_by("created_at", "id")),
        Prefetch(f"{relation}__steps", queryset=ApprovalStep.objects.order_by("order", "id")),
        Prefetch(f"{relation}__steps__decisions", queryset=ApprovalDecision.objects.order_by("created_at")),
    ]


def approval_data(request: ApprovalRequest) -> dict:
    """The API shape of one approval request (uses prefetched steps and decisions)."""
    return {
        "id": request.pk,
        "state": request.state,
        "reason": request.reason,
        "steps": [
            {
                "id": step.pk,
                "name": step.name,
                "group": step.group,
                "mode": step.mode,
                "state": step.state,
                "decisions": [
                    {
                        "approver": d.approver_id,
                        "decision": d.decision,
                        "comment": d.comment,
                        "at": d.created_at,
                    }
                    for d in step.decisions.all()
                ],
            }
            for step in request.steps.all()
        ],
    }
