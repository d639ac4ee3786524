"""One portal search box finds catalogue items and published workarounds, each only where the user may see it."""

import pytest

from tests.problems.factories import make_known_error
from tests.requests_catalog.factories import CatalogItemFactory

pytestmark = pytest.mark.django_db


def test_portal_search_finds_items_and_known_workarounds(client, make_user):
    CatalogItemFactory(name="VPN access", keywords="remote access tunnel")
    CatalogItemFactory(name="Laptop")
    make_known_error(
        actor=make_user("agent"),
        title="VPN disconnects after sleep",
        symptoms="The VPN client drops the tunnel when the laptop wakes up",
        workaround="Reconnect from the tray icon",
        plain_workaround="Click the VPN icon and choose Reconnect.",
    )
    user = make_user("requester")
    client.force_login(user)
    page = client.get("/portal/search/", {"q": "vpn"}).content.decode()
    assert "VPN access" in page and "Laptop" not in page
    assert "Order from the catalogue" in page
    assert "VPN disconnects after sleep" in page and "Click the VPN icon and choose Reconnect." in page


def test_portal_search_with_nothing_found_offers_to_report(client, make_user):
    client.force_login(make_user("requester"))
    page = client.get("/portal/search/", {"q": "zzzz-nothing"}).content.decode()
    assert "Nothing found" in page and "/portal/incidents/new/" in page
