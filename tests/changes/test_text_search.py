"""The change list's text search: short Chinese words too, and served by indexes on PostgreSQL."""

import pytest
from django.db import connection

from changes.filters import ChangeFilterSet
from changes.models import Change
from tests.changes.conftest import normal
from tests.db_plans import plan_of


def test_agents_find_changes_by_short_chinese_words(api_as, cm):
    patch = normal(cm, title="数据库补丁", description="Apply the vendor patch.")
    normal(cm, title="Upgrade mail", description="升级邮件服务器")
    api, _ = api_as(user=cm.agent)

    def found(text):
        return sorted(c["id"] for c in api.get("/api/v1/changes/", {"q": text}).json()["results"])

    assert found("补丁") == [patch.pk]
    assert len(found("邮件")) == 1  # in the description
    assert found("丁补") == []
    assert found("vendor patch") == [patch.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="these indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("text", "indexes"),
    [("补丁", ["chg_text_grams"]), ("patch", ["chg_title_trgm", "chg_description_trgm", "chg_number_trgm"])],
)
def test_change_searches_use_the_indexes(db, text, indexes):
    plan = plan_of(ChangeFilterSet({"q": text}, queryset=Change.objects.all()).qs)
    for index in indexes:
        assert index in plan, plan
    assert "Seq Scan" not in plan, plan
