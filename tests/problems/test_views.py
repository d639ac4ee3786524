from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident
from problems.models import Problem, SuggestionEvent
from problems.services import problem_link_incidents, problem_proposals_detect, suggestions_record_shown
from tests.problems.factories import CategoryFactory, make_incident, make_problem

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_requesters_cannot_open_agent_pages(client, desk, known_error):
    client.force_login(desk.requester)
    for url in (
        "/problems/",
        "/problems/new/",
        f"/problems/{known_error.pk}/",
        "/problems/proposals/",
        "/known-errors/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/problems/suggestions/?title=outlook").status_code == 403
    incident = make_incident(actor=desk.requester, title="Outlook hangs")
    response = client.post(
        "/problems/suggestions/apply/", {"incident": incident.pk, "apply_problem": known_error.pk}
    )
    assert response.status_code == 403
    assert Incident.objects.get(pk=incident.pk).problem_id is None


def test_problem_list_filters_and_costs_constant_queries(client, desk):
    client.force_login(desk.agent)
    make_problem(actor=desk.agent, title="Printer jams")

    def render(url="/problems/"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    html, few = render()
    assert "Printer jams" in html
    for n in range(8):
        problem_link_incidents(
            actor=desk.agent,
            problem=make_problem(actor=desk.agent, title=f"VPN {n}", services=[desk.service]),
            incidents=[make_incident(actor=desk.agent)],
        )
    assert render()[1] == few
    partial = client.get("/problems/?q=printer", HTTP_HX_TARGET="problem-table", **HTMX).content.decode()
    assert "Printer jams" in partial and "VPN 1" not in partial and "<html" not in partial


def test_raise_edit_publish_and_resolve_in_the_workspace(client, desk):
    client.force_login(desk.agent)
    response = client.post(
        "/problems/new/",
        {"title": "VPN drops", "priority": 2, "services": [desk.service.pk], "symptoms": "VPN 断开"},
        follow=True,
    )
    problem = Problem.objects.get()
    assert f"{problem.number} raised." in response.content.decode()
    refused = client.post(f"/problems/{problem.pk}/publish/", {"version": problem.version})
    assert refused.status_code == 400
    assert "needs a documented root cause or workaround" in refused.content.decode()
    client.post(
        f"/problems/{problem.pk}/edit/",
        {
            "title": "VPN drops",
            "priority": 2,
            "services": [desk.service.pk],
            "symptoms": "VPN 断开",
            "workaround": "Switch to the TCP profile.",
            "rca_method": "five_whys",
            "rca_notes": "Why? idle timeout.",
            "version": problem.version,
        },
    )
    problem.refresh_from_db()
    assert problem.workaround == "Switch to the TCP profile." and problem.rca_method == "five_whys"
    published = client.post(f"/problems/{problem.pk}/publish/", {"version": problem.version}, follow=True)
    assert "is published as a known error" in published.content.decode()
    incident = make_incident(actor=desk.agent)
    client.post(f"/problems/{problem.pk}/incidents/link/", {"numbers": incident.number.lower()})
    assert Incident.objects.get(pk=incident.pk).problem_id == problem.pk
    problem.refresh_from_db()
    resolved = client.post(
        f"/problems/{problem.pk}/transition/",
        {
            "state": "resolved",
            "version": problem.version,
            "fix_notes": "Gateway firmware 2.1",
            "resolve_incidents": "on",
            "incident_note": "fix",
        },
        follow=True,
    )
    html = resolved.content.decode()
    assert "is now Resolved" in html and "Resolved the linked incidents" in html
    assert Incident.objects.get(pk=incident.pk).state == "resolved"
    client.post(f"/problems/{problem.pk}/incidents/{incident.pk}/unlink/")
    assert Incident.objects.get(pk=incident.pk).problem_id is None


def test_suggestion_panel_shows_the_workaround_and_counts_once_per_session(client, desk, known_error):
    client.force_login(desk.agent)
    params = {"title": "Outlook hangs", "description": "updating inbox", "suggest_draft": "s1"}
    for _ in range(2):
        html = client.get("/problems/suggestions/", params, **HTMX).content.decode()
    assert known_error.number in html and "delete the OST cache" in html
    assert "Log and apply workaround" in html
    assert SuggestionEvent.objects.filter(kind="shown").count() == 1
    assert client.get("/problems/suggestions/", {"title": "zz"}, **HTMX).content.decode().strip() == ""


def test_log_and_apply_logs_the_incident_linked_to_the_known_error(client, desk, known_error):
    client.force_login(desk.agent)
    response = client.post(
        "/problems/suggestions/log-and-apply/",
        {
            "title": "Outlook hangs updating inbox",
            "impact": 3,
            "urgency": 3,
            "channel": "phone",
            "service": desk.service.pk,
            "apply_problem": known_error.pk,
            "suggest_draft": "s2",
        },
        follow=True,
    )
    incident = Incident.objects.get()
    assert incident.problem_id == known_error.pk
    html = response.content.decode()
    assert f"{incident.number} logged with the workaround from {known_error.number}" in html
    assert 'id="problem-panel"' in html and known_error.number in html
    assert SuggestionEvent.objects.get(kind="applied").draft == "s2"


def test_log_and_apply_keeps_the_form_when_it_is_invalid(client, desk, known_error):
    client.force_login(desk.agent)
    response = client.post(
        "/problems/suggestions/log-and-apply/",
        {
            "title": "",
            "description": "kept",
            "impact": 3,
            "urgency": 3,
            "channel": "phone",
            "apply_problem": known_error.pk,
        },
    )
    assert response.status_code == 200 and "kept" in response.content.decode()
    assert not Incident.objects.exists()


def test_incident_detail_panel_suggests_and_applies(client, desk, known_error):
    client.force_login(desk.agent)
    incident = make_incident(actor=desk.agent, title="Outlook hangs on updating inbox")
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f"/problems/suggestions/incident/{incident.pk}/" in page
    panel = client.get(f"/problems/suggestions/incident/{incident.pk}/", **HTMX).content.decode()
    assert "Apply workaround" in panel
    response = client.post(
        "/problems/suggestions/apply/",
        {"incident": incident.pk, "apply_problem": known_error.pk},
        follow=True,
    )
    assert "applied" in response.content.decode()
    incident.refresh_from_db()
    assert incident.problem_id == known_error.pk


def test_kedb_page_shows_counts_and_the_deflection_formula(client, desk, known_error):
    for draft in ("a", "b", "c", "d"):
        suggestions_record_shown(
            problem_ids=[known_error.pk], channel="portal", draft=draft, user=desk.requester
        )
    client.force_login(desk.requester)
    client.post("/portal/known-issues/solved/", {"problem": known_error.pk, "suggest_draft": "a"})
    client.force_login(desk.manager)
    html = client.get("/known-errors/").content.decode()
    assert "Deflection rate = portal sessions" in html
    assert "= 1 ÷ 4 = 25 %" in html
    assert known_error.number in html
    ranked = client.get(
        "/known-errors/?q=outlook+hangs", HTTP_HX_TARGET="kedb-results", **HTMX
    ).content.decode()
    assert known_error.number in ranked and "Matched" in ranked


def test_portal_user_sees_the_plain_workaround_and_solves_it_without_a_ticket(client, desk, known_error):
    client.force_login(desk.requester)
    form = client.get("/portal/incidents/new/").content.decode()
    assert 'hx-get="/portal/known-issues/suggestions/"' in form and 'name="suggest_draft"' in form
    panel = client.get(
        "/portal/known-issues/suggestions/",
        {"title": "outlook hangs", "description": "updating my inbox", "suggest_draft": "p1"},
        **HTMX,
    ).content.decode()
    assert "start it again from the Start menu" in panel  # plain language, not the OST instructions
    assert "delete the OST" not in panel and "This solved my problem" in panel
    response = client.post(
        "/portal/known-issues/solved/",
        {"title": "outlook hangs", "problem": known_error.pk, "suggest_draft": "p1"},
        follow=True,
    )
    assert "Glad it works again" in response.content.decode()
    assert not Incident.objects.exists()
    assert SuggestionEvent.objects.filter(kind="deflected", draft="p1").count() == 1


def test_portal_known_issues_search_and_detail(client, desk, known_error):
    hidden = make_problem(actor=desk.agent, title="Outlook internal analysis", workaround="secret")
    client.force_login(desk.requester)
    listing = client.get("/portal/known-issues/").content.decode()
    assert known_error.title.replace("'", "&#x27;") in listing and "internal analysis" not in listing
    found = client.get("/portal/known-issues/?q=outlook+hangs", HTTP_HX_TARGET="known-issues", **HTMX)
    assert "start it again" in found.content.decode()
    assert client.get(f"/portal/known-issues/{known_error.pk}/").status_code == 200
    assert client.get(f"/portal/known-issues/{hidden.pk}/").status_code == 404


def test_proposals_inbox_accept_and_dismiss(client, desk):
    category = CategoryFactory(name="Mailbox")
    for n in range(3):
        make_incident(
            actor=desk.agent,
            title=f"Outlook stuck updating inbox {n}",
            service=desk.service,
            category=category,
        )
    proposal = problem_proposals_detect()[0]
    client.force_login(desk.agent)
    html = client.get("/problems/proposals/").content.decode()
    assert proposal.title in html and "outlook" in html
    response = client.post(
        f"/problems/proposals/{proposal.pk}/accept/", {"title": "Outlook cache"}, follow=True
    )
    problem = Problem.objects.get(title="Outlook cache")
    assert problem.incidents.count() == 3 and problem.number in response.content.decode()
    again = client.post(f"/problems/proposals/{proposal.pk}/dismiss/", follow=True)
    assert "already accepted" in again.content.decode()


def test_workspace_and_navigation_show_problems(client, desk, known_error):
    client.force_login(desk.agent)
    html = client.get("/workspace/").content.decode()
    assert 'href="/problems/"' in html and 'href="/known-errors/"' in html and "Deflection rate" in html
    client.force_login(desk.requester)
    assert 'href="/portal/known-issues/"' in client.get("/portal/").content.decode()


def test_timeline_comments_work_on_problems(client, desk):
    from django.contrib.contenttypes.models import ContentType

    problem = make_problem(actor=desk.agent)
    client.force_login(desk.agent)
    ct = ContentType.objects.get_for_model(Problem).pk
    client.post(f"/tickets/{ct}/{problem.pk}/comments/", {"body": "Vendor case 42", "is_internal": "on"})
    assert "Vendor case 42" in client.get(f"/problems/{problem.pk}/").content.decode()
    client.force_login(desk.requester)
    assert client.post(f"/tickets/{ct}/{problem.pk}/comments/", {"body": "hi"}).status_code == 404


def test_edit_form_panel_applies_to_the_incident_being_edited(client, desk, known_error):
    client.force_login(desk.agent)
    incident = make_incident(actor=desk.agent, title="Outlook hangs updating inbox")
    edit_page = client.get(f"/incidents/{incident.pk}/edit/").content.decode()
    assert f'hx-vals=\'{{"incident": "{incident.pk}"}}\'' in edit_page
    params = {"title": incident.title, "incident": incident.pk, "suggest_draft": "e1"}
    panel = client.get("/problems/suggestions/", params, **HTMX).content.decode()
    assert 'formaction="/problems/suggestions/apply/"' in panel and f'value="{incident.pk}"' in panel
    client.post("/problems/suggestions/apply/", {"incident": incident.pk, "apply_problem": known_error.pk})
    assert client.get("/problems/suggestions/", params, **HTMX).content.decode().strip() == ""  # linked now
