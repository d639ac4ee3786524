"""The portal's HTML form for a catalogue item: rendering, posting, errors beside their questions."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from org.models import Service
from requests_catalog.dynamic_form import build_form
from requests_catalog.formdef import clean_definition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laptop_form():
    return clean_definition(
        [
            {"name": "title", "label": "Title", "label_zh": "标题", "type": "text", "required": True},
            {
                "name": "kind",
                "label": "Kind",
                "type": "choice",
                "choices": ["laptop", "desktop"],
                "required": True,
            },
            {
                "name": "screen",
                "label": "Screen",
                "type": "number",
                "min": 13,
                "required": True,
                "show_if": {"field": "kind", "equals": "laptop"},
            },
            {
                "name": "dock",
                "label": "Dock",
                "type": "checkbox",
                "show_if": {"field": "kind", "equals": "laptop"},
            },
            {"name": "apps", "label": "Apps", "type": "multichoice", "choices": ["office", "vpn"]},
            {"name": "copies", "label": "Copies", "type": "number", "default": 1},
        ]
    )


def render(form) -> str:
    return "".join(
        render_to_string("requests_catalog/_dynamic_field.html", {"field": field}) for field in form
    )


def test_valid_post_exposes_cleaned_answers(laptop_form):
    form = build_form(
        laptop_form,
        data={
            "q-title": " New laptop ",
            "q-kind": "laptop",
            "q-screen": "14",
            "q-dock": "on",
            "q-apps": ["vpn"],
            "q-copies": "2",
        },
    )
    assert form.is_valid(), form.errors
    assert form.answers == {
        "title": "New laptop",
        "kind": "laptop",
        "screen": 14,
        "dock": True,
        "apps": ["vpn"],
        "copies": 2,
    }


def test_every_type_posts():
    user = UserFactory()
    service = Service.objects.create(name="VPN")
    fields = clean_definition(
        [
            {"name": "notes", "label": "Notes", "type": "textarea"},
            {"name": "start", "label": "Start", "type": "date"},
            {"name": "person", "label": "Person", "type": "user"},
            {"name": "svc", "label": "Service", "type": "service"},
        ]
    )
    data = {"q-notes": "a\nb", "q-start": "2026-05-01", "q-person": str(user.pk), "q-svc": str(service.pk)}
    form = build_form(fields, data=data)
    assert form.is_valid(), form.errors
    assert form.answers == {"notes": "a\nb", "start": "2026-05-01", "person": user.pk, "svc": service.pk}


def test_errors_are_put_beside_their_questions_and_typed_values_kept(laptop_form):
    form = build_form(
        laptop_form, data={"q-title": "", "q-kind": "laptop", "q-screen": "11", "q-copies": "many"}
    )
    assert not form.is_valid()
    assert form.errors == {
        "title": ["This question is required."],
        "screen": ["At least 13."],
        "copies": ["Enter a number."],
    }
    html = render(form)
    assert 'value="11"' in html and 'value="many"' in html
    assert '<option value="laptop" selected>' in html
    assert html.count('class="error" role="alert"') == 3


def test_answers_to_hidden_questions_are_ignored(laptop_form):
    # The browser may still send a value for a question the user hid again.
    form = build_form(
        laptop_form, data={"q-title": "PC", "q-kind": "desktop", "q-screen": "9", "q-dock": "on"}
    )
    assert form.is_valid(), form.errors
    assert form.answers == {"title": "PC", "kind": "desktop"}


def test_cleared_or_unticked_answers_are_not_replaced_by_defaults():
    fields = clean_definition(
        [
            {"name": "copies", "label": "Copies", "type": "number", "default": 1},
            {"name": "backup", "label": "Backup", "type": "checkbox", "default": True},
        ]
    )
    form = build_form(fields, data={"q-copies": ""})
    assert form.is_valid(), form.errors
    assert form.answers == {"backup": False}


def test_unbound_form_shows_defaults_and_no_html_required(laptop_form):
    form = build_form(laptop_form)
    assert not form.is_bound
    html = render(form)
    assert 'name="q-copies" value="1"' in html
    assert " required" not in html.replace('aria-required="true"', "")
    assert 'aria-required="true"' in str(form["title"])
    assert "aria-required" not in str(form["apps"])


def test_conditional_questions_carry_their_rule(laptop_form):
    form = build_form(laptop_form, prefix="order")
    screen = str(form["screen"])
    assert 'data-show-if-field="kind"' in screen
    assert 'data-show-if-input="order-kind"' in screen
    assert 'data-show-if-equals="&quot;laptop&quot;"' in screen
    assert 'name="order-screen"' in screen
    assert "data-show-if" not in str(form["title"])


def test_widgets_match_the_types():
    UserFactory(username="zed", first_name="Ann", last_name="Zed")
    UserFactory(username="ab", first_name="Bob", last_name="Able")
    UserFactory(username="gone", is_active=False)
    Service.objects.create(name="E-mail")
    Service.objects.create(name="Old", is_active=False)
    fields = clean_definition(
        [
            {"name": "start", "label": "Start", "type": "date"},
            {"name": "n", "label": "N", "type": "number"},
            {"name": "notes", "label": "Notes", "type": "textarea", "max": 500},
            {"name": "person", "label": "Person", "type": "user"},
            {"name": "svc", "label": "Service", "type": "service"},
            {"name": "ok", "label": "OK", "type": "checkbox"},
        ]
    )
    form = build_form(fields)
    assert 'type="date"' in str(form["start"])
    assert 'type="number"' in str(form["n"]) and 'step="any"' in str(form["n"])
    assert "<textarea" in str(form["notes"]) and 'maxlength="500"' in str(form["notes"])
    person = str(form["person"])
    # A text box with a datalist the people search fills: no page lists every user.
    assert 'type="text"' in person and "<datalist" in person and "/accounts/people/" in person
    assert "Bob Able" not in person and "zed" not in person
    assert "E-mail" in str(form["svc"]) and "Old" not in str(form["svc"])
    assert 'type="checkbox"' in str(form["ok"])


def test_language_switch_shows_chinese_labels(laptop_form):
    assert build_form(laptop_form, language="zh-hans")["title"].label == "标题"
    assert build_form(laptop_form, language="en")["title"].label == "Title"
    assert build_form(laptop_form, language="zh-hans")["kind"].label == "Kind"  # no Chinese label: English
    with translation.override("zh-hans"):
        assert build_form(laptop_form)["title"].label == "标题"


def test_help_text_is_escaped():
    fields = clean_definition([{"name": "x", "label": "X", "type": "text", "help_text": "<b>bold</b>"}])
    html = render(build_form(fields))
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>" not in html


def test_a_person_is_given_by_user_name_or_e_mail():
    ann = UserFactory(username="ann.zed", email="ann@example.com")
    UserFactory(username="gone", is_active=False)
    fields = clean_definition([{"name": "person", "label": "Person", "type": "user", "required": True}])
    for typed in ("ann.zed", "ANN.ZED", "ann@example.com", str(ann.pk)):
        form = build_form(fields, data={"q-person": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.answers == {"person": ann.pk}
    form = build_form(fields, data={"q-person": "gone"})
    assert not form.is_valid()
    assert "Nobody active is called “gone”" in form.errors["person"][0]
    assert 'value="gone"' in str(form["person"])  # what was typed stays


def test_a_default_person_shows_as_their_user_name():
    ann = UserFactory(username="ann.zed")
    fields = clean_definition([{"name": "person", "label": "Person", "type": "user", "default": ann.pk}])
    assert 'value="ann.zed"' in str(build_form(fields)["person"])
