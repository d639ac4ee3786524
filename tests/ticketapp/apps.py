from django.apps import AppConfig


class TicketAppConfig(AppConfig):
    name = "tests.ticketapp"
    label = "ticketapp"

    def ready(self):
        from core import registry
        from core.permissions import default_can_view, default_can_work

        from .models import SampleTicket

        registry.register(
            SampleTicket,
            can_view=default_can_view,
            can_work=default_can_work,
            detail_url=lambda ticket: f"/sample/{ticket.pk}/",
        )
