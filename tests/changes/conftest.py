from datetime import UTC, datetime, timedelta

import pytest

from approvals.services import approval_decide
from changes.models import ChangeTemplate, FreezeWindow
from changes.services import change_create, change_transition
from tests.org.factories import ConfigurationItemFactory, ServiceFactory, TeamFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


class Env:
    pass


@pytest.fixture
def cm(make_user):
    """Change management: a change manager, a CAB member, an agent, two services with CIs, a template."""
    e = Env()
    e.manager = make_user("manager", username="maria")
    e.cab = make_user("cab", username="chen")
    e.agent = make_user("agent", username="li")
    e.requester = make_user("requester", username="alice")
    e.team = TeamFactory(name="Infra")
    e.mail = ServiceFactory(name="E-mail")
    e.erp = ServiceFactory(name="ERP")
    e.mail_ci = ConfigurationItemFactory(service=e.mail, name="mail-01")
    e.erp_ci = ConfigurationItemFactory(service=e.erp, name="erp-01")
    e.template = ChangeTemplate.objects.create(
        name="Restart application pool",
        implementation_plan="Recycle the pool.",
        backout_plan="Start it again.",
        risk="low",
        duration_minutes=30,
        allowed_windows=[{"weekday": 1, "start": "22:00", "end": "23:30"}],  # Tuesdays
    )
    e.template.services.set([e.erp])
    return e


def window(hours_from_now: float, length_hours: float = 1.0):
    start = NOW + timedelta(hours=hours_from_now)
    return start, start + timedelta(hours=length_hours)


def normal(cm, *, risk="low", services=None, cis=(), start=24, length=1.0, **kwargs):
    planned_start, planned_end = window(start, length)
    return change_create(
        actor=cm.agent,
        type="normal",
        title=kwargs.pop("title", "Upgrade"),
        implementation_plan="Do it.",
        backout_plan="Undo it.",
        risk=risk,
        services=[cm.mail] if services is None else services,
        configuration_items=list(cis),
        planned_start=planned_start,
        planned_end=planned_end,
        at=NOW,
        **kwargs,
    )


def to_authorize(cm, change):
    change = change_transition(actor=cm.agent, change=change, state="assess", at=NOW)
    return change_transition(actor=cm.agent, change=change, state="authorize", at=NOW)


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """Decide and run the after-commit hooks (the change moves when the approval is decided)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return approval_decide(**kwargs)

    return run


def freeze(name="Year-end", start=0, length=48, services=()):
    f = FreezeWindow.objects.create(
        name=name,
        start=NOW + timedelta(hours=start),
        end=NOW + timedelta(hours=start + length),
        reason="Closing",
    )
    f.services.set(services)
    return f
