from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsCatalogConfig(AppConfig):
    name = "requests_catalog"
    verbose_name = _("Service requests")

    def ready(self):
        from requests_catalog import registration  # noqa: F401
