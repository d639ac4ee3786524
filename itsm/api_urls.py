"""Everything under /api/v1/: one router that gathers each app's viewsets."""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

API_MODULES = [
    "accounts.api.urls",
    "org.api.urls",
    "sla.api.urls",
    "incidents.api.urls",
    "problems.api.urls",
    "changes.api.urls",
    "requests_catalog.api.urls",
]

router = DefaultRouter()
for module in API_MODULES:
    router.registry.extend(import_module(module).router.registry)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
