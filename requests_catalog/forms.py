from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from approvals.models import Decision
from core.forms import ServiceErrorsMixin
from org.models import Team
from requests_catalog.formdef import FIELD_TYPES
from requests_catalog.models import CatalogCategory, CatalogItem


class RequestTransitionForm(ServiceErrorsMixin, forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskActionForm(ServiceErrorsMixin, forms.Form):
    state = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assign_to_me = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject."),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=[(i, str(i)) for i in range(1, 6)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CatalogItemForm(ServiceErrorsMixin, forms.ModelForm):
    """Item settings for catalogue managers; the questions are edited on the form editor page."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    webhook_url = forms.URLField(label=_("webhook URL"), required=False, assume_scheme="https")
    visible_to = forms.ModelMultipleChoiceField(
        label=_("Who may order"),
        queryset=Group.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty so that everyone may order it."),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CatalogItem
        fields = [
            "category",
            "name",
            "name_zh",
            "icon",
            "description",
            "description_zh",
            "keywords",
            "service",
            "owner",
            "fulfilment_team",
            "priority",
            "delivery_hours",
            "approval",
            "approval_group",
            "automation",
            "webhook_url",
            "webhook_secret",
            "automation_group",
            "automation_user_field",
            "order",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            "webhook_secret": forms.PasswordInput(render_value=True),
        }


class FieldDefinitionForm(forms.Form):
    """One question in the form editor. Choices: one per line, `value|label|中文标签`."""

    name = forms.SlugField(label=_("Name"), max_length=50)
    label = forms.CharField(label=_("Label"), max_length=200)
    label_zh = forms.CharField(label=_("Label (Chinese)"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=[(t, t) for t in FIELD_TYPES])
    required = forms.BooleanField(label=_("Required"), required=False)
    help_text = forms.CharField(label=_("Help text"), required=False)
    help_text_zh = forms.CharField(label=_("Help text (Chinese)"), required=False)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: value|label|中文"),
    )
    default = forms.CharField(label=_("Default"), required=False)
    min = forms.CharField(label=_("Min"), required=False)
    max = forms.CharField(label=_("Max"), required=False)
    pattern = forms.CharField(label=_("Pattern"), required=False)
    show_if_field = forms.CharField(label=_("Show only if question"), required=False)
    show_if_equals = forms.CharField(label=_("has the value"), required=False)


FieldDefinitionFormSet = forms.formset_factory(FieldDefinitionForm, extra=1, can_delete=True, can_order=True)


class TaskTemplateForm(forms.Form):
    step = forms.IntegerField(label=_("Step"), min_value=1, max_value=50, initial=1)
    title = forms.CharField(label=_("Task"), max_length=200)
    title_zh = forms.CharField(label=_("Task (Chinese)"), max_length=200, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.filter(is_active=True).order_by("name")
    )
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    visible_fields = forms.CharField(
        label=_("Answers shown"),
        required=False,
        help_text=_("Question names separated by commas; empty shows all."),
    )


TaskTemplateFormSet = forms.formset_factory(TaskTemplateForm, extra=1, can_delete=True)


class CatalogCategoryForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = CatalogCategory
        fields = ["name", "name_zh", "parent", "icon", "order", "description", "description_zh", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_zh": forms.Textarea(attrs={"rows": 2}),
        }
