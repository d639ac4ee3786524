import io
from datetime import date

from demo import people
from demo import sla as demo_sla
from sla.calendar import add_business_seconds
from sla.models import BusinessCalendar, SlaPolicy
from sla.selectors import policy_match
from tests.sla.conftest import sh


def test_demo_loads_calendars_and_policies_and_is_idempotent(db):
    out = io.StringIO()
    people.load(out)
    demo_sla.load(out)
    demo_sla.load(out)
    assert BusinessCalendar.objects.count() == 3
    assert SlaPolicy.objects.count() == len(demo_sla.POLICIES)
    china = BusinessCalendar.objects.prefetch_related("hours", "holidays", "workdays").get(
        name="China office hours"
    )
    assert date(2026, 2, 14) in china.spec.workdays and date(2026, 10, 7) in china.spec.holidays
    # A P3 logged on Friday before Spring Festival: 3 business days land after the holiday.
    due = add_business_seconds(china.spec, sh(2026, 2, 13, 17), 3 * 8 * 3600)
    assert due == sh(2026, 2, 25, 17)
    vpn = policy_match(
        applies_to="incident", priority=3, service_id=SlaPolicy.objects.get(name__startswith="VPN").service_id
    )
    assert vpn.calendar.name == "Europe office hours"
    assert policy_match(applies_to="incident", priority=3, service_id=None).name == "P3 Medium (office hours)"
    assert policy_match(applies_to="request", priority=None, service_id=None).calendar == china
    p3 = SlaPolicy.objects.get(name="P3 Medium (office hours)")
    assert p3.escalations.get(action="reassign").team.name == "Service Desk"
    assert "sla: 3 calendars" in out.getvalue()
