"""Catalogue item forms defined as data: the one place that validates a definition and the answers to it.

A definition is a list of field dicts (normalised by ``clean_definition``); answers are ``{name: value}``.
The portal's HTML form (``dynamic_form``) and the REST API both delegate here.
"""

import math
import re
from contextlib import nullcontext
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.templatetags.itsm import person
from org.models import Service

FIELD_TYPES: tuple[str, ...] = tuple(
    "text textarea number date choice multichoice user service checkbox".split()
)
KEYS = tuple(
    "name label label_zh type required help_text help_text_zh default choices min max pattern show_if".split()
)
CHOICE_TYPES = ("choice", "multichoice")
LENGTH_TYPES = ("text", "textarea")
NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,49}")
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
INTEGER_RE = re.compile(r"[+-]?\d+")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
RELATIVE_DATE_RE = re.compile(r"([+-])(\d{1,5})d")
CHECKBOX_STRINGS = {"true": True, "on": True, "1": True, "false": False, "0": False}
_MISSING = object()


# --- answers: one cleaner per type; each returns the cleaned value or raises ValidationError(message) ---


def _clean_text(field: dict, value) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Enter text."))
    if "\x00" in value:
        raise ValidationError(_("Null characters are not allowed."))
    text = value.strip()
    low, high = field.get("min"), field.get("max")
    if low is not None and len(text) < low:
        raise ValidationError(
            ngettext("At least %(limit)d character.", "At least %(limit)d characters.", low) % {"limit": low}
        )
    if high is not None and len(text) > high:
        raise ValidationError(
            ngettext("At most %(limit)d character.", "At most %(limit)d characters.", high) % {"limit": high}
        )
    if field.get("pattern") and not re.fullmatch(field["pattern"], text):
        raise ValidationError(_("This answer is not in the expected format."))
    return text


def _clean_number(field: dict, value) -> int | float:
    number, text = None, value.strip() if isinstance(value, str) and len(value) <= 50 else ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif INTEGER_RE.fullmatch(text):
        number = int(text)
    elif NUMBER_RE.fullmatch(text):
        number = float(text)
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        raise ValidationError(_("Enter a number."))
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    low, high = field.get("min"), field.get("max")
    if low is not None and number < low:
        raise ValidationError(_("At least %(limit)s.") % {"limit": low})
    if high is not None and number > high:
        raise ValidationError(_("At most %(limit)s.") % {"limit": high})
    return number


def _date_spec(spec) -> tuple[str, object] | None:
    """("relative", days) for "today"/"+Nd"/"-Nd", ("date", date) for "YYYY-MM-DD", None when invalid."""
    spec = spec.strip().lower() if isinstance(spec, str) else ""
    relative = RELATIVE_DATE_RE.fullmatch(spec)
    if spec == "today" or relative:
        return ("relative", int(relative.group(1) + relative.group(2)) if relative else 0)
    try:
        return ("date", date.fromisoformat(spec)) if DATE_RE.fullmatch(spec) else None
    except ValueError:
        return None


# The day "today" means while answers are checked: the submission's own day (back-dated imports, demo).
_today: ContextVar[date | None] = ContextVar("formdef_today", default=None)


def date_limit(spec) -> date | None:
    """The concrete date of a date field's min/max ("YYYY-MM-DD", "today", "+Nd", "-Nd"), None if unset."""
    kind, value = _date_spec(spec) or (None, None)
    return (_today.get() or timezone.localdate()) + timedelta(days=value) if kind == "relative" else value


def _clean_date(field: dict, value) -> str:
    day = value if isinstance(value, date) and not isinstance(value, datetime) else None
    if isinstance(value, str) and DATE_RE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValidationError(_("Enter a valid date as YYYY-MM-DD."))
    low, high = date_limit(field.get("min")), date_limit(field.get("max"))
    if low is not None and day < low:
        raise ValidationError(_("On or after %(limit)s.") % {"limit": low.isoformat()})
    if high is not None and day > high:
        raise ValidationError(_("On or before %(limit)s.") % {"limit": high.isoformat()})
    return day.isoformat()


def _choice_key(value) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _choice_values(field: dict) -> list[str]:
    return [_choice_key(c["value"] if isinstance(c, dict) else c) for c in field.get("choices") or []]


def _clean_choice(field: dict, value) -> str:
    key = _choice_key(value)
    if key is None:
        raise ValidationError(_("Choose one of the choices."))
    if key not in _choice_values(field):
        raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": key})
    return key


def _clean_multichoice(field: dict, value) -> list[str]:
    if not isinstance(value, list | tuple):
        raise ValidationError(_("Give a list of choices."))
    values = _choice_values(field)
    picked = {_choice_key(item) for item in value}
    unknown = [str(item) for item in value if _choice_key(item) not in values]
    if unknown:
        raise ValidationError(
            ngettext(
                "Not one of the choices: %(values)s.", "Not among the choices: %(values)s.", len(unknown)
            )
            % {"values": ", ".join(unknown)}
        )
    return [choice for choice in values if choice in picked]


