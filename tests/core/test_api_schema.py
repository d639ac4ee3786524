"""The OpenAPI schema integrators generate clients from: complete and unambiguous."""

import json

import pytest
from django.core.management import call_command


def test_the_schema_builds_without_warnings_and_describes_what_agents_send(tmp_path, db):
    out = tmp_path / "schema.json"
    try:
        call_command("spectacular", "--fail-on-warn", "--format", "openapi-json", "--file", str(out))
    except SystemExit as exc:  # drf-spectacular exits on a warning (e.g. two components with one name)
        pytest.fail(f"the schema has warnings (exit {exc.code}): run manage.py spectacular to see them")
    schema = json.loads(out.read_text())
    incident = schema["components"]["schemas"]["Incident"]["properties"]
    writable = {name for name, spec in incident.items() if not spec.get("readOnly")}
    assert {"title", "impact", "urgency", "is_major", "outage_start", "channel"} <= writable
    assert schema["components"]["schemas"]["LevelEnum"]["enum"] == [1, 2, 3]
