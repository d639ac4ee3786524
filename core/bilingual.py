"""Names administrators write in English and, optionally, Simplified Chinese (services, categories,
catalogue items). Each reader sees the one for their language; a missing Chinese name falls back to
the English one."""

from django.utils import translation


def in_chinese() -> bool:
    return (translation.get_language() or "").lower().startswith("zh")


def pick(english: str, chinese: str) -> str:
    """The text for the active language: `chinese` for Chinese readers when there is one."""
    return chinese if chinese and in_chinese() else english


class BilingualName:
    """For models with `name` and `name_zh` (and optionally `description` and `description_zh`)."""

    @property
    def display_name(self) -> str:
        return pick(self.name, self.name_zh)

    @property
    def display_description(self) -> str:
        return pick(self.description, self.description_zh)