def _pk(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii() and len(value) <= 18:
        return int(value.strip())
    return None


def _record_model(kind: str):
    return get_user_model() if kind == "user" else Service


def _clean_record(field: dict, value) -> int:
    """A user or a service: its id, as a number or a string of digits; it must exist and be active."""
    pk = _pk(value)
    if pk is None or not _record_model(field["type"]).objects.filter(pk=pk, is_active=True).exists():
        raise ValidationError(
            _("Choose an active user.") if field["type"] == "user" else _("Choose an active service.")
        )
    return pk


def _clean_checkbox(field: dict, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in CHECKBOX_STRINGS:
        return CHECKBOX_STRINGS[value.strip().lower()]
    raise ValidationError(_("Answer true or false."))


CLEANERS = {
    "text": _clean_text,
    "textarea": _clean_text,
    "number": _clean_number,
    "date": _clean_date,
    "choice": _clean_choice,
    "multichoice": _clean_multichoice,
    "user": _clean_record,
    "service": _clean_record,
    "checkbox": _clean_checkbox,
}


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], ())


def _shown(field: dict, by_name: dict, state: dict, values: dict, *, unknown_if_missing: bool = False):
    """True (shown), False (hidden) or None (unknown: the controlling answer is itself in error)."""
    rule = field.get("show_if")
    if not rule:
        return True
    controller = rule.get("field")
    if state.get(controller, False) is not True:
        return state.get(controller, False)
    if controller not in values and unknown_if_missing:
        return None
    value, equals = values.get(controller), rule.get("equals")
    if by_name.get(controller, {}).get("type") == "checkbox":
        return bool(value) == equals
    return equals in value if isinstance(value, list) else value == equals


def visible_fields(fields: list[dict], answers: dict) -> list[dict]:
    """The fields shown for these cleaned answers, in order (a hidden field hides those that depend on it)."""
    by_name, state = {field["name"]: field for field in fields}, {}
    for field in fields:
        state[field["name"]] = _shown(field, by_name, state, answers)
    return [field for field in fields if state[field["name"]]]


def _clean_one(field: dict, answers: dict, shown, *, partial_ok: bool, ignore_hidden: bool):
    name = field["name"]
    present, raw = name in answers, answers.get(name)
    if shown is False:
        if present and not _is_empty(raw) and not ignore_hidden:
            raise ValidationError(_("This question does not apply to your other answers."))
        return _MISSING
    required = bool(field.get("required")) and shown is True
    if _is_empty(raw):
        if required and (present or not partial_ok):
            raise ValidationError(_("This question is required."))
        if present and field.get("type") == "checkbox":
            return False
        if present or partial_ok or shown is None:
            return _MISSING
        if field.get("default") is not None:
            default = field["default"]
            return list(default) if isinstance(default, list) else default
        return False if field.get("type") == "checkbox" else _MISSING
    value = CLEANERS[field["type"]](field, raw)
    if value is False and required:
        raise ValidationError(_("This question is required."))
    return value


def clean_answers(
    fields: list[dict],
    answers,
    *,
    partial_ok: bool = False,
    ignore_hidden: bool = False,
    today: date | None = None,
) -> dict:
    """Validate a submission against a normalised definition; errors name every bad field at once.

    partial_ok: missing answers are allowed (no "required" errors, no defaults filled in) - for drafts and
    partial updates; the result holds only the answers given. ignore_hidden: answers to questions the other
    answers hide are dropped silently instead of refused (the HTML form, where the browser may send them).
    today: the day relative date limits count from (default: the current local date).
    """
    token = _today.set(today)
    try:
        return _clean_answers(fields, answers, partial_ok=partial_ok, ignore_hidden=ignore_hidden)
    finally:
        _today.reset(token)


def _clean_answers(fields: list[dict], answers, *, partial_ok: bool, ignore_hidden: bool) -> dict:
    if not isinstance(answers, dict):
        raise ValidationError({"answers": [_("Answers must be an object of question names and answers.")]})
    by_name = {field["name"]: field for field in fields}
    errors = {str(key): [_("This question is not on the form.")] for key in answers if key not in by_name}
    cleaned, state = {}, {}
    for field in fields:
        name = field["name"]
        shown = _shown(field, by_name, state, cleaned, unknown_if_missing=partial_ok)
        try:
            value = _clean_one(field, answers, shown, partial_ok=partial_ok, ignore_hidden=ignore_hidden)
        except ValidationError as exc:
            errors[name] = exc.messages
            shown = None
        else:
            if value is not _MISSING:
                cleaned[name] = value
        state[name] = shown
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- showing answers ---


