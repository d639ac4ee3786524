from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceErrorsMixin
from core.roles import AGENTS, MANAGERS
from incidents.choices import HoldReason, ResolutionCode
from incidents.models import Category, Incident
from org.models import ConfigurationItem, Service, Team

User = get_user_model()


def agents_queryset():
    return (
        User.objects.filter(is_active=True, groups__name__in=[AGENTS, MANAGERS])
        .distinct()
        .order_by("username")
    )


class IncidentForm(ServiceErrorsMixin, forms.ModelForm):
    """The agent's logging and edit form. Priority follows from impact × urgency."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Incident
        fields = [
            "title",
            "description",
            "requester",
            "service",
            "configuration_item",
            "category",
            "impact",
            "urgency",
            "assignment_group",
            "assignee",
            "channel",
            "is_major",
            "outage_start",
            "outage_end",
            "caused_by_change",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "outage_start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "outage_end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["requester"].required = False
        self.fields["requester"].help_text = _("Leave empty when you report it yourself.")
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.fields["configuration_item"].queryset = ConfigurationItem.objects.filter(
            is_active=True
        ).select_related("service")
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent")
        self.fields["assignment_group"].queryset = Team.objects.filter(is_active=True)
        self.fields["assignment_group"].help_text = _("Leave empty to route by service and category.")
        self.fields["assignee"].queryset = agents_queryset()
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            del self.fields["requester"]
        for name in ("outage_start", "outage_end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def _post_clean(self):
        # The service validates the whole incident; don't let the ModelForm run model validation on a
        # half-built instance (number, requester are set by the service).
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class TransitionForm(ServiceErrorsMixin, forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hold_reason = forms.ChoiceField(
        label=_("Hold reason"), choices=[("", "—")] + HoldReason.choices, required=False
    )
    resolution_code = forms.ChoiceField(
        label=_("Resolution code"), choices=[("", "—")] + ResolutionCode.choices, required=False
    )
    resolution_notes = forms.CharField(
        label=_("Resolution notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class BulkAssignForm(ServiceErrorsMixin, forms.Form):
    incidents = forms.ModelMultipleChoiceField(queryset=Incident.objects.none(), label=_("Incidents"))
    assignment_group = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True), required=False, label=_("Team")
    )
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Assignee"))

    def __init__(self, *args, incidents_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = (
            incidents_qs if incidents_qs is not None else Incident.objects.none()
        )
        self.fields["assignee"].queryset = agents_queryset()

    def clean(self):
        data = super().clean()
        if not data.get("assignment_group") and not data.get("assignee"):
            raise forms.ValidationError(_("Choose a team, an assignee, or both."))
        return data


class PortalReportForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("What is wrong?"), max_length=200, help_text=_("One line, in your own words.")
    )
    description = forms.CharField(
        label=_("Details"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What were you doing, what did you expect, any error message."),
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True), required=False, label=_("Which service is affected?")
    )


class RatingForm(ServiceErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(5, _("5 — Very satisfied")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — Very dissatisfied"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
