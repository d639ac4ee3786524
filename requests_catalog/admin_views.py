"""Catalogue management for catalogue managers: items, their fulfilment plan and the form editor with preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import StaleVersionError
from requests_catalog import catalogue, dynamic_form
from requests_catalog.forms import (
    CatalogCategoryForm,
    CatalogItemForm,
    FieldDefinitionFormSet,
    TaskTemplateFormSet,
)
from requests_catalog.models import CatalogCategory, CatalogItem
from requests_catalog.permissions import can_manage_catalogue

NUMERIC_BOUNDS = ("number", "text", "textarea")


def _managers_only(request) -> None:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied


@login_required
def item_list(request):
    _managers_only(request)
    items = CatalogItem.objects.select_related("category", "fulfilment_team").order_by(
        "category__order", "order", "name"
    )
    return render(request, "requests_catalog/admin_items.html", {"catalog_items": items})


def _templates_initial(item) -> list[dict]:
    return [
        {
            "step": t.step,
            "title": t.title,
            "title_zh": t.title_zh,
            "team": t.team_id,
            "instructions": t.instructions,
            "visible_fields": ", ".join(t.visible_fields),
        }
        for t in item.task_templates.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int | None = None):
    _managers_only(request)
    item = get_object_or_404(CatalogItem, pk=pk) if pk else None
    if request.method == "POST":
        form = CatalogItemForm(request.POST, instance=item)
        tasks = TaskTemplateFormSet(request.POST, prefix="tasks")
        if form.is_valid() and tasks.is_valid():
            values = {name: form.cleaned_data[name] for name in CatalogItemForm.Meta.fields}
            try:
                saved = catalogue.item_save(
                    actor=request.user,
                    item=item,
                    visible_to=form.cleaned_data["visible_to"],
                    version=form.cleaned_data.get("version"),
                    **values,
                )
                plan = [
                    {
                        **row,
                        "visible_fields": [n.strip() for n in row["visible_fields"].split(",") if n.strip()],
                    }
                    for row in tasks.cleaned_data
                    if row and not row.get("DELETE")
                ]
                catalogue.task_templates_save(actor=request.user, item=saved, templates=plan)
            except StaleVersionError:
                form.add_error(
                    None, _("Someone else saved this item meanwhile. Reload it and apply your change again.")
                )
            except ValidationError as exc:
                form.add_errors(exc)
                if hasattr(exc, "error_dict") and "task_templates" in exc.error_dict:
                    form.add_error(None, exc.error_dict["task_templates"])
            else:
                messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
                return redirect("requests_catalog:admin_item_edit", pk=saved.pk)
    else:
        form = CatalogItemForm(
            instance=item,
            initial={
                "version": item.version if item else None,
                "visible_to": item.visible_to.all() if item else [],
            },
        )
        tasks = TaskTemplateFormSet(prefix="tasks", initial=_templates_initial(item) if item else [])
    status = 400 if request.method == "POST" else 200  # a successful POST has redirected
    return render(
        request,
        "requests_catalog/admin_item_edit.html",
        {"item": item, "form": form, "tasks": tasks},
        status=status,
    )


# --- the form editor ----------------------------------------------------------------------------------


def _parse_scalar(field_type: str, raw: str):
    raw = (raw or "").strip()
    if raw == "":
        return None
    if field_type == "checkbox":
        return raw.lower() in ("true", "1", "yes", "on")
    if field_type == "multichoice":
        return [v.strip() for v in raw.split(",") if v.strip()]
    if field_type in ("number", "user", "service"):
        try:
            number = float(raw)
        except ValueError:
            return raw  # clean_definition names it
        return int(number) if number.is_integer() else number
    return raw


def _parse_bound(field_type: str, raw: str):
    raw = (raw or "").strip()
    if raw == "":
        return None
    if field_type in NUMERIC_BOUNDS:
        return _parse_scalar("number", raw)
    return raw


def rows_to_definition(rows: list[dict]) -> list[dict]:
    """Form-editor rows (in their chosen order, deleted ones dropped) → a definition for clean_definition."""
    kept = [r for r in rows if r and not r.get("DELETE")]
    kept.sort(key=lambda r: (r.get("ORDER") is None, r.get("ORDER") or 0))
    definition = []
    for row in kept:
        field_type = row["type"]
        field = {
            "name": row["name"],
            "label": row["label"],
            "label_zh": row.get("label_zh", ""),
            "type": field_type,
            "required": bool(row.get("required")),
            "help_text": row.get("help_text", ""),
            "help_text_zh": row.get("help_text_zh", ""),
        }
        if (row.get("choices") or "").strip():
            choices = []
            for line in row["choices"].splitlines():
                if line.strip():
                    parts = [p.strip() for p in line.split("|")]
                    choices.append(
                        {
                            "value": parts[0],
                            "label": parts[1] if len(parts) > 1 else parts[0],
                            "label_zh": parts[2] if len(parts) > 2 else "",
                        }
                    )
            field["choices"] = choices
        for key, value in (
            ("default", _parse_scalar(field_type, row.get("default"))),
            ("min", _parse_bound(field_type, row.get("min"))),
            ("max", _parse_bound(field_type, row.get("max"))),
            ("pattern", (row.get("pattern") or "").strip() or None),
        ):
            if value is not None:
                field[key] = value
        if (row.get("show_if_field") or "").strip():
            equals = (row.get("show_if_equals") or "").strip()
            field["show_if"] = {
                "field": row["show_if_field"].strip(),
                "equals": {"true": True, "false": False}.get(equals.lower(), equals),
            }
        definition.append(field)
    return definition


def definition_to_rows(definition: list[dict]) -> list[dict]:
    rows = []
    for order, field in enumerate(definition, start=1):
        default = field.get("default")
        rows.append(
            {
                "name": field["name"],
                "label": field["label"],
                "label_zh": field.get("label_zh", ""),
                "type": field["type"],
                "required": field.get("required", False),
                "help_text": field.get("help_text", ""),
                "help_text_zh": field.get("help_text_zh", ""),
                "choices": "\n".join(
                    "|".join(p for p in (c["value"], c["label"], c.get("label_zh", "")) if p)
                    for c in field.get("choices") or []
                ),
                "default": ", ".join(default)
                if isinstance(default, list)
                else (
                    ""
                    if default is None
                    else str(default).lower()
                    if isinstance(default, bool)
                    else str(default)
                ),
                "min": "" if field.get("min") is None else str(field["min"]),
                "max": "" if field.get("max") is None else str(field["max"]),
                "pattern": field.get("pattern") or "",
                "show_if_field": (field.get("show_if") or {}).get("field", ""),
                "show_if_equals": str((field.get("show_if") or {}).get("equals", ""))
                .replace("True", "true")
                .replace("False", "false"),
                "ORDER": order,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def item_form_editor(request, pk: int):
    _managers_only(request)
    item = get_object_or_404(CatalogItem, pk=pk)
    errors: list[str] = []
    definition = item.form
    if request.method == "POST":
        formset = FieldDefinitionFormSet(request.POST, prefix="fields")
        if formset.is_valid():
            definition = rows_to_definition(formset.cleaned_data)
            if "save" in request.POST:
                try:
                    catalogue.item_form_save(
                        actor=request.user,
                        item=item,
                        form=definition,
                        version=int(request.POST.get("version") or 0) or None,
                    )
                except StaleVersionError:
                    errors.append(
                        _("Someone else saved this item meanwhile. Reload it and apply your change again.")
                    )
                except ValidationError as exc:
                    errors.extend(exc.message_dict.get("form", exc.messages))
                else:
                    messages.success(request, _("The form of %(name)s is saved.") % {"name": item.name})
                    return redirect("requests_catalog:admin_item_form", pk=item.pk)
        else:
            errors.append(_("Some questions are incomplete: see the marked rows."))
    else:
        formset = FieldDefinitionFormSet(prefix="fields", initial=definition_to_rows(item.form))
    try:
        from requests_catalog.formdef import clean_definition

        preview = dynamic_form.build_form(clean_definition(definition), language=translation.get_language())
    except ValidationError as exc:
        preview = None
        if request.method == "POST" and not errors:
            errors.extend(exc.message_dict.get("form", exc.messages))
    return render(
        request,
        "requests_catalog/admin_item_form.html",
        {"item": item, "formset": formset, "preview": preview, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request, pk: int | None = None):
    """All categories with a form to add one, or (with pk) to edit that one."""
    _managers_only(request)
    category = get_object_or_404(CatalogCategory, pk=pk) if pk else None
    form = CatalogCategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in CatalogCategoryForm.Meta.fields}
        try:
            saved = catalogue.category_save(actor=request.user, category=category, **values)
        except ValidationError as exc:
            form.add_errors(exc)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            return redirect("requests_catalog:admin_categories")
    categories = CatalogCategory.objects.select_related("parent").order_by("parent__order", "order", "name")
    return render(
        request,
        "requests_catalog/admin_categories.html",
        {"categories": categories, "form": form, "editing": category},
        status=400 if form.errors else 200,
    )
