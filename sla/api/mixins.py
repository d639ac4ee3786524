"""For the viewsets of process apps whose tickets carry SLA clocks."""

from sla.selectors import attach_clocks


class ClocksOnPageMixin:
    """The page's SLA clocks are read in one query (sla.selectors.attach_clocks); serializers read
    them with `sla.selectors.ticket_clocks`."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_clocks(page)
        return page
