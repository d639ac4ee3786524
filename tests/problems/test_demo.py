import io

from demo import people
from demo import problems as demo_problems
from problems.models import Problem, ProblemProposal
from problems.search.ranking import rank_known_errors
from problems.selectors import suggestion_stats


def test_demo_problems_load_once_and_match_the_demo_incident_wording(db):
    out = io.StringIO()
    people.load(out)
    demo_problems.load(out)
    demo_problems.load(out)
    assert Problem.objects.count() == len(demo_problems.PROBLEMS)
    assert Problem.objects.filter(published_at__isnull=False).count() >= 5
    assert set(Problem.objects.values_list("state", flat=True)) >= {
        "new",
        "investigating",
        "known_error",
        "resolved",
        "closed",
        "cancelled",
    }
    assert ProblemProposal.objects.filter(state="pending").count() == 1
    stats = suggestion_stats()
    assert stats.portal_sessions_shown and stats.deflection_rate is not None
    assert "already there" in out.getvalue()
    # Demo incident titles (demo/incidents.py SCENARIOS) find their known error, in either language.
    for text, title in [
        ("VPN disconnects every few minutes", "VPN disconnects every few minutes"),
        ("vpn老是掉线", "VPN disconnects every few minutes"),
        ("Outlook stuck on 'Updating inbox'", "Outlook stuck on 'Updating inbox'"),
        ("ERP error when posting invoice", "ERP error when posting invoice"),
        ("Printer on floor 2 jams constantly", "Printer on floor 2 jams constantly"),
        ("会议室无线网络连不上", "No Wi-Fi on floor 3"),
    ]:
        best = rank_known_errors(text=text)[0]
        assert Problem.objects.get(pk=best.problem_id).title == title, text
