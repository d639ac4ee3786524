from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "problems"
    verbose_name = _("Problem management")

    def ready(self):
        from problems import registration  # noqa: F401 - registers the ticket kind and navigation
