from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("itsm.api_urls")),
    path("", include("incidents.urls")),
    path("", include("approvals.urls")),
    path("", include("changes.urls")),
    path("", include("problems.urls")),
    path("", include("requests_catalog.urls")),
    path("", include("core.urls")),
]

handler400 = "core.error_views.bad_request"
handler403 = "core.error_views.permission_denied"
handler404 = "core.error_views.page_not_found"
handler500 = "core.error_views.server_error"
