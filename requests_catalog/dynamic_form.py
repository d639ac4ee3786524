"""The portal's HTML form for a catalogue item's form definition.

Django fields here only render and collect values (all are required=False); requiredness, conditional
questions and every other rule are decided by ``formdef.clean_answers``, so the portal and the API agree.
"""

import json

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from org.selectors import service_options
from requests_catalog import formdef

EMPTY_CHOICE = ("", "---------")


class ValuesField(forms.Field):
    """The list of values ticked in a group of checkboxes, left for formdef to check."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value) -> list[str]:
        return [str(item) for item in value] if isinstance(value, list | tuple) else []


def _choice_options(field: dict, language: str) -> list[tuple[str, str]]:
    zh = language.lower().startswith("zh")
    return [(c["value"], (c.get("label_zh") if zh else "") or c["label"]) for c in field["choices"]]


class PersonInput(forms.TextInput):
    """Type a name: htmx fills a datalist from the people search, so no page lists every user."""

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-people"
        attrs = {
            **(attrs or {}),
            "list": list_id,
            "autocomplete": "off",
            "hx-get": f"{reverse('people_search')}?field={name}",
            "hx-trigger": "input changed delay:250ms",
            "hx-target": f"#{list_id}",
        }
        return super().render(name, value, attrs, renderer) + format_html(
            '<datalist id="{}"></datalist>', list_id
        )


class PersonField(forms.CharField):
    """A user name or e-mail address (or an id, from the API's shape) → the person's id for formdef."""

    widget = PersonInput

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if not value or value.isdigit():
            return value
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username__iexact=value).first() or users.filter(email__iexact=value).first()
        if user is None:
            raise ValidationError(
                _("Nobody active is called “%(name)s”. Type a user name or e-mail address.") % {"name": value}
            )
        return str(user.pk)

    def prepare_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            user = get_user_model().objects.filter(pk=int(value)).only("username").first()
            return user.get_username() if user else value
        return value


def _length_attrs(field: dict) -> dict:
    return {"maxlength": field["max"]} if field.get("max") is not None else {}


def _number_attrs(field: dict) -> dict:
    attrs = {"step": "any"}
    attrs.update({key: field[key] for key in ("min", "max") if field.get(key) is not None})
    return attrs


def _date_attrs(field: dict) -> dict:
    limits = {key: formdef.date_limit(field.get(key)) for key in ("min", "max")}
    return {"type": "date", **{key: day.isoformat() for key, day in limits.items() if day}}


FIELD_BUILDERS = {
    "text": lambda f, lang: forms.CharField(widget=forms.TextInput(attrs=_length_attrs(f))),
    "textarea": lambda f, lang: forms.CharField(widget=forms.Textarea(attrs={"rows": 4, **_length_attrs(f)})),
    "number": lambda f, lang: forms.CharField(widget=forms.NumberInput(attrs=_number_attrs(f))),
    "date": lambda f, lang: forms.CharField(widget=forms.DateInput(attrs=_date_attrs(f))),
    "choice": lambda f, lang: forms.CharField(
        widget=forms.Select(choices=[EMPTY_CHOICE, *_choice_options(f, lang)])
    ),
    "multichoice": lambda f, lang: ValuesField(
        widget=forms.CheckboxSelectMultiple(choices=_choice_options(f, lang))
    ),
    "user": lambda f, lang: PersonField(),
    "service": lambda f, lang: forms.CharField(
        widget=forms.Select(choices=[EMPTY_CHOICE, *service_options()])
    ),
    "checkbox": lambda f, lang: forms.BooleanField(),
}


class CatalogueForm(forms.Form):
    """One Django field per question; `answers` holds the cleaned answers once the form is valid."""

    def __init__(self, definition: list[dict], *, language: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.definition = definition
        self.answers: dict | None = None
        language = language or translation.get_language() or ""
        for field in definition:
            self.fields[field["name"]] = self._build_field(field, language)

    def _build_field(self, field: dict, language: str) -> forms.Field:
        django_field = FIELD_BUILDERS[field["type"]](field, language)
        django_field.required = False  # formdef decides, knowing which questions are shown
        django_field.label = formdef.field_label(field, language)
        django_field.help_text = escape(formdef.field_help(field, language))
        django_field.initial = field.get("default")
        django_field.catalog_required = bool(field.get("required"))  # for the field template's marker
        attrs = django_field.widget.attrs
        if field.get("required"):
            attrs["aria-required"] = "true"
        if field.get("show_if"):
            attrs["data-show-if-field"] = field["show_if"]["field"]
            attrs["data-show-if-input"] = self.add_prefix(field["show_if"]["field"])
            attrs["data-show-if-equals"] = json.dumps(field["show_if"]["equals"])
        return django_field

    def clean(self):
        cleaned_data = super().clean()
        # Values Django itself refused (e.g. a NUL character) are already reported beside their field.
        submitted = {name: value for name, value in cleaned_data.items() if name not in self.errors}
        try:
            # Answers to questions the other answers hide are dropped: the browser may still send them.
            self.answers = formdef.clean_answers(self.definition, submitted, ignore_hidden=True)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name not in self.errors:
                    for message in messages:
                        self.add_error(name if name in self.fields else None, message)
        return cleaned_data


def build_form(
    fields: list[dict],
    *,
    data=None,
    initial: dict | None = None,
    language: str | None = None,
    prefix: str = "q",
) -> forms.Form:
    """A bound (with `data`) or unbound form for a normalised definition; initial values are the defaults."""
    return CatalogueForm(fields, language=language, data=data, initial=initial, prefix=prefix)
