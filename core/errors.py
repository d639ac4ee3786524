from django.core.exceptions import ValidationError


class StaleVersionError(Exception):
    """A write was based on an older version of the record than the one stored."""

    def __init__(self, *, current_version: int):
        super().__init__(f"stale version; current is {current_version}")
        self.current_version = current_version


__all__ = ["StaleVersionError", "ValidationError"]
