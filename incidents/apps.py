from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident management")

    def ready(self):
        from incidents import registration  # noqa: F401 - registers the ticket kind, navigation and SLA hooks
