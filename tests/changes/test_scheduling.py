import pytest

from changes.models import Change
from changes.scheduling import conflicts_for
from tests.changes.conftest import freeze, normal

pytestmark = pytest.mark.django_db


def _conflicts(change):
    change = Change.objects.prefetch_related("services", "configuration_items").get(pk=change.pk)
    return conflicts_for([change])[change.pk]


def test_overlap_on_the_same_service_conflicts(cm):
    a = normal(cm, start=24, length=2)
    b = normal(cm, start=25, length=2)
    assert [c["number"] for c in _conflicts(a)] == [b.number]
    assert [c["number"] for c in _conflicts(b)] == [a.number]


def test_touching_boundaries_do_not_conflict(cm):
    a = normal(cm, start=24, length=2)
    normal(cm, start=26, length=1)
    assert _conflicts(a) == []


def test_different_services_do_not_conflict_but_a_shared_ci_does(cm):
    a = normal(cm, start=24, length=2, services=[cm.mail])
    normal(cm, start=24, length=2, services=[cm.erp])
    assert _conflicts(a) == []
    c = normal(cm, start=30, length=2, services=[], cis=[cm.erp_ci])
    d = normal(cm, start=31, length=2, services=[cm.mail], cis=[cm.erp_ci])
    assert [x["number"] for x in _conflicts(c)] == [d.number]


def test_cancelled_changes_and_freeze_windows(cm):
    from changes.services import change_transition

    a = normal(cm, start=24, length=2)
    b = normal(cm, start=24, length=2)
    change_transition(actor=cm.agent, change=b, state="cancelled")
    assert _conflicts(a) == []
    normal(cm, start=120, length=1, services=[cm.erp])  # planned before the freeze was announced
    f = freeze(start=100, length=48, services=[cm.erp])
    late = Change.objects.get(planned_start__gte=f.start)
    assert [(c["kind"], c["name"]) for c in _conflicts(late)] == [("freeze", "Year-end")]