def _zh(language: str | None) -> bool:
    return (language or translation.get_language() or "").lower().startswith("zh")


def field_label(field: dict, language: str | None = None) -> str:
    return field.get("label_zh") if _zh(language) and field.get("label_zh") else field.get("label", "")


def field_help(field: dict, language: str | None = None) -> str:
    if _zh(language) and field.get("help_text_zh"):
        return field["help_text_zh"]
    return field.get("help_text") or ""


def _choice_label(field: dict, value, language: str | None) -> str:
    for choice in field.get("choices") or []:
        if isinstance(choice, dict) and choice.get("value") == value:
            return choice.get("label_zh") if _zh(language) and choice.get("label_zh") else choice.get("label")
    return str(value)


def _record_display(kind: str, value, records: dict | None = None) -> str:
    if records is not None:
        return records.get((kind, value), str(value))
    record = _record_model(kind).objects.filter(pk=value).first()
    if record is None:
        return str(value)
    return person(record) if kind == "user" else record.display_name


def record_names(pairs) -> dict:
    """{(kind, pk): display name} for ("user"|"service", pk) pairs: one query per kind, for a whole page."""
    wanted: dict[str, set] = {"user": set(), "service": set()}
    for kind, pk in pairs:
        if kind in wanted and isinstance(pk, int):
            wanted[kind].add(pk)
    names = {}
    for kind, pks in wanted.items():
        if pks:
            for record in _record_model(kind).objects.filter(pk__in=pks):
                names[(kind, record.pk)] = person(record) if kind == "user" else record.display_name
    return names


def answer_display(field: dict, value, *, language: str | None = None, records: dict | None = None) -> str:
    """Human text for one cleaned answer, for request pages ("" when unanswered). `records` comes from
    record_names() when a page shows many answers; without it a user or service answer costs a query."""
    if _is_empty(value):
        return ""
    kind = field.get("type")
    with translation.override(language) if language else nullcontext():
        if kind == "checkbox":
            return _("Yes") if value else _("No")
    if kind == "choice":
        return _choice_label(field, value, language)
    if kind == "multichoice":
        return ", ".join(_choice_label(field, item, language) for item in value)
    return _record_display(kind, value, records) if kind in ("user", "service") else str(value)


# --- definitions ---


def _clean_choices(field: dict, raw, problems: list) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        problems.append(_("choices are needed for a %(type)s field.") % {"type": field["type"]})
        return []
    choices = []
    for number, item in enumerate(raw, start=1):
        item = item if isinstance(item, dict) else {"value": item}
        value, label, label_zh = item.get("value"), item.get("label"), item.get("label_zh")
        texts_ok = all(text is None or isinstance(text, str) for text in (label, label_zh))
        if not _choice_key(value) or not texts_ok or set(item) - {"value", "label", "label_zh"}:
            problems.append(
                _("choice %(number)d must be a value or {value, label, label_zh}.") % {"number": number}
            )
            continue
        value = _choice_key(value)
        choices.append(
            {"value": value, "label": (label or "").strip() or value, "label_zh": (label_zh or "").strip()}
        )
    values = [choice["value"] for choice in choices]
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        problems.append(
            _("choice values must be unique: %(values)s repeated.") % {"values": ", ".join(repeated)}
        )
    return choices


BOUND_CHECKS = {
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
    "text": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "textarea": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "date": lambda v: _date_spec(v) is not None,
}


def _clean_bound(field: dict, key: str, value, problems: list):
    kind = field["type"]
    if value is None:
        return None
    if kind not in BOUND_CHECKS:
        problems.append(_("%(key)s is not allowed for a %(type)s field.") % {"key": key, "type": kind})
    elif not BOUND_CHECKS[kind](value):
        messages = {
            "number": _("%(key)s must be a number."),
            "date": _('%(key)s must be a date (YYYY-MM-DD), "today", "+Nd" or "-Nd".'),
        }
        problems.append(messages.get(kind, _("%(key)s must be a whole number, 0 or more.")) % {"key": key})
    elif kind == "date":
        return value.strip().lower()
    else:
        return int(value) if float(value).is_integer() else value
    return None


def _clean_show_if(field: dict, rule, names: list, earlier: dict, problems: list):
    if rule is None:
        return None
    if not isinstance(rule, dict) or set(rule) != {"field", "equals"}:
        problems.append(_('show_if must be null or {"field": ..., "equals": ...}.'))
        return None
    controller = rule["field"] if isinstance(rule["field"], str) else None
    if controller == field["name"]:
        problems.append(_("show_if: a field cannot depend on itself."))
    elif controller is None or controller not in names:
        problems.append(_("show_if names no field “%(field)s”.") % {"field": controller})
    elif controller not in earlier:
        problems.append(
            _("show_if must name an earlier field; “%(field)s” is not before it.") % {"field": controller}
        )
    elif _is_empty(rule["equals"]):
        problems.append(_("show_if needs a value to compare the answer with."))
    elif earlier[controller] is not None:
        target = earlier[controller]
        cleaner = CLEANERS["choice" if target["type"] == "multichoice" else target["type"]]
        try:
            return {"field": controller, "equals": cleaner(target, rule["equals"])}
        except ValidationError as exc:
            problems.append(
                _("show_if: %(equals)s is not a possible answer to “%(field)s”: %(problem)s")
                % {"equals": rule["equals"], "field": controller, "problem": " ".join(exc.messages)}
            )
    return None


