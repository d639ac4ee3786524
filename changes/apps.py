from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = _("Change enablement")

    def ready(self):
        from changes import registration  # noqa: F401 - ticket kind, navigation, approval hook
