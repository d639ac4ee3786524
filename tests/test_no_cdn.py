"""The product must work on an intranet: no page or template loads anything from another host."""

import re
from pathlib import Path

import pytest
from django.conf import settings

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_no_template_references_an_external_host():
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if EXTERNAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "path", ["/accounts/preferences/", "/workspace/", "/portal/", "/services/", "/workspace/teams/"]
)
def test_pages_load_only_local_assets(login_as, path):
    client, _ = login_as("agent")
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html)
    assert "htmx" in html  # htmx comes from django-htmx, served locally
