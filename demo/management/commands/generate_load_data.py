"""Bulk data for benchmarks: N incidents over a year across 20 teams, with their SLA clocks.

Rows are written with bulk_create, not through the services: the point is volume, fast. Everything a
benchmark request then does (list, queue, create) goes through the normal code paths.
"""

import json
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.models import NumberSequence
from core.roles import AGENTS
from demo.load_text import symptom_words
from incidents.models import Incident
from org.models import Service, Team
from sla.models import BusinessCalendar, SlaClock, SlaPolicy

TARGETS = {1: (15, 240), 2: (30, 480), 3: (60, 1440), 4: (120, 2880), 5: (240, 4320)}
BATCH = 2000
BENCH_CREATE_TITLE = "Bench incident "  # bench/run.py's create scenario


class Command(BaseCommand):
    help = "Generate load-test data: --incidents N (idempotent: only tops up to N)."

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, default=100_000)
        parser.add_argument("--known-errors", type=int, default=0, help="published known errors (KEDB)")
        parser.add_argument("--json", action="store_true", help="print what a benchmark needs as JSON")

    def handle(self, *args, incidents, known_errors: int = 0, json: bool = False, **options):
        setup = self._setup()
        # What an earlier run's create scenario added: removed, so every run measures the same queues.
        Incident.objects.filter(title__startswith=BENCH_CREATE_TITLE).delete()
        existing = Incident.objects.filter(title__startswith="Load ").count()
        if existing < incidents:
            self._generate(incidents - existing, setup)
        if known_errors:
            from demo.load_known_errors import generate_known_errors

            generate_known_errors(count=known_errors, requester=setup["agent"], service=setup["service"])
        if connection.vendor == "postgresql":
            # Fresh bulk rows: refresh planner statistics and the visibility map (index-only scans),
            # as autovacuum would shortly after such a load.
            with connection.cursor() as cursor:
                for table in (Incident._meta.db_table, SlaClock._meta.db_table, "problems_problem"):
                    cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - model table names
        info = {
            "incidents": Incident.objects.count(),
            "token": setup["token"],
            "session": setup["session"],
            "team": setup["teams"][0].pk,
            "service": setup["service"].pk,
        }
        if known_errors:
            info["suggest_path"] = (
                "/api/v1/known-errors/?q=vpn+disconnects+every+few+minutes+after+login&page_size=10"
            )
        self.stdout.write(_dumps(info) if json else f"{info['incidents']} incidents ready")

    @transaction.atomic
    def _setup(self):
        User = get_user_model()
        agent, _ = User.objects.get_or_create(username="bench-agent", defaults={"email": "bench@example.com"})
        agent.groups.add(Group.objects.get(name=AGENTS))
        teams = []
        for n in range(20):
            team, _ = Team.objects.get_or_create(name=f"Load team {n:02d}")
            teams.append(team)
        teams[0].members.add(agent)
        service, _ = Service.objects.get_or_create(name="Load service", defaults={"support_team": teams[0]})
        calendar, _ = BusinessCalendar.objects.get_or_create(
            name="Load 24x7", defaults={"timezone": "UTC", "is_24x7": True}
        )
        policies = {}
        for priority, (response, resolution) in TARGETS.items():
            policies[priority], _ = SlaPolicy.objects.get_or_create(
                name=f"Load P{priority}",
                defaults={
                    "applies_to": "incident",
                    "priority": priority,
                    "service": service,
                    "response_minutes": response,
                    "resolution_minutes": resolution,
                    "calendar": calendar,
                },
            )
        token, _ = Token.objects.get_or_create(user=agent)
        session = SessionStore()
        session[SESSION_KEY] = str(agent.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = agent.get_session_auth_hash()
        session.create()
        requesters = []
        for n in range(50):
            user, _ = User.objects.get_or_create(username=f"load-user-{n:02d}")
            requesters.append(user)
        return {
            "agent": agent,
            "teams": teams,
            "service": service,
            "policies": policies,
            "token": token.key,
            "session": session.session_key,
            "requesters": requesters,
        }

    def _generate(self, count, setup):
        rng = random.Random(42)  # noqa: S311 - reproducible synthetic data
        now = timezone.now()
        ct = ContentType.objects.get_for_model(Incident)
        seq, _ = NumberSequence.objects.get_or_create(prefix=Incident.NUMBER_PREFIX)
        NumberSequence.objects.filter(pk=seq.pk).update(last_value=F("last_value") + count)
        first_number = seq.last_value + 1
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            rows = []
            for i in range(size):
                n = first_number + done + i
                created = now - timedelta(minutes=rng.randint(1, 365 * 24 * 60))
                impact, urgency = rng.randint(1, 3), rng.randint(1, 3)
                priority = {2: 1, 3: 2, 4: 3, 5: 4, 6: 5}[impact + urgency]
                state = rng.choices(
                    ["new", "in_progress", "on_hold", "resolved", "closed"], weights=[1, 3, 1, 5, 90]
                )[0]
                response_min, resolution_min = TARGETS[priority]
                resolved = (
                    created + timedelta(minutes=rng.randint(10, resolution_min * 2))
                    if state in ("resolved", "closed")
                    else None
                )
                responded = (
                    created + timedelta(minutes=rng.randint(1, response_min * 2)) if state != "new" else None
                )
                team = setup["teams"][rng.randrange(len(setup["teams"]))]
                due = created + timedelta(minutes=resolution_min) if state in ("new", "in_progress") else None
                if state == "new":
                    due = created + timedelta(minutes=response_min)
                words, chinese = symptom_words(rng, 8)
                rows.append(
                    Incident(
                        number=f"INC{n:07d}",
                        title=f"Load incident {n}: {chinese or ' '.join(words[:3])}",
                        description=f"{' '.join(words)}{'，' + chinese if chinese else ''}. Users report it since this morning.",
                        requester=setup["requesters"][rng.randrange(50)],
                        created_at=created,
                        impact=impact,
                        urgency=urgency,
                        priority=priority,
                        state=state,
                        hold_reason="awaiting_vendor" if state == "on_hold" else "",
                        service=setup["service"],
                        assignment_group=team,
                        first_assignment_group=team,
                        responded_at=responded,
                        resolved_at=resolved,
                        closed_at=resolved + timedelta(days=7) if state == "closed" and resolved else None,
                        resolution_code="solved_permanently" if resolved else "",
                        resolution_notes="Synthetic." if resolved else "",
                        sla_due_at=due,
                        sla_breached=bool(due and due < now),
                    )
                )
            with transaction.atomic():
                created_rows = Incident.objects.bulk_create(rows, batch_size=BATCH)
                if created_rows and created_rows[0].pk is None:  # SQLite before RETURNING support
                    created_rows = list(Incident.objects.filter(number__in=[r.number for r in rows]))
                SlaClock.objects.bulk_create(
                    [
                        clock
                        for inc in created_rows
                        for clock in _clocks(inc, ct, setup["policies"][inc.priority], now)
                    ],
                    batch_size=BATCH,
                )
            done += size
            self.stderr.write(f"  {done}/{count} incidents")


def _clocks(incident, ct, policy, now):
    response_s, resolution_s = policy.response_minutes * 60, policy.resolution_minutes * 60
    open_ = incident.state in ("new", "in_progress", "on_hold")
    common = {
        "content_type": ct,
        "object_id": incident.pk,
        "policy": policy,
        "started_at": incident.created_at,
    }
    response_end = incident.responded_at
    response = SlaClock(
        kind="response",
        target_seconds=response_s,
        elapsed_seconds=int((response_end - incident.created_at).total_seconds()) if response_end else 0,
        segment_started_at=None if response_end else incident.created_at,
        stopped_at=response_end,
        due_at=None if response_end else incident.created_at + timedelta(seconds=response_s),
        next_check_at=None if response_end else incident.created_at + timedelta(seconds=response_s // 2),
        state="met"
        if response_end and (response_end - incident.created_at).total_seconds() <= response_s
        else ("running" if not response_end else "breached"),
        **common,
    )
    end = incident.resolved_at
    elapsed = int(((end or now) - incident.created_at).total_seconds())
    resolution = SlaClock(
        kind="resolution",
        target_seconds=resolution_s,
        elapsed_seconds=elapsed if not open_ or incident.state == "on_hold" else 0,
        segment_started_at=incident.created_at if incident.state in ("new", "in_progress") else None,
        stopped_at=end if not open_ else None,
        due_at=incident.created_at + timedelta(seconds=resolution_s)
        if incident.state in ("new", "in_progress")
        else None,
        state=("paused" if incident.state == "on_hold" else "running")
        if open_
        else ("met" if elapsed <= resolution_s else "breached"),
        **common,
    )
    for clock in (response, resolution):
        if clock.state == "breached" or (clock.due_at and clock.due_at < now):
            clock.breached_at = clock.due_at or clock.stopped_at
            if clock.state == "running":
                clock.state = "breached"
            clock.next_check_at = None
    return [response, resolution]


def _dumps(info) -> str:
    return json.dumps(info)
