import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import AgentFactory, CabFactory, ManagerFactory, StaffFactory, UserFactory

ROLE_FACTORIES = {
    "requester": UserFactory,
    "agent": AgentFactory,
    "manager": ManagerFactory,
    "cab": CabFactory,
    "staff": StaffFactory,
}


@pytest.fixture
def make_user(db):
    """make_user("agent") → a saved user with that role."""

    def make(role: str = "requester", **kwargs):
        return ROLE_FACTORIES[role](**kwargs)

    return make


@pytest.fixture
def login_as(client, make_user):
    """login_as("manager") → (client logged in, user)."""

    def login(role: str = "requester", user=None, **kwargs):
        user = user or make_user(role, **kwargs)
        client.force_login(user)
        return client, user

    return login


@pytest.fixture
def api_as(make_user):
    """api_as("agent") → (APIClient authenticated by token, user)."""

    def make(role: str = "requester", user=None, **kwargs):
        user = user or make_user(role, **kwargs)
        token, _ = Token.objects.get_or_create(user=user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api, user

    return make


@pytest.fixture(autouse=True)
def _fresh_search_statistics():
    """The KEDB's per-process term-frequency cache is keyed by the corpus; rolled-back tests can
    recreate an identical-looking corpus with other words, so every test starts without it."""
    from problems.search.ranking import df_cache_clear

    df_cache_clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_calendar_specs():
    """Compiled calendars are cached per process by (id, revision); a rolled-back test can leave an
    id and revision that the next test reuses for another calendar."""
    from sla import specs

    specs.clear()
    yield
