"""Catalogue forms defined as data: definitions, answers, conditional questions, display."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from org.models import Service
from requests_catalog.formdef import (
    FIELD_TYPES,
    answer_display,
    clean_answers,
    clean_definition,
    field_help,
    field_label,
    visible_fields,
)
from tests.factories import UserFactory


def form(*fields):
    return clean_definition([{"label": f["name"].title(), **f} for f in fields])


def errors_of(fields, answers, **kwargs) -> dict:
    with pytest.raises(ValidationError) as exc:
        clean_answers(fields, answers, **kwargs)
    return exc.value.message_dict


def definition_errors(fields) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        clean_definition(fields)
    return exc.value.message_dict["form"]


# --- definitions ---


def test_every_type_is_known():
    assert set(FIELD_TYPES) == {
        "text",
        "textarea",
        "number",
        "date",
        "choice",
        "multichoice",
        "user",
        "service",
        "checkbox",
    }


def test_definition_is_normalised():
    [field] = clean_definition(
        [
            {
                "name": "size",
                "label": " Size ",
                "type": "choice",
                "choices": ["S", {"value": "L", "label": "Large"}],
            }
        ]
    )
    assert field == {
        "name": "size",
        "label": "Size",
        "label_zh": "",
        "type": "choice",
        "required": False,
        "help_text": "",
        "help_text_zh": "",
        "default": None,
        "choices": [
            {"value": "S", "label": "S", "label_zh": ""},
            {"value": "L", "label": "Large", "label_zh": ""},
        ],
        "min": None,
        "max": None,
        "pattern": None,
        "show_if": None,
    }


def test_empty_definition_is_a_form_without_questions():
    assert clean_definition([]) == []


@pytest.mark.parametrize("value", [None, {"name": "x"}, "text", 3])
def test_definition_must_be_a_list(value):
    assert definition_errors(value) == ["The form must be a list of fields."]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("not a dict", "Field 1: each field must be an object"),
        (
            {"name": "Bad-Name", "label": "L", "type": "text"},
            'Field 1 "Bad-Name": the name must start with a-z',
        ),
        ({"name": "9lives", "label": "L", "type": "text"}, 'Field 1 "9lives": the name'),
        ({"name": "a" * 51, "label": "L", "type": "text"}, "50 characters at most"),
        ({"type": "text", "label": "L"}, "Field 1: the name must"),
        ({"name": "x", "type": "text"}, 'Field 1 "x": a label is needed.'),
        ({"name": "x", "label": "L", "type": "colour"}, 'Field 1 "x": unknown type “colour”'),
        ({"name": "x", "label": "L", "type": "text", "colour": "red"}, 'Field 1 "x": unknown keys: colour.'),
        ({"name": "x", "label": "L", "type": "text", "required": "yes"}, "required must be true or false."),
        (
            {"name": "cpu", "label": "L", "type": "choice"},
            'Field 1 "cpu": choices are needed for a choice field.',
        ),
        ({"name": "x", "label": "L", "type": "multichoice", "choices": []}, "choices are needed"),
        (
            {"name": "x", "label": "L", "type": "text", "choices": ["a"]},
            "choices are not allowed for a text field.",
        ),
        (
            {"name": "x", "label": "L", "type": "choice", "choices": ["a", "a"]},
            "choice values must be unique",
        ),
        (
            {"name": "x", "label": "L", "type": "choice", "choices": [{"label": "A"}]},
            "choice 1 must be a value",
        ),
        ({"name": "x", "label": "L", "type": "text", "pattern": "[a-"}, "the pattern is not a valid regular"),
        (
            {"name": "x", "label": "L", "type": "number", "pattern": "\\d+"},
            "a pattern is only allowed for text",
        ),
        (
            {"name": "x", "label": "L", "type": "number", "min": 5, "max": 1},
            "min must not be greater than max.",
        ),
        (
            {"name": "x", "label": "L", "type": "text", "min": 9, "max": 2},
            "min must not be greater than max.",
        ),
        ({"name": "x", "label": "L", "type": "text", "max": -1}, "max must be a whole number, 0 or more."),
        ({"name": "x", "label": "L", "type": "number", "min": "low"}, "min must be a number."),
        ({"name": "x", "label": "L", "type": "number", "min": True}, "min must be a number."),
        (
            {"name": "x", "label": "L", "type": "date", "min": "2026-12-01", "max": "2026-01-01"},
            "min must not be",
        ),
        (
            {"name": "x", "label": "L", "type": "date", "min": "+5d", "max": "today"},
            "min must not be greater",
        ),
        ({"name": "x", "label": "L", "type": "date", "min": "next week"}, "min must be a date"),
        ({"name": "x", "label": "L", "type": "date", "max": "2026-02-30"}, "max must be a date"),
        (
            {"name": "x", "label": "L", "type": "checkbox", "max": 3},
            "max is not allowed for a checkbox field.",
        ),
        (
            {"name": "x", "label": "L", "type": "number", "max": 3, "default": 4},
            "the default is not a valid answer",
        ),
        (
            {"name": "x", "label": "L", "type": "choice", "choices": ["a"], "default": "b"},
            "the default is not",
        ),
        ({"name": "x", "label": "L", "type": "checkbox", "default": "maybe"}, "the default is not a valid"),
        (
            {"name": "x", "label": "L", "type": "text", "show_if": {"field": "x", "equals": 1}},
            "cannot depend on itself",
        ),
        (
            {"name": "x", "label": "L", "type": "text", "show_if": {"field": "nope", "equals": 1}},
            "names no field",
        ),
        ({"name": "x", "label": "L", "type": "text", "show_if": {"field": "y"}}, "show_if must be null or"),
        ({"name": "x", "label": "L", "type": "text", "show_if": "y"}, "show_if must be null or"),
    ],
)
def test_definition_errors_name_the_field(field, expected):
    messages = definition_errors([field])
    assert any(expected in message for message in messages), messages


def test_show_if_must_point_to_an_earlier_field():
    messages = definition_errors(
        [
            {
                "name": "extra",
                "label": "Extra",
                "type": "text",
                "show_if": {"field": "wants", "equals": True},
            },
            {"name": "wants", "label": "Wants", "type": "checkbox"},
        ]
    )
    assert messages == ['Field 1 "extra": show_if must name an earlier field; “wants” is not before it.']


def test_show_if_value_must_be_a_possible_answer_of_the_controller():
    messages = definition_errors(
        [
            {"name": "size", "label": "Size", "type": "choice", "choices": ["S", "M"]},
            {"name": "why", "label": "Why", "type": "text", "show_if": {"field": "size", "equals": "XL"}},
        ]
    )
    assert len(messages) == 1 and messages[0].startswith('Field 2 "why": show_if')


def test_show_if_needs_a_value():
    messages = definition_errors(
        [
            {"name": "why", "label": "Why", "type": "text"},
            {"name": "more", "label": "More", "type": "text", "show_if": {"field": "why", "equals": ""}},
        ]
    )
    assert messages == ['Field 2 "more": show_if needs a value to compare the answer with.']


def test_duplicate_names_and_several_problems_are_all_reported():
    messages = definition_errors(
        [
            {"name": "cpu", "label": "CPU", "type": "number"},
            {"name": "cpu", "label": "CPU again", "type": "number"},
            {"name": "ram", "label": "RAM", "type": "choice"},
        ]
    )
    assert messages == [
        'Field 2 "cpu": the name is already used by an earlier field.',
        'Field 3 "ram": choices are needed for a choice field.',
    ]


def test_bounds_and_defaults_are_normalised():
    fields = clean_definition(
        [
            {"name": "when", "label": "When", "type": "date", "min": "Today", "max": "+30d"},
            {"name": "count", "label": "Count", "type": "number", "min": 1.0, "max": 2.5, "default": "2"},
            {
                "name": "tags",
                "label": "Tags",
                "type": "multichoice",
                "choices": ["a", "b"],
                "default": ["b", "a"],
            },
            {"name": "ok", "label": "OK", "type": "checkbox", "default": "on"},
        ]
    )
    assert (fields[0]["min"], fields[0]["max"]) == ("today", "+30d")
    assert (fields[1]["min"], fields[1]["max"], fields[1]["default"]) == (1, 2.5, 2)
    assert fields[2]["default"] == ["a", "b"]
    assert fields[3]["default"] is True


# --- answers: every type ---


@pytest.mark.django_db
def test_every_type_is_accepted_and_cleaned():
    user = UserFactory()
    service = Service.objects.create(name="E-mail")
    fields = form(
        {"name": "title", "type": "text"},
        {"name": "notes", "type": "textarea"},
        {"name": "cpus", "type": "number"},
        {"name": "ratio", "type": "number"},
        {"name": "start", "type": "date"},
        {"name": "size", "type": "choice", "choices": ["S", "M"]},
        {"name": "tags", "type": "multichoice", "choices": ["a", "b", "c"]},
        {"name": "person", "type": "user"},
        {"name": "service", "type": "service"},
        {"name": "agree", "type": "checkbox"},
    )
    answers = {
        "title": "  Laptop ",
        "notes": "line 1\nline 2\n",
        "cpus": "4",
        "ratio": 2.5,
        "start": "2026-03-01",
        "size": "M",
        "tags": ["c", "a", "c"],
        "person": str(user.pk),
        "service": service.pk,
        "agree": True,
    }
    assert clean_answers(fields, answers) == {
        "title": "Laptop",
        "notes": "line 1\nline 2",
        "cpus": 4,
        "ratio": 2.5,
        "start": "2026-03-01",
        "size": "M",
        "tags": ["a", "c"],
        "person": user.pk,
        "service": service.pk,
        "agree": True,
    }


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [(3, 3), (3.0, 3), ("3.0", 3), (" -2 ", -2), ("1e3", 1000), ("0.5", 0.5), (".5", 0.5)],
)
def test_numbers_are_ints_when_integral(given, cleaned):
    result = clean_answers(form({"name": "n", "type": "number"}), {"n": given})["n"]
    assert result == cleaned and type(result) is type(cleaned)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("text", ["a", "list"]),
        ("text", 12),
        ("textarea", {"a": 1}),
        ("text", "a\x00b"),
        ("number", "abc"),
        ("number", True),
        ("number", "nan"),
        ("number", float("inf")),
        ("number", "1_000"),
        ("number", [1]),
        ("number", "9" * 5000),
        ("date", "01/02/2026"),
        ("date", "2026-02-30"),
        ("date", 20260101),
        ("choice", "XL"),
        ("choice", ["S"]),
        ("multichoice", "S"),
        ("multichoice", ["S", "XL"]),
        ("user", "abc"),
        ("user", 999999),
        ("user", True),
        ("service", "x1"),
        ("service", 999999),
        ("checkbox", "yes"),
        ("checkbox", 1),
    ],
)
def test_wrong_type_is_refused(kind, value):
    choices = {"choices": ["S", "M"]} if kind in ("choice", "multichoice") else {}
    fields = form({"name": "q", "type": kind, **choices})
    errors = errors_of(fields, {"q": value})
    assert list(errors) == ["q"] and errors["q"][0]


def test_type_error_messages_are_clear():
    fields = form(
        {"name": "n", "type": "number"},
        {"name": "d", "type": "date"},
        {"name": "c", "type": "choice", "choices": ["S"]},
        {"name": "m", "type": "multichoice", "choices": ["S"]},
        {"name": "b", "type": "checkbox"},
    )
    errors = errors_of(fields, {"n": "abc", "d": "tomorrow", "c": "XL", "m": ["S", "XL"], "b": "yes"})
    assert errors == {
        "n": ["Enter a number."],
        "d": ["Enter a valid date as YYYY-MM-DD."],
        "c": ["“XL” is not one of the choices."],
        "m": ["Not one of the choices: XL."],
        "b": ["Answer true or false."],
    }


@pytest.mark.django_db
def test_inactive_user_and_service_are_refused():
    fields = form({"name": "person", "type": "user"}, {"name": "service", "type": "service"})
    user = UserFactory(is_active=False)
    service = Service.objects.create(name="Retired", is_active=False)
    assert errors_of(fields, {"person": user.pk, "service": str(service.pk)}) == {
        "person": ["Choose an active user."],
        "service": ["Choose an active service."],
    }


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [(True, True), (False, False), ("true", True), ("on", True), ("1", True), ("false", False), ("0", False)],
)
def test_checkbox_accepts_bools_and_html_strings(given, cleaned):
    assert clean_answers(form({"name": "ok", "type": "checkbox"}), {"ok": given}) == {"ok": cleaned}


def test_multichoice_deduplicates_in_choice_order():
    fields = form({"name": "tags", "type": "multichoice", "choices": ["a", "b", "c"]})
    assert clean_answers(fields, {"tags": ["c", "a", "c", "a"]}) == {"tags": ["a", "c"]}


def test_choices_given_as_dicts_match_on_value():
    fields = form({"name": "size", "type": "choice", "choices": [{"value": "s", "label": "Small"}]})
    assert clean_answers(fields, {"size": "s"}) == {"size": "s"}
    assert "size" in errors_of(fields, {"size": "Small"})


# --- required, defaults, limits ---


def test_required_questions_must_be_answered():
    fields = form(
        {"name": "title", "type": "text", "required": True},
        {"name": "tags", "type": "multichoice", "choices": ["a"], "required": True},
        {"name": "agree", "type": "checkbox", "required": True},
        {"name": "count", "type": "number", "required": True},
    )
    required = ["This question is required."]
    assert errors_of(fields, {"title": "   ", "tags": [], "agree": False}) == {
        "title": required,
        "tags": required,
        "agree": required,
        "count": required,
    }


def test_omitted_optional_answers_take_the_default_or_are_left_out():
    fields = form(
        {"name": "count", "type": "number", "default": 2},
        {"name": "notes", "type": "text"},
        {"name": "tags", "type": "multichoice", "choices": ["a", "b"], "default": ["b"]},
        {"name": "urgent", "type": "checkbox"},
        {"name": "backup", "type": "checkbox", "default": True},
    )
    assert clean_answers(fields, {}) == {"count": 2, "tags": ["b"], "urgent": False, "backup": True}


def test_an_explicitly_blank_optional_answer_does_not_take_the_default():
    fields = form(
        {"name": "notes", "type": "text", "default": "none"}, {"name": "backup", "type": "checkbox"}
    )
    assert clean_answers(fields, {"notes": "", "backup": None}) == {"backup": False}


def test_partial_answers_skip_required_and_defaults():
    fields = form(
        {"name": "title", "type": "text", "required": True}, {"name": "n", "type": "number", "default": 1}
    )
    assert clean_answers(fields, {}, partial_ok=True) == {}
    assert errors_of(fields, {"n": "x"}, partial_ok=True) == {"n": ["Enter a number."]}


@pytest.mark.parametrize(
    ("value", "message"), [(2, "At least 3."), (500.5, "At most 500."), ("2.9", "At least 3.")]
)
def test_number_limits(value, message):
    fields = form({"name": "n", "type": "number", "min": 3, "max": 500})
    assert errors_of(fields, {"n": value}) == {"n": [message]}
    assert clean_answers(fields, {"n": 3}) == {"n": 3}
    assert clean_answers(fields, {"n": 500}) == {"n": 500}


def test_text_length_limits_count_the_stripped_text():
    fields = form({"name": "t", "type": "textarea", "min": 3, "max": 5})
    assert errors_of(fields, {"t": " ab "}) == {"t": ["At least 3 characters."]}
    assert errors_of(fields, {"t": "abcdef"}) == {"t": ["At most 5 characters."]}
    assert clean_answers(fields, {"t": "  abcde  "}) == {"t": "abcde"}


def test_pattern_must_match_the_whole_answer():
    fields = form({"name": "tag", "type": "text", "pattern": r"[A-Z]{2}-\d{3}"})
    assert clean_answers(fields, {"tag": "AB-123"}) == {"tag": "AB-123"}
    assert errors_of(fields, {"tag": "AB-1234"}) == {"tag": ["This answer is not in the expected format."]}


def test_date_limits_with_concrete_dates():
    fields = form({"name": "d", "type": "date", "min": "2026-12-01", "max": "2026-12-31"})
    assert errors_of(fields, {"d": "2026-11-30"}) == {"d": ["On or after 2026-12-01."]}
    assert errors_of(fields, {"d": "2027-01-01"}) == {"d": ["On or before 2026-12-31."]}
    assert clean_answers(fields, {"d": dt.date(2026, 12, 1)}) == {"d": "2026-12-01"}


@time_machine.travel(dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_date_limits_relative_to_today():
    fields = form(
        {"name": "start", "type": "date", "min": "today"},
        {"name": "end", "type": "date", "min": "+2d", "max": "+30d"},
        {"name": "since", "type": "date", "min": "-7d"},
    )
    assert errors_of(fields, {"start": "2026-05-09", "end": "2026-05-11", "since": "2026-05-02"}) == {
        "start": ["On or after 2026-05-10."],
        "end": ["On or after 2026-05-12."],
        "since": ["On or after 2026-05-03."],
    }
    assert errors_of(fields, {"end": "2026-06-10"}) == {"end": ["On or before 2026-06-09."]}
    assert clean_answers(fields, {"start": "2026-05-10", "end": "2026-06-09", "since": "2026-05-03"})


# --- unknown questions, several errors at once ---


def test_answers_must_be_an_object():
    assert errors_of(form({"name": "t", "type": "text"}), ["t"]) == {
        "answers": ["Answers must be an object of question names and answers."]
    }


def test_unknown_questions_are_refused():
    assert errors_of(form({"name": "t", "type": "text"}), {"t": "x", "colour": "red"}) == {
        "colour": ["This question is not on the form."]
    }


def test_every_bad_answer_is_reported_at_once():
    fields = form(
        {"name": "title", "type": "text", "required": True},
        {"name": "cpus", "type": "number", "max": 8},
        {"name": "size", "type": "choice", "choices": ["S"]},
    )
    errors = errors_of(fields, {"cpus": 16, "size": "XL", "extra": 1})
    assert set(errors) == {"title", "cpus", "size", "extra"}


# --- conditional questions ---


@pytest.fixture
def laptop_form():
    return form(
        {"name": "kind", "type": "choice", "choices": ["laptop", "desktop"], "required": True},
        {
            "name": "screen",
            "type": "number",
            "required": True,
            "show_if": {"field": "kind", "equals": "laptop"},
        },
        {"name": "dock", "type": "checkbox", "show_if": {"field": "kind", "equals": "laptop"}},
        {
            "name": "dock_model",
            "type": "text",
            "required": True,
            "show_if": {"field": "dock", "equals": True},
        },
    )


def test_shown_question_is_required(laptop_form):
    assert errors_of(laptop_form, {"kind": "laptop"}) == {"screen": ["This question is required."]}
    assert clean_answers(laptop_form, {"kind": "laptop", "screen": 14}) == {
        "kind": "laptop",
        "screen": 14,
        "dock": False,
    }


def test_checkbox_controller(laptop_form):
    assert errors_of(laptop_form, {"kind": "laptop", "screen": 14, "dock": "on"}) == {
        "dock_model": ["This question is required."]
    }
    answers = {"kind": "laptop", "screen": 14, "dock": True, "dock_model": "USB-C"}
    assert clean_answers(laptop_form, answers) == answers


def test_hidden_question_is_not_required_and_is_left_out(laptop_form):
    assert clean_answers(laptop_form, {"kind": "desktop"}) == {"kind": "desktop"}


def test_answer_to_a_hidden_question_is_refused(laptop_form):
    errors = errors_of(laptop_form, {"kind": "desktop", "screen": 15, "dock_model": "USB-C"})
    message = ["This question does not apply to your other answers."]
    assert errors == {"screen": message, "dock_model": message}


def test_answer_to_a_hidden_question_can_be_ignored(laptop_form):
    cleaned = clean_answers(laptop_form, {"kind": "desktop", "screen": "x"}, ignore_hidden=True)
    assert cleaned == {"kind": "desktop"}


def test_controller_in_error_does_not_cascade(laptop_form):
    assert errors_of(laptop_form, {"kind": "tablet", "screen": 14}) == {
        "kind": ["“tablet” is not one of the choices."]
    }


def test_multichoice_controller_shows_when_the_value_is_ticked():
    fields = form(
        {"name": "apps", "type": "multichoice", "choices": ["office", "vpn"]},
        {
            "name": "vpn_reason",
            "type": "text",
            "required": True,
            "show_if": {"field": "apps", "equals": "vpn"},
        },
    )
    assert errors_of(fields, {"apps": ["office", "vpn"]}) == {"vpn_reason": ["This question is required."]}
    assert clean_answers(fields, {"apps": ["office"]}) == {"apps": ["office"]}
    assert "vpn_reason" in errors_of(fields, {"apps": ["office"], "vpn_reason": "remote"})


def test_visible_fields(laptop_form):
    names = lambda answers: [f["name"] for f in visible_fields(laptop_form, answers)]  # noqa: E731
    assert names({"kind": "desktop"}) == ["kind"]
    assert names({"kind": "laptop", "dock": False}) == ["kind", "screen", "dock"]
    assert names({"kind": "laptop", "dock": True}) == ["kind", "screen", "dock", "dock_model"]
    # A hidden controller hides its dependants whatever its stale value.
    assert names({"kind": "desktop", "dock": True}) == ["kind"]


# --- labels and display ---


def test_labels_and_help_follow_the_language():
    [field] = clean_definition(
        [{"name": "x", "label": "Size", "label_zh": "尺寸", "help_text": "Pick one", "type": "text"}]
    )
    assert field_label(field, "zh-hans") == "尺寸"
    assert field_label(field, "en") == "Size"
    assert field_help(field, "zh-hans") == "Pick one"  # no Chinese help: the English one
    with translation.override("zh-hans"):
        assert field_label(field) == "尺寸"


@pytest.mark.django_db
def test_answer_display():
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    nameless = UserFactory(first_name="", last_name="")
    service = Service.objects.create(name="VPN")
    size, tags, agree, person, svc, day = form(
        {"name": "size", "type": "choice", "choices": [{"value": "s", "label": "Small", "label_zh": "小"}]},
        {"name": "tags", "type": "multichoice", "choices": [{"value": "a", "label": "A"}, "b"]},
        {"name": "agree", "type": "checkbox"},
        {"name": "person", "type": "user"},
        {"name": "svc", "type": "service"},
        {"name": "day", "type": "date"},
    )
    assert answer_display(size, "s") == "Small"
    assert answer_display(size, "s", language="zh-hans") == "小"
    assert answer_display(tags, ["a", "b"]) == "A, b"
    assert answer_display(agree, True) == "Yes"
    assert answer_display(agree, False) == "No"
    assert answer_display(person, user.pk) == "Ada Lovelace"
    assert answer_display(person, nameless.pk) == nameless.username
    assert answer_display(svc, service.pk) == "VPN"
    assert answer_display(day, "2026-05-01") == "2026-05-01"
    assert answer_display(size, None) == ""


def test_a_cleaned_definition_cleans_again_to_itself():
    """Stored forms are cleaned definitions; saving one again (editor, API round trip) must not fail."""
    raw = [
        {"name": "hand", "label": "Hand", "type": "checkbox"},
        {"name": "size", "label": "Size", "type": "choice", "choices": ["s", "m"], "default": "m"},
        {"name": "note", "label": "Note", "type": "text", "min": 2, "max": 50, "pattern": "[a-z ]+"},
        {
            "name": "when",
            "label": "When",
            "type": "date",
            "min": "today",
            "show_if": {"field": "hand", "equals": True},
        },
    ]
    once = clean_definition(raw)
    assert clean_definition(once) == once
