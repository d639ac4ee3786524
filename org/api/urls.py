from rest_framework.routers import DefaultRouter

from org.api.views import ConfigurationItemViewSet, ServiceViewSet, TeamViewSet

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("services", ServiceViewSet, basename="service")
router.register("configuration-items", ConfigurationItemViewSet, basename="configuration-item")
