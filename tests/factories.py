"""Factories shared across the suite. App-specific ones live beside each app's tests."""

import factory
from django.contrib.auth.models import Group, User

from core import roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-Secret-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])


class AgentFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda obj, create, extracted, **kw: obj.groups.add(Group.objects.get_or_create(name=roles.AGENTS)[0])
    )


class ManagerFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda obj, create, extracted, **kw: obj.groups.add(
            Group.objects.get_or_create(name=roles.MANAGERS)[0]
        )
    )


class CabFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda obj, create, extracted, **kw: obj.groups.add(
            *Group.objects.filter(name__in=[roles.AGENTS, roles.CAB])
        )
    )


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
