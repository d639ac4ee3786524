from rest_framework.routers import DefaultRouter

from requests_catalog.api.views import (
    CatalogCategoryViewSet,
    CatalogItemViewSet,
    RequestTaskViewSet,
    ServiceRequestViewSet,
)

router = DefaultRouter()
router.register("catalog/categories", CatalogCategoryViewSet, basename="catalog-category")
router.register("catalog/items", CatalogItemViewSet, basename="catalog-item")
router.register("requests", ServiceRequestViewSet, basename="service-request")
router.register("request-tasks", RequestTaskViewSet, basename="request-task")
