import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ServiceErrorsMixin
from incidents.forms import agents_queryset
from incidents.models import Category, Incident
from org.models import Service, Team
from problems.choices import IncidentNote
from problems.models import Problem


class ProblemForm(ServiceErrorsMixin, forms.ModelForm):
    """Raise a problem and write its root-cause analysis. The state moves only through actions."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Problem
        fields = [
            "title",
            "description",
            "symptoms",
            "root_cause",
            "rca_method",
            "rca_notes",
            "workaround",
            "plain_workaround",
            "fix_change",
            "fix_notes",
            "priority",
            "category",
            "services",
            "owner_team",
            "owner",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "symptoms": forms.Textarea(attrs={"rows": 3}),
            "root_cause": forms.Textarea(attrs={"rows": 3}),
            "rca_notes": forms.Textarea(attrs={"rows": 5}),
            "workaround": forms.Textarea(attrs={"rows": 3}),
            "plain_workaround": forms.Textarea(attrs={"rows": 3}),
            "fix_notes": forms.Textarea(attrs={"rows": 3}),
            "services": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "symptoms": _("What users see, in their words (English and Chinese): suggestions match on this."),
            "rca_notes": _("For 5 whys: one why per line, down to the cause."),
            "fix_change": _("The change or vendor reference that removes the cause, e.g. CHG0001234."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent")
        self.fields["services"].queryset = Service.objects.filter(is_active=True)
        self.fields["owner_team"].queryset = Team.objects.filter(is_active=True)
        self.fields["owner"].queryset = agents_queryset()
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        # The service validates the whole problem; no model validation on a half-built instance.
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["services"] = list(data.get("services") or [])
        return data


class TransitionForm(ServiceErrorsMixin, forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    fix_notes = forms.CharField(
        label=_("Permanent fix"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    fix_change = forms.CharField(label=_("Fix change"), max_length=100, required=False)
    resolve_incidents = forms.BooleanField(label=_("Also resolve the linked open incidents"), required=False)
    incident_note = forms.ChoiceField(
        label=_("Resolve them with"),
        choices=IncidentNote.choices,
        initial=IncidentNote.FIX,
        widget=forms.RadioSelect,
        required=False,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


NUMBER = re.compile(r"INC\d+", re.IGNORECASE)


class LinkIncidentsForm(ServiceErrorsMixin, forms.Form):
    numbers = forms.CharField(
        label=_("Incident numbers"),
        help_text=_("One or more, e.g. INC0001001, INC0001002"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_numbers(self) -> list[Incident]:
        numbers = [n.upper() for n in NUMBER.findall(self.cleaned_data["numbers"])]
        if not numbers:
            raise forms.ValidationError(_("Give incident numbers such as INC0001001."))
        found = {i.number: i for i in Incident.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(_("No such incident: %(numbers)s.") % {"numbers": ", ".join(missing)})
        return [found[n] for n in dict.fromkeys(numbers)]


class ProposalAcceptForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Problem title"), max_length=200, required=False)
