from rest_framework.routers import DefaultRouter

from sla.api.views import BusinessCalendarViewSet, SlaPolicyViewSet

router = DefaultRouter()
router.register("calendars", BusinessCalendarViewSet, basename="calendar")
router.register("sla-policies", SlaPolicyViewSet, basename="sla-policy")
