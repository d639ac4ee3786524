from core.models import Ticket


class SampleTicket(Ticket):
    """A ticket kind that exists only in tests (tables are created without migrations)."""

    NUMBER_PREFIX = "TST"

    class Meta:
        app_label = "ticketapp"
