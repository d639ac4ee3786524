"""Reads: permission scope first, then filters, with a fixed number of queries per page."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from approvals.selectors import approvals_prefetch, approvals_waiting_for
from core.roles import is_agent
from requests_catalog.choices import OPEN_STATES, State, TaskState
from requests_catalog.models import CatalogCategory, CatalogItem, RequestTask, ServiceRequest
from requests_catalog.permissions import item_scope, request_scope
from sla.selectors import clock_prefetch


def orderable_items(*, user) -> QuerySet[CatalogItem]:
    return item_scope(user).select_related("category")


def item_search(*, user, text: str, limit: int = 20) -> list[CatalogItem]:
    """Items whose name (either language), keywords or description mention every typed word; names first."""
    words = [w for w in (text or "").split() if w][:8]
    if not words:
        return []
    qs = orderable_items(user=user)
    for word in words:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(name_zh__icontains=word)
            | Q(keywords__icontains=word)
            | Q(description__icontains=word)
            | Q(description_zh__icontains=word)
        )
    items = list(qs[:200])
    lowered = [w.lower() for w in words]

    def score(item: CatalogItem) -> tuple:
        names = f"{item.name} {item.name_zh}".lower()
        return (
            -sum(w in names for w in lowered),
            -sum(w in item.keywords.lower() for w in lowered),
            item.order,
        )

    return sorted(items, key=score)[:limit]


def category_tree(*, user) -> list[CatalogCategory]:
    """Active top-level categories with their children, each annotated with how many items the user may order."""
    visible = item_scope(user).values("pk")
    categories = list(
        CatalogCategory.objects.filter(is_active=True).annotate(
            item_count=Count("items", filter=Q(items__in=visible), distinct=True)
        )
    )
    by_parent: dict[int | None, list] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    for category in categories:
        category.subcategories = by_parent.get(category.pk, [])
        category.total_items = category.item_count + sum(c.item_count for c in category.subcategories)
    return [c for c in by_parent.get(None, []) if c.total_items]


def category_items(*, user, category: CatalogCategory) -> QuerySet[CatalogItem]:
    return orderable_items(user=user).filter(Q(category=category) | Q(category__parent=category))


def request_list(*, user) -> QuerySet[ServiceRequest]:
    return request_scope(user).select_related("item", "requester", "assignment_group")


def request_detail(*, user, pk: int) -> ServiceRequest | None:
    return (
        request_scope(user)
        .select_related("item", "item__category", "requester", "assignment_group", "service")
        .prefetch_related(
            Prefetch(
                "tasks", queryset=RequestTask.objects.select_related("team", "assignee", "completed_by")
            ),
            clock_prefetch(),
            *approvals_prefetch(),
        )
        .filter(pk=pk)
        .first()
    )


def request_api_list(*, user) -> QuerySet[ServiceRequest]:
    """The page's SLA clocks come in one more query (`sla.selectors.attach_clocks`)."""
    return request_scope(user).prefetch_related(
        Prefetch("tasks", queryset=RequestTask.objects.order_by("step", "id")),
        *approvals_prefetch(),
    )


def task_queue(*, user, scope: str = "teams") -> QuerySet[RequestTask]:
    """Open fulfilment tasks: of the user's teams, assigned to the user, or all; oldest first."""
    qs = RequestTask.objects.filter(state__in=[TaskState.OPEN, TaskState.IN_PROGRESS]).select_related(
        "request", "request__item", "request__requester", "team", "assignee"
    )
    if not is_agent(user):
        return qs.none()
    if scope == "mine":
        qs = qs.filter(assignee=user)
    elif scope == "teams":
        qs = qs.filter(team__members=user)
    return qs.order_by("request__sla_due_at", "opened_at", "id")


def approvals_for_requests(*, user) -> list:
    """Approval steps waiting for this user on service requests, with the request loaded."""
    content_type = ContentType.objects.get_for_model(ServiceRequest)
    steps = list(approvals_waiting_for(user=user).filter(request__content_type=content_type)[:100])
    requests = ServiceRequest.objects.select_related("item", "requester").in_bulk(
        [s.request.object_id for s in steps]
    )
    return [
        {"step": s, "service_request": requests.get(s.request.object_id)}
        for s in steps
        if s.request.object_id in requests
    ]


def portal_home(*, user) -> dict:
    return {
        "featured": list(orderable_items(user=user)[:6]),
        "open_requests": list(
            ServiceRequest.objects.filter(requester=user, state__in=OPEN_STATES + (State.FULFILLED,))
            .select_related("item")
            .order_by("-created_at")[:5]
        ),
        "approvals_waiting": len(approvals_for_requests(user=user)),
    }


def workspace_summary(*, user) -> dict:
    open_tasks = RequestTask.objects.filter(state__in=[TaskState.OPEN, TaskState.IN_PROGRESS])
    return {
        "tasks_mine": open_tasks.filter(assignee=user).count(),
        "tasks_teams": open_tasks.filter(team__members=user).count(),
        "awaiting_approval": ServiceRequest.objects.filter(state=State.AWAITING_APPROVAL).count(),
        "automation_failed": ServiceRequest.objects.filter(
            state=State.FULFILLING, automation_state="failed"
        ).count(),
    }
