"""Words of a system event kept as message and parameters, so each reader sees them in their own
language: timeline entries (core.models.TimelineEntry.text) and SLA clock events
(sla.models.SlaClockEvent.reason_text) are written once and read by English and Chinese users alike."""

from django.utils.functional import Promise
from django.utils.translation import gettext, override


class EventText:
    """The words of a system event, kept as message and parameters so that every reader sees them in
    their own language, whoever wrote them (an English agent, a Chinese one, a nightly task):

        EventText(gettext_lazy("Assigned to %(user)s."), {"user": "li"})

    A parameter that is itself translatable (a state's label) is passed lazy and is translated on
    display too. `note` is free text typed with the change (a comment): shown on its own line, as typed
    (or translated, when the system gives it as a lazy string).
    The entry's body keeps the words in the writer's language, for search and for older readers.
    """

    def __init__(self, message, params: dict | None = None, note="") -> None:
        self.message, self.params = message, dict(params or {})
        # A note written by the system (a lazy string) is translated on display like the message.
        self.note = note if isinstance(note, Promise) else (note or "").strip()

    def render(self) -> str:
        text = str(self.message) % {
            name: str(value) if isinstance(value, Promise) else value for name, value in self.params.items()
        }
        note = str(self.note)
        return f"{text}\n{note}" if note else text

    def as_data(self) -> dict:
        with override(None):  # no language: lazy strings give their message ids
            params = {
                name: {"translate": str(value)} if isinstance(value, Promise) else value
                for name, value in self.params.items()
            }
            note = {"translate": str(self.note)} if isinstance(self.note, Promise) else self.note
            return {"message": str(self.message), "params": params, "note": note}


def kept_text(kept: dict | None, fallback: str) -> str:
    """An EventText stored by `as_data`, rendered in the active language; `fallback` (the words as
    written) when nothing was kept or the record cannot be read."""
    if not kept:
        return fallback
    try:
        params = {
            name: gettext(value["translate"]) if isinstance(value, dict) else value
            for name, value in kept["params"].items()
        }
        text = gettext(kept["message"]) % params
    except (KeyError, TypeError, ValueError, AttributeError):
        return fallback
    note = kept.get("note")
    if isinstance(note, dict):
        note = gettext(note.get("translate", ""))
    return f"{text}\n{note}" if note else text
