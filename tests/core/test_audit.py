from core.models import AuditRecord
from org.models import Team
from tests.org.factories import TeamFactory


def test_api_change_records_who_changed_what(api_as):
    api, staff = api_as("staff")
    team = TeamFactory(name="Network")
    response = api.patch(
        f"/api/v1/teams/{team.pk}/", {"name": "Network Operations", "email": "net@example.com"}
    )
    assert response.status_code == 200
    record = AuditRecord.objects.get(action="update")
    assert record.actor == staff
    assert record.changes["name"] == ["Network", "Network Operations"]
    assert record.changes["email"] == ["", "net@example.com"]
    assert "description" not in record.changes


def test_admin_change_is_audited_too(client, make_user):
    staff = make_user("staff")
    member = make_user("agent")
    client.force_login(staff)
    response = client.post(
        "/admin/org/team/add/",
        {"name": "Database", "description": "", "email": "", "members": [member.pk], "is_active": "on"},
    )
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="create")
    assert record.actor == staff
    assert record.changes["members"][1] == str(member)
    team = Team.objects.get(name="Database")
    client.post(f"/admin/org/team/{team.pk}/delete/", {"post": "yes"})
    assert AuditRecord.objects.filter(action="delete", object_repr="Database").exists()


def test_no_change_no_record(api_as):
    api, _ = api_as("staff")
    team = TeamFactory(name="Network")
    api.patch(f"/api/v1/teams/{team.pk}/", {"name": "Network"})
    assert not AuditRecord.objects.filter(action="update").exists()
