from rest_framework.routers import DefaultRouter

from changes.api.views import ChangeTemplateViewSet, ChangeViewSet

router = DefaultRouter()
router.register("change-templates", ChangeTemplateViewSet, basename="change-template")
router.register("changes", ChangeViewSet, basename="change")
