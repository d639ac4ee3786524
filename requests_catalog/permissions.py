"""Who may order, see and do what with the catalogue and requests. One scope function for UI and API."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from approvals.models import ApprovalStep
from core.roles import is_agent, is_manager, is_staff
from requests_catalog.choices import State
from requests_catalog.models import CatalogItem, ServiceRequest


def can_manage_catalogue(user) -> bool:
    return is_staff(user) or is_manager(user)


def item_scope(user, qs: QuerySet[CatalogItem] | None = None) -> QuerySet[CatalogItem]:
    """Items this user may order: active, in an active category, open to everyone or to one of their groups."""
    qs = CatalogItem.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    qs = qs.filter(is_active=True, category__is_active=True)
    if user.is_superuser:
        return qs
    groups = user.groups.values("pk")
    return qs.filter(Q(visible_to__isnull=True) | Q(visible_to__in=groups)).distinct()


def can_order(user, item: CatalogItem) -> bool:
    return item_scope(user).filter(pk=item.pk).exists()


def _approver_request_ids(user):
    """Requests whose approval this user is (or was) asked to decide."""
    groups = list(user.groups.values_list("name", flat=True))
    steps = ApprovalStep.objects.filter(
        request__content_type=ContentType.objects.get_for_model(ServiceRequest)
    ).filter(Q(users=user) | Q(group__in=groups) | Q(decisions__approver=user))
    return steps.values("request__object_id")


def request_scope(user, qs: QuerySet[ServiceRequest] | None = None) -> QuerySet[ServiceRequest]:
    qs = ServiceRequest.objects.all() if qs is None else qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_agent(user):
        return qs
    return qs.filter(Q(requester=user) | Q(pk__in=_approver_request_ids(user)))


def can_view(user, request: ServiceRequest) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_agent(user) or request.requester_id == user.pk:
        return True
    return request_scope(user).filter(pk=request.pk).exists()


def can_work(user, request: ServiceRequest) -> bool:
    return is_agent(user)


# What a requester may do with their own request: withdraw it while open, confirm or reject the delivery.
REQUESTER_TRANSITIONS = {
    (State.SUBMITTED, State.CANCELLED),
    (State.AWAITING_APPROVAL, State.CANCELLED),
    (State.APPROVED, State.CANCELLED),
    (State.FULFILLING, State.CANCELLED),
    (State.FULFILLED, State.CLOSED),
    (State.FULFILLED, State.FULFILLING),
}


def can_transition(user, request: ServiceRequest, target: str) -> bool:
    if is_agent(user):
        return True
    return request.requester_id == user.pk and (request.state, target) in REQUESTER_TRANSITIONS


def can_rate(user, request: ServiceRequest) -> bool:
    return request.requester_id == user.pk and request.state in (State.FULFILLED, State.CLOSED)
