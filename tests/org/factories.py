import factory

from org.models import ConfigurationItem, Service, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")
    criticality = Service.Criticality.MEDIUM


class ConfigurationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfigurationItem

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"srv-{n:03d}")
