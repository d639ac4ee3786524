import factory

from requests_catalog.models import CatalogCategory, CatalogItem, TaskTemplate
from tests.org.factories import ServiceFactory, TeamFactory


class CatalogCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogCategory

    name = factory.Sequence(lambda n: f"Category {n}")


class CatalogItemFactory(factory.django.DjangoModelFactory):
    """An item with a normalised form; pass form=[...] raw and it is cleaned like the service does."""

    class Meta:
        model = CatalogItem

    category = factory.SubFactory(CatalogCategoryFactory)
    name = factory.Sequence(lambda n: f"Item {n}")
    fulfilment_team = factory.SubFactory(TeamFactory)
    form = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from requests_catalog.formdef import clean_definition

        kwargs["form"] = clean_definition(kwargs.get("form") or [])
        return super()._create(model_class, *args, **kwargs)


class TaskTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskTemplate

    item = factory.SubFactory(CatalogItemFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    team = factory.SubFactory(TeamFactory)


def submit(*, actor, item, answers=None, **kwargs):
    """Requests are submitted through the service, as users do (number, SLA, approvals, tasks)."""
    from requests_catalog.lifecycle import request_submit

    return request_submit(actor=actor, item=item, answers=answers or {}, **kwargs)


__all__ = [
    "CatalogCategoryFactory",
    "CatalogItemFactory",
    "ServiceFactory",
    "TaskTemplateFactory",
    "TeamFactory",
    "submit",
]
