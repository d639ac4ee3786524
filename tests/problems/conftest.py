import pytest

from tests.incidents.conftest import desk  # noqa: F401 - the shared service-desk fixture
from tests.problems.factories import make_known_error


@pytest.fixture
def known_error(desk):  # noqa: F811
    """A published known error about Outlook on the desk's service."""
    return make_known_error(
        actor=desk.agent,
        title="Outlook stuck on 'Updating inbox'",
        symptoms="Outlook hangs on updating the inbox after the morning sync.",
        workaround="Close Outlook, delete the OST cache file and start Outlook again.",
        plain_workaround="Close Outlook, then start it again from the Start menu and wait two minutes.",
        root_cause="A corrupt offline cache after the mailbox migration.",
        services=[desk.service],
    )
