"""The request list's text search: short Chinese words too, and served by indexes on PostgreSQL."""

import pytest
from django.db import connection

from requests_catalog.filters import RequestFilterSet
from requests_catalog.models import ServiceRequest
from tests.db_plans import plan_of
from tests.requests_catalog.factories import submit


def test_agents_find_requests_by_short_chinese_words(api_as, cat):
    laptop = submit(actor=cat.requester, item=cat.mouse, title="新电脑 for the new hire")
    submit(actor=cat.requester, item=cat.mouse, title="无线鼠标")
    api, _ = api_as(user=cat.agent)

    def found(text):
        return [r["id"] for r in api.get("/api/v1/requests/", {"q": text}).json()["results"]]

    assert found("电脑") == [laptop.pk]
    assert found("新") == [laptop.pk]
    assert found("脑新") == []  # both characters, side by side and in this order
    assert found("new hire") == [laptop.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="these indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("text", "indexes"),
    [("电脑", ["req_text_grams"]), ("laptop", ["req_title_trgm", "req_number_trgm"])],
)
def test_request_searches_use_the_indexes(db, text, indexes):
    plan = plan_of(RequestFilterSet({"q": text}, queryset=ServiceRequest.objects.all()).qs)
    for index in indexes:
        assert index in plan, plan
    assert "Seq Scan" not in plan, plan
