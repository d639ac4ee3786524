"""Who may see a ticket's shared parts (timeline, attachments): delegated to the ticket kind."""

from core import registry
from core.roles import is_agent


def ticket_can_view(user, ticket) -> bool:
    kind = registry.kind_for_model(type(ticket))
    return bool(kind and user.is_authenticated and kind.can_view(user, ticket))


def attachment_can_download(user, attachment) -> bool:
    ticket = attachment.ticket
    if ticket is None or not ticket_can_view(user, ticket):
        return False
    if attachment.is_internal:
        kind = registry.kind_for_model(type(ticket))
        return bool(kind and kind.can_work(user, ticket))
    return True


def default_can_view(user, ticket) -> bool:
    """The usual rule: agents see every ticket, requesters their own."""
    return user.is_authenticated and (is_agent(user) or ticket.requester_id == user.pk)


def default_can_work(user, ticket) -> bool:
    return is_agent(user)
