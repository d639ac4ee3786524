"""Deep pages are read ids first: the same rows in the same order as a plain OFFSET, for less."""

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import DeepPaginator
from org.models import Team
from tests.org.factories import TeamFactory


class ShallowLimit(DeepPaginator):
    DEEP = 4  # so a test needs a few dozen rows, not thousands


def test_every_page_holds_what_a_plain_paginator_gives(db):
    for n in range(23):
        TeamFactory(name=f"Team {n}", email=f"desk{n % 7}@example.com")  # repeated: the id breaks ties
    qs = Team.objects.order_by("-email", "id")
    plain, deep = Paginator(qs, 5, orphans=2), ShallowLimit(qs, 5, orphans=2)
    assert deep.num_pages == plain.num_pages == 5
    for number in plain.page_range:
        assert [t.pk for t in deep.page(number)] == [t.pk for t in plain.page(number)]


def test_a_deep_page_keeps_prefetches_and_costs_two_queries(db, make_user):
    for n in range(12):
        TeamFactory(name=f"Team {n:02d}").members.add(make_user())
    qs = Team.objects.order_by("name").prefetch_related("members")
    paginator = ShallowLimit(qs, 5)
    paginator.count  # noqa: B018 - counted beforehand, as the page links need it anyway
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.page(3)
        names = [(team.name, len(team.members.all())) for team in page]
    assert names == [("Team 10", 1), ("Team 11", 1)]
    assert len(ctx.captured_queries) == 3  # the ids, the rows, their members


def test_lists_of_values_and_plain_lists_page_as_usual(db):
    for n in range(9):
        TeamFactory(name=f"Team {n}")
    values = Team.objects.order_by("name").values("name")
    assert [r["name"] for r in ShallowLimit(values, 2).page(4)] == ["Team 6", "Team 7"]
    assert list(ShallowLimit(list(range(20)), 3).page(5)) == [12, 13, 14]
