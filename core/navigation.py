"""Navigation entries contributed by apps, so the shell never links to a page that does not exist."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation
    url_name: str
    area: str  # "workspace" or "portal"
    order: int = 100
    visible: Callable | None = None  # (user) -> bool


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.key != item.key for existing in _items):
        _items.append(item)


def items_for(*, area: str, user) -> list[NavItem]:
    return sorted(
        (i for i in _items if i.area == area and (i.visible is None or i.visible(user))),
        key=lambda i: i.order,
    )


@dataclass(frozen=True)
class Widget:
    """A card on the workspace or portal home, contributed by an app (core knows no process)."""

    key: str
    area: str
    template: str
    context: Callable  # (request) -> dict
    order: int = 100


_widgets: list[Widget] = []


def register_widget(widget: Widget) -> None:
    if all(existing.key != widget.key for existing in _widgets):
        _widgets.append(widget)


def widgets_for(*, area: str, request) -> list[dict]:
    rendered = []
    for widget in sorted((w for w in _widgets if w.area == area), key=lambda w: w.order):
        context = widget.context(request)
        if context is not None:
            rendered.append({"template": widget.template, **context})
    return rendered
