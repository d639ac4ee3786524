"""The runtime is chosen by the environment: nothing set → embedded SQLite and SQLite-file broker."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], 'broker': settings.CELERY_BROKER_URL,"
    "'embedded': settings.CELERY_EMBEDDED, 'beat': sorted(settings.CELERY_BEAT_SCHEDULE)}))"
)


def probe(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    clean.update(DJANGO_SETTINGS_MODULE="itsm.settings", ITSM_VAR_DIR=str(tmp_path), **env)
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_configuration_means_embedded(tmp_path):
    result = probe(tmp_path)
    assert result["engine"] == "django.db.backends.sqlite3"
    assert result["broker"].startswith("sqla+sqlite:///")
    assert result["embedded"] is True
    assert {"deliver-notifications", "worker-heartbeat"} <= set(result["beat"])
    assert (tmp_path / "secret_key").exists()


def test_environment_selects_postgres_and_redis(tmp_path):
    result = probe(
        tmp_path, DATABASE_URL="postgres://u:p@db:5432/itsm", CELERY_BROKER_URL="redis://redis:6379/0"
    )
    assert result["engine"] == "django.db.backends.postgresql"
    assert result["broker"] == "redis://redis:6379/0"
    assert result["embedded"] is False
