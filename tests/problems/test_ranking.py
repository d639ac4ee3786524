"""Suggestion ranking on a fixed corpus. The same assertions hold on SQLite (LIKE candidates) and on
PostgreSQL (GIN full-text candidates): run with DATABASE_URL=postgres://... to check the second."""

import pytest
from django.db import connection

from problems.search.ranking import rank_known_errors
from problems.selectors import known_errors_search
from tests.problems.factories import CategoryFactory, ServiceFactory, make_known_error

CORPUS = {
    "vpn-drops": ("VPN 连接频繁断开", "VPN 客户端每隔几分钟自动断开，需要重新登录。", "VPN"),
    "vpn-intranet": ("VPN 连接后无法访问内网", "VPN 已连接，但打不开内网网站和共享盘。", "VPN"),
    "vpn-password": (
        "VPN keeps asking for the password",
        "The VPN client prompts for the password again after every reconnect.",
        "VPN",
    ),
    "outlook": (
        "Outlook stuck on updating inbox",
        "Outlook shows 'Updating inbox' for hours and no new mail arrives.",
        "E-mail",
    ),
    "bounce": (
        "E-mails to external customers bounce",
        "Messages to customers return with NDR 550 5.7.1.",
        "E-mail",
    ),
    "mailbox-full": ("邮件发送失败，提示邮箱已满", "发送邮件时提示邮箱空间已满，无法发送。", "E-mail"),
    "erp-posting": ("ERP error when posting invoices", "Posting an invoice fails with error FI-104.", "ERP"),
    "printer-jam": ("Printer on floor 2 jams", "The floor 2 printer jams on every duplex job.", "Printing"),
    "printer-offline": ("打印机无法连接", "电脑找不到网络打印机，打印任务一直排队。", "Printing"),
    "wifi-floor3": (
        "No Wi-Fi on floor 3",
        "Laptops on floor 3 cannot see the corporate wireless network.",
        "Wi-Fi",
    ),
    "battery": (
        "Laptop battery drains fast",
        "Laptop battery empties within an hour after the BIOS update.",
        "Laptops",
    ),
}


@pytest.fixture
def corpus(desk):
    names = {s for _t, _s, s in CORPUS.values()} - {"VPN"}
    services = {"VPN": desk.service} | {name: ServiceFactory(name=name) for name in sorted(names)}
    return {
        key: make_known_error(
            actor=desk.agent,
            title=title,
            symptoms=symptoms,
            workaround=f"Workaround for {key}",
            services=[services[svc]],
        )
        for key, (title, symptoms, svc) in CORPUS.items()
    } | {"_services": services}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vpn老是掉线断开", "vpn-drops"),
        ("VPN 连上了但是访问不了内网", "vpn-intranet"),
        ("邮箱满了发不出邮件", "mailbox-full"),
        ("打印机连不上", "printer-offline"),
        ("outlook hangs updating my inbox", "outlook"),
        ("Invoice posting fails in the ERP", "erp-posting"),
        ("printer jammed again on the second floor", "printer-jam"),
        ("wifi not working on floor 3", "wifi-floor3"),
        ("VPN password prompt every time I reconnect", "vpn-password"),
        ("my laptop battery is empty after an hour", "battery"),
        ("Our customers say our e-mails bounced back", "bounce"),
    ],
)
def test_the_matching_known_error_ranks_first_for_paraphrased_text(corpus, text, expected):
    matches = rank_known_errors(text=text)
    assert matches, f"nothing found for {text!r} on {connection.vendor}"
    assert matches[0].problem_id == corpus[expected].pk, (connection.vendor, text, matches[:3])


def test_matches_carry_their_evidence_and_weak_tails_are_dropped(corpus):
    best = rank_known_errors(text="vpn老是掉线断开")
    assert set(best[0].matched_terms) == {"vpn", "断开"}
    assert all(m.relevance >= best[0].relevance * 0.2 for m in best)
    assert rank_known_errors(text="the and of") == []
    assert rank_known_errors(text="quantum entanglement") == []


def test_both_backends_score_the_same(corpus):
    """One scoring definition: the same relevance numbers whichever database found the candidates."""
    names = {corpus[k].pk: k for k in CORPUS}

    def ranked(text):
        return [(names[m.problem_id], m.relevance) for m in rank_known_errors(text=text)]

    assert ranked("vpn老是掉线断开") == [
        ("vpn-drops", pytest.approx(3.922955)),
        ("vpn-password", pytest.approx(1.941826)),
        ("vpn-intranet", pytest.approx(1.484187)),
    ]
    assert ranked("printer jammed again on the second floor") == [
        ("printer-jam", pytest.approx(8.645558)),
        ("wifi-floor3", pytest.approx(2.367798)),
    ]


def test_service_and_category_matches_lift_equal_text(desk):
    a, b = ServiceFactory(name="HR system"), ServiceFactory(name="Payroll")
    network = CategoryFactory(name="Network")
    wifi = CategoryFactory(name="Wi-Fi", parent=network)
    first = make_known_error(actor=desk.agent, title="Login fails with error 401", services=[a])
    second = make_known_error(
        actor=desk.agent, title="Login fails with error 401", services=[b], category=network
    )
    assert rank_known_errors(text="login fails", service_id=a.pk)[0].problem_id == first.pk
    assert rank_known_errors(text="login fails", service_id=b.pk)[0].problem_id == second.pk
    by_category = rank_known_errors(text="login fails", category_ids=(wifi.pk, network.pk))
    assert by_category[0].problem_id == second.pk and by_category[0].category_match


def test_only_published_known_errors_are_suggested(desk, corpus):
    from problems.services import problem_transition

    outlook = corpus["outlook"]
    problem_transition(actor=desk.agent, problem=outlook, state="cancelled")
    ranked = known_errors_search(user=desk.requester, text="outlook hangs updating my inbox")
    assert outlook.pk not in [r.problem.pk for r in ranked]


def test_postgres_selects_candidates_by_the_rarer_terms_on_a_large_kedb():
    from problems.search.ranking import MAX_CANDIDATE_ROWS, candidate_terms

    small = {"vpn": 3, "断开": 1, "掉线": 0}
    assert candidate_terms(["vpn", "掉线", "断开"], small) == ["断开", "vpn"]  # every present term
    large = {"vpn": MAX_CANDIDATE_ROWS, "断开": 40, "outlook": MAX_CANDIDATE_ROWS * 2}
    assert candidate_terms(["vpn", "断开", "outlook"], large) == ["断开"]
    assert candidate_terms(["outlook"], large) == ["outlook"]  # the rarest always takes part
