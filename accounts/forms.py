from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import timezone_choices
from core.forms import ServiceErrorsMixin


class PreferencesForm(ServiceErrorsMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Same as my browser"))] + list(settings.LANGUAGES),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [
            ("", _("Server default (%(tz)s)") % {"tz": settings.TIME_ZONE})
        ] + (timezone_choices())
