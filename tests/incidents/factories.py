import factory

from incidents.models import Category
from tests.org.factories import ServiceFactory, TeamFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


def make_incident(*, actor, **kwargs):
    """Incidents are created through the service, as users create them (number, SLA, routing)."""
    from incidents.services import incident_create

    kwargs.setdefault("title", "VPN drops every few minutes")
    return incident_create(actor=actor, **kwargs)


__all__ = ["CategoryFactory", "ServiceFactory", "TeamFactory", "make_incident"]