def _clean_field(raw, names: list, earlier: dict, problems: list) -> dict | None:
    """The normalised field, or None when it has problems (appended to `problems`)."""
    if not isinstance(raw, dict):
        problems.append(_("each field must be an object with a name, a label and a type."))
        return None
    unknown = sorted(str(key) for key in set(raw) - set(KEYS))
    if unknown:
        problems.append(_("unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)})
    field = dict.fromkeys(KEYS)
    name, label, kind = raw.get("name"), raw.get("label"), raw.get("type")
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        problems.append(
            _("the name must start with a-z and use only a-z, 0-9 and _ (50 characters at most).")
        )
    elif name in earlier:
        problems.append(_("the name is already used by an earlier field."))
    if not isinstance(label, str) or not label.strip():
        problems.append(_("a label is needed."))
    for key in ("label_zh", "help_text", "help_text_zh"):
        if raw.get(key) is not None and not isinstance(raw.get(key), str):
            problems.append(_("%(key)s must be text.") % {"key": key})
        field[key] = raw[key].strip() if isinstance(raw.get(key), str) else ""
    if raw.get("required") is not None and not isinstance(raw.get("required"), bool):
        problems.append(_("required must be true or false."))
    if kind not in FIELD_TYPES:
        problems.append(
            _("unknown type “%(type)s”; use one of %(types)s.")
            % {"type": kind, "types": ", ".join(FIELD_TYPES)}
        )
        return None
    field.update(name=name, label=label.strip() if isinstance(label, str) else label, type=kind)
    field["required"] = raw.get("required") is True
    if kind in CHOICE_TYPES:
        field["choices"] = _clean_choices(field, raw.get("choices"), problems)
    elif raw.get("choices") not in (None, []):  # [] is how a cleaned non-choice field says "none"
        problems.append(_("choices are not allowed for a %(type)s field.") % {"type": kind})
    field["choices"] = field["choices"] or []
    field["min"] = _clean_bound(field, "min", raw.get("min"), problems)
    field["max"] = _clean_bound(field, "max", raw.get("max"), problems)
    if field["min"] is not None and field["max"] is not None:
        low, high = (_date_spec(field[k]) if kind == "date" else (None, field[k]) for k in ("min", "max"))
        if low[0] == high[0] and low[1] > high[1]:
            problems.append(_("min must not be greater than max."))
    pattern = raw.get("pattern")
    if pattern not in (None, "") and kind not in LENGTH_TYPES:
        problems.append(_("a pattern is only allowed for text fields."))
    elif pattern not in (None, ""):
        try:
            re.compile(pattern)
            field["pattern"] = pattern
        except (re.error, TypeError) as exc:
            problems.append(_("the pattern is not a valid regular expression (%(error)s).") % {"error": exc})
    field["show_if"] = _clean_show_if(field, raw.get("show_if"), names, earlier, problems)
    if problems:
        return None
    if not _is_empty(raw.get("default")):
        try:
            field["default"] = CLEANERS[kind](field, raw["default"])
        except ValidationError as exc:
            problems.append(
                _("the default is not a valid answer: %(problem)s") % {"problem": " ".join(exc.messages)}
            )
            return None
    return field


def clean_definition(fields) -> list[dict]:
    """Validate an admin's form definition; every problem is reported at once, naming its field."""
    if not isinstance(fields, list):
        raise ValidationError({"form": [_("The form must be a list of fields.")]})
    names = [raw.get("name") if isinstance(raw, dict) else None for raw in fields]
    messages, earlier, cleaned = [], {}, []
    for number, raw in enumerate(fields, start=1):
        problems: list[str] = []
        field = _clean_field(raw, names, earlier, problems)
        name = names[number - 1]
        for problem in problems:
            if isinstance(name, str) and name:
                context = {"number": number, "name": name, "problem": problem}
                messages.append(_('Field %(number)d "%(name)s": %(problem)s') % context)
            else:
                messages.append(_("Field %(number)d: %(problem)s") % {"number": number, "problem": problem})
        if isinstance(name, str) and name not in earlier:
            earlier[name] = field
        cleaned.append(field)
    if messages:
        raise ValidationError({"form": messages})
    return cleaned
