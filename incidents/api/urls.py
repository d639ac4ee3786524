from rest_framework.routers import DefaultRouter

from incidents.api.views import CategoryViewSet, IncidentViewSet

router = DefaultRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("incident-categories", CategoryViewSet, basename="incident-category")
