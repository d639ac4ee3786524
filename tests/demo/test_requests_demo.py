"""The demo catalogue and requests: loaded twice without duplicates, showing what a newcomer looks for."""

import io
from datetime import timedelta
from statistics import median

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import SatisfactionRating, TimelineEntry
from demo import people
from demo import requests as demo_requests
from demo import sla as demo_sla
from requests_catalog.formdef import FIELD_TYPES
from requests_catalog.models import CatalogCategory, CatalogItem, RequestTask, ServiceRequest, TaskTemplate
from requests_catalog.permissions import can_order
from requests_catalog.selectors import approvals_for_requests, task_queue


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (CatalogCategory, CatalogItem, TaskTemplate, ServiceRequest, RequestTask, TimelineEntry)
    }


# Approvals move requests on in an after-commit hook, as in `manage.py load_demo`: a real transaction.
@pytest.mark.django_db(transaction=True)
def test_demo_requests_load_once_and_show_a_lived_in_catalogue():
    out = io.StringIO()
    people.load(out)
    demo_sla.load(out)
    demo_requests.load(out)
    first = _counts()
    again = io.StringIO()
    demo_requests.load(again)
    assert _counts() == first
    assert "requests over the last 90 days" in out.getvalue()
    assert "(0 updated)" in again.getvalue() and "already there" in again.getvalue()
    now = timezone.now()
    user = {u.username: u for u in User.objects.all()}

    # A nested, bilingual catalogue whose forms use every field type, validation and conditions.
    items = list(CatalogItem.objects.all())
    assert len(items) == len(demo_requests.ITEMS) >= 15
    assert CatalogCategory.objects.filter(parent__isnull=False).count() >= 4
    assert all(i.name_zh and i.description_zh and i.icon and i.keywords and i.fulfilment_team for i in items)
    fields = [f for i in items for f in i.form]
    assert {f["type"] for f in fields} == set(FIELD_TYPES)
    assert all(f["label_zh"] for f in fields)
    assert sum(1 for i in items if any(f["show_if"] for f in i.form)) >= 4
    assert any(f["pattern"] for f in fields) and any(
        f["type"] == "date" and f["min"] == "today" for f in fields
    )
    onboarding = CatalogItem.objects.get(name="New employee onboarding")
    assert sorted(onboarding.task_templates.values_list("step", flat=True)) == [1, 1, 1, 2]
    budget = CatalogItem.objects.get(name="Budget approval tool licence")
    assert not can_order(user["alice"], budget) and can_order(user["manager"], budget)

    # About 120 requests in every state a request reaches, rated, some reopened, none in the future.
    requests = ServiceRequest.objects.all()
    assert 100 <= requests.count() <= 150
    assert set(requests.values_list("state", flat=True)) == {
        "awaiting_approval",
        "fulfilling",
        "fulfilled",
        "closed",
        "rejected",
        "cancelled",
    }
    assert requests.filter(created_at__lt=now - timedelta(days=60)).exists()
    assert set(requests.values_list("requester__username", flat=True)) >= {
        "alice",
        "bob",
        "wangfang",
        "liuyang",
    }
    kind = ContentType.objects.get_for_model(ServiceRequest)
    assert SatisfactionRating.objects.filter(content_type=kind).count() >= 30
    assert not TimelineEntry.objects.filter(content_type=kind, created_at__gt=now).exists()
    assert RequestTask.objects.filter(
        title__startswith="Follow up"
    ).exists()  # reopened: "something is missing"
    for request in requests.filter(fulfilled_at__isnull=False):
        assert request.created_at <= request.fulfilled_at <= now

    # Fulfilment time differs by item: minutes for a password reset, days for a laptop, longer for a joiner.
    def median_hours(name):
        seconds = requests.filter(item__name=name, fulfilment_seconds__isnull=False)
        return median(seconds.values_list("fulfilment_seconds", flat=True)) / 3600

    assert median_hours("Password reset") < 0.5
    assert 12 < median_hours("Standard laptop") < 5 * 24
    assert median_hours("New employee onboarding") > median_hours("Standard laptop")

    # Work waiting right now: approvals for the line managers, tasks in the agent's teams.
    assert len(approvals_for_requests(user=user["manager"])) >= 2
    assert len(approvals_for_requests(user=user["cab"])) >= 2
    queue = list(task_queue(user=user["agent"], scope="teams"))
    assert len({t.request_id for t in queue}) >= 8
    assert any(t.state == "in_progress" and t.assignee == user["agent"] for t in queue)
    failed = requests.filter(item__name="Guest Wi-Fi voucher", state="fulfilling", automation_state="failed")
    assert failed.exists() and all(r.automation_attempts == 3 for r in failed)
    assert (
        RequestTask.objects.filter(
            request__in=failed, is_automation_fallback=True, state__in=["open", "in_progress"]
        ).count()
        == failed.count()
    )
    reset = requests.filter(item__name="Password reset").order_by("-created_at").first()
    assert reset.state == "fulfilled" and reset.automation_state == "succeeded"
    assert now - timedelta(minutes=15) < reset.fulfilled_at < now
