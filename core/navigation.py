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
