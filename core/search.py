"""Portal search across processes: each app registers a provider, so core knows none of them.

search.register(search.Provider(key="catalogue", label=_("Order"), order=10, search=find_items))

def find_items(*, user, text, limit) -> list[search.Hit]: ...
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: str = ""
    icon: str = ""


@dataclass(frozen=True)
class Provider:
    key: str
    label: str  # a lazy translation: the heading of this provider's results
    search: Callable[..., list[Hit]]  # (*, user, text, limit) -> hits, best first, already permission-scoped
    order: int = 100


_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if all(existing.key != provider.key for existing in _providers):
        _providers.append(provider)


def search_all(*, user, text: str, limit: int = 6) -> list[dict]:
    """[{key, label, hits}] for every provider with hits, in provider order."""
    text = (text or "").strip()
    if not text:
        return []
    results = []
    for provider in sorted(_providers, key=lambda p: p.order):
        hits = provider.search(user=user, text=text[:200], limit=limit)
        if hits:
            results.append({"key": provider.key, "label": provider.label, "hits": hits})
    return results
