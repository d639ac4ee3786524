from django import forms
from django.utils.translation import gettext_lazy as _

from changes.choices import Outcome, Risk
from changes.models import ChangeTemplate, RiskQuestion
from core.forms import ServiceErrorsMixin
from org.models import ConfigurationItem, Service, Team

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StandardChangeForm(ServiceErrorsMixin, forms.Form):
    template = forms.ModelChoiceField(
        label=_("Standard change template"),
        queryset=ChangeTemplate.objects.filter(is_active=True),
        help_text=_("Pre-authorised: scheduled without approval in the template's next window."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    planned_start = forms.DateTimeField(label=_("Planned start"), required=False, widget=DATETIME)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "type": "standard",
            "template": data["template"],
            "title": data["title"],
            "description": data["description"],
            "planned_start": data["planned_start"],
        }


class ChangeForm(ServiceErrorsMixin, forms.Form):
    """Normal and emergency changes; normal ones answer the risk questionnaire."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    implementation_plan = forms.CharField(
        label=_("Implementation plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    backout_plan = forms.CharField(
        label=_("Back-out plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    test_plan = forms.CharField(
        label=_("Test plan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), queryset=Service.objects.filter(is_active=True), required=False
    )
    configuration_items = forms.ModelMultipleChoiceField(
        label=_("Configuration items"),
        queryset=ConfigurationItem.objects.filter(is_active=True),
        required=False,
    )
    planned_start = forms.DateTimeField(label=_("Planned start"), required=False, widget=DATETIME)
    planned_end = forms.DateTimeField(label=_("Planned end"), required=False, widget=DATETIME)
    implementer_team = forms.ModelChoiceField(
        label=_("Implementer team"), queryset=Team.objects.filter(is_active=True), required=False
    )
    risk = forms.ChoiceField(label=_("Risk"), choices=Risk.choices, initial=Risk.LOW)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, change_type: str = "normal", **kwargs):
        super().__init__(*args, **kwargs)
        self.change_type = change_type
        self.questions = []
        if change_type == "normal":
            for question in RiskQuestion.objects.filter(is_active=True).prefetch_related("options"):
                name = f"q_{question.pk}"
                self.fields[name] = forms.ChoiceField(
                    label=question.text, choices=[(o.pk, o.label) for o in question.options.all()]
                )
                self.questions.append((question, name))
            if self.questions:
                del self.fields["risk"]

    def question_fields(self):
        return [self[name] for _question, name in self.questions]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        answers = {str(q.pk): int(data.pop(name)) for q, name in self.questions}
        kwargs = {k: v for k, v in data.items() if not k.startswith("q_") and k != "version"}
        kwargs["type"] = self.change_type
        kwargs["services"] = list(kwargs["services"])
        kwargs["configuration_items"] = list(kwargs["configuration_items"])
        if answers:
            kwargs["risk_answers"] = answers
        return kwargs


class TransitionForm(ServiceErrorsMixin, forms.Form):
    state = forms.CharField()
    version = forms.IntegerField(required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    review_notes = forms.CharField(
        label=_("Review notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def change_initial(change) -> dict:
    """Form values of an existing change (for the edit page)."""
    initial = {name: getattr(change, name) for name in ChangeForm.base_fields if hasattr(change, name)}
    initial["services"] = list(change.services.all())
    initial["configuration_items"] = list(change.configuration_items.all())
    initial["version"] = change.version
    for question_id, option_id in (change.risk_answers or {}).items():
        initial[f"q_{question_id}"] = option_id
    return initial


class ChangeTemplateForm(ServiceErrorsMixin, forms.ModelForm):
    allowed_windows = forms.JSONField(
        label=_("Allowed windows"),
        required=False,
        initial=list,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            'In UTC, e.g. [{"weekday": 5, "start": "20:00", "end": "23:59"}] (Monday is 0). Empty: any time.'
        ),
    )

    class Meta:
        model = ChangeTemplate
        fields = [
            "name",
            "description",
            "implementation_plan",
            "backout_plan",
            "test_plan",
            "risk",
            "allowed_windows",
            "duration_minutes",
            "services",
            "implementer_team",
            "is_active",
            "demoted",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "implementation_plan": forms.Textarea(attrs={"rows": 3}),
            "backout_plan": forms.Textarea(attrs={"rows": 3}),
            "test_plan": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_allowed_windows(self):
        return self.cleaned_data.get("allowed_windows") or []
