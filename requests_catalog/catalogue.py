"""Writes to the catalogue: categories, items (with their form definition) and task templates."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import StaleVersionError
from core.services.audit import audit_record, audit_snapshot
from requests_catalog import formdef
from requests_catalog.choices import ApprovalRule, Automation
from requests_catalog.models import CatalogCategory, CatalogItem, TaskTemplate
from requests_catalog.permissions import can_manage_catalogue

ITEM_FIELDS = (
    "category",
    "name",
    "name_zh",
    "description",
    "description_zh",
    "icon",
    "keywords",
    "service",
    "owner",
    "fulfilment_team",
    "priority",
    "delivery_hours",
    "approval",
    "approval_group",
    "form",
    "automation",
    "webhook_url",
    "webhook_secret",
    "automation_group",
    "automation_user_field",
    "order",
    "is_active",
)


def item_validate(item: CatalogItem) -> None:
    """Rules that span fields; raises ValidationError naming each field."""
    errors: dict[str, list[str]] = {}
    try:
        item.form = formdef.clean_definition(item.form)
    except ValidationError as exc:
        errors["form"] = exc.messages
    if item.approval == ApprovalRule.GROUP and not item.approval_group:
        errors["approval_group"] = [_("Name the group that approves.")]
    if item.automation == Automation.WEBHOOK and not item.webhook_url:
        errors["webhook_url"] = [_("A webhook item needs the URL to call.")]
    if item.automation == Automation.ADD_TO_GROUP and not item.automation_group:
        errors["automation_group"] = [_("Name the group to add the user to.")]
    if item.automation_user_field and "form" not in errors:
        fields = {f["name"]: f for f in item.form}
        field = fields.get(item.automation_user_field)
        if field is None or field["type"] != "user":
            errors["automation_user_field"] = [_("Name a question of type “user” on this form.")]
    if item.is_automated and not item.fulfilment_team_id:
        errors["fulfilment_team"] = [_("Automated items need a team to take over when automation fails.")]
    if errors:
        raise ValidationError(errors)
    item.full_clean(exclude=["form", "visible_to"])


def item_save(
    *, actor, item: CatalogItem | None = None, visible_to=None, version: int | None = None, **values
) -> CatalogItem:
    if not can_manage_catalogue(actor):
        raise PermissionDenied(_("Only catalogue managers edit the catalogue."))
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    with transaction.atomic():
        if item is not None and item.pk:
            item = CatalogItem.objects.select_for_update().get(pk=item.pk)
            if version is not None and version != item.version:
                raise StaleVersionError(current_version=item.version)
            before = audit_snapshot(item)
            item.version += 1
        else:
            item, before = CatalogItem(), None
        for name, value in values.items():
            setattr(item, name, value)
        item_validate(item)
        item.save()
        if visible_to is not None:
            item.visible_to.set(visible_to)
        audit_record(obj=item, actor=actor, before=before)
    return item


def item_form_save(*, actor, item: CatalogItem, form: list, version: int | None = None) -> CatalogItem:
    """The form editor saves the whole field list at once."""
    return item_save(actor=actor, item=item, version=version, form=form)


def task_templates_save(*, actor, item: CatalogItem, templates: list[dict]) -> list[TaskTemplate]:
    """Replace the item's fulfilment plan: [{step, title, title_zh, team, instructions, visible_fields}]."""
    if not can_manage_catalogue(actor):
        raise PermissionDenied(_("Only catalogue managers edit the catalogue."))
    names = {f["name"] for f in item.form}
    errors = []
    for index, spec in enumerate(templates, start=1):
        if not (spec.get("title") or "").strip():
            errors.append(_("Task %(n)d needs a title.") % {"n": index})
        if not spec.get("team"):
            errors.append(_("Task %(n)d needs a team.") % {"n": index})
        bad = [n for n in spec.get("visible_fields") or [] if n not in names]
        if bad:
            errors.append(
                _("Task %(n)d shows unknown questions: %(names)s") % {"n": index, "names": ", ".join(bad)}
            )
    if errors:
        raise ValidationError({"task_templates": errors})
    with transaction.atomic():
        before = "; ".join(f"{t.step}. {t.title} ({t.team_id})" for t in item.task_templates.all())
        item.task_templates.all().delete()
        created = TaskTemplate.objects.bulk_create(
            TaskTemplate(
                item=item,
                step=int(spec.get("step") or 1),
                title=spec["title"].strip()[:200],
                title_zh=(spec.get("title_zh") or "").strip()[:200],
                team=spec["team"],
                instructions=spec.get("instructions") or "",
                visible_fields=list(spec.get("visible_fields") or []),
            )
            for spec in templates
        )
        after = "; ".join(f"{t.step}. {t.title} ({t.team_id})" for t in created)
        audit_record(
            obj=item, actor=actor, before={"task_templates": before}, after={"task_templates": after}
        )
    return created


CATEGORY_FIELDS = ("name", "name_zh", "description", "description_zh", "parent", "icon", "order", "is_active")


def category_save(*, actor, category: CatalogCategory | None = None, **values) -> CatalogCategory:
    """Create or edit a catalogue category; a category cannot sit under itself or its own descendants."""
    if not can_manage_catalogue(actor):
        raise PermissionDenied(_("Only catalogue managers edit the catalogue."))
    unknown = set(values) - set(CATEGORY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    with transaction.atomic():
        if category is not None and category.pk:
            category = CatalogCategory.objects.select_for_update().get(pk=category.pk)
            before = audit_snapshot(category)
        else:
            category, before = CatalogCategory(), None
        for name, value in values.items():
            setattr(category, name, value)
        parent = category.parent
        while parent is not None and category.pk:
            if parent.pk == category.pk:
                raise ValidationError({"parent": _("A category cannot sit under itself.")}, code="cycle")
            parent = parent.parent
        category.full_clean()
        category.save()
        audit_record(obj=category, actor=actor, before=before)
    return category
