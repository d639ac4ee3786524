import factory

from core.services.numbering import number_next
from tests.factories import UserFactory
from tests.ticketapp.models import SampleTicket


class SampleTicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SampleTicket

    number = factory.LazyFunction(lambda: number_next(prefix=SampleTicket.NUMBER_PREFIX))
    title = factory.Sequence(lambda n: f"Printer on floor {n} is jammed")
    requester = factory.SubFactory(UserFactory)
