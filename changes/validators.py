from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_windows(value) -> None:
    """Allowed windows: [{"weekday": 0-6 (Monday 0), "start": "HH:MM", "end": "HH:MM"}], start before end."""
    message = _('Each window is {"weekday": 0-6, "start": "HH:MM", "end": "HH:MM"}, start before end.')
    if not isinstance(value, list):
        raise ValidationError(message, code="windows")
    for window in value:
        try:
            if not 0 <= int(window["weekday"]) <= 6:
                raise ValueError
            times = []
            for key in ("start", "end"):
                hours, minutes = str(window[key]).split(":")
                if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59 and len(minutes) == 2):
                    raise ValueError
                times.append((int(hours), int(minutes)))
            if times[0] >= times[1]:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            raise ValidationError(message, code="windows") from None
