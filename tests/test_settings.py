"""The runtime is chosen by the environment: nothing set → embedded SQLite and SQLite-file broker."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], 'broker': settings.CELERY_BROKER_URL,"
    "'embedded': settings.CELERY_EMBEDDED, 'beat': sorted(settings.CELERY_BEAT_SCHEDULE),"
    "'pg_options': settings.DATABASES['default'].get('OPTIONS', {}).get('options', '')}))"
)


def run_probe(tmp_path, **env):
    unset = {"DATABASE_URL", "CELERY_BROKER_URL", "ITSM_PG_PARALLEL_WORKERS"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(DJANGO_SETTINGS_MODULE="itsm.settings", ITSM_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True
    )


def probe(tmp_path, **env):
    out = run_probe(tmp_path, **env)
    assert out.returncode == 0, out.stderr
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


def test_postgres_sessions_ask_for_no_parallel_workers_unless_told(tmp_path):
    url = "postgres://u:p@db:5432/itsm"
    assert probe(tmp_path, DATABASE_URL=url)["pg_options"] == "-c max_parallel_workers_per_gather=0"
    assert probe(tmp_path, DATABASE_URL=url, ITSM_PG_PARALLEL_WORKERS="2")["pg_options"].endswith("=2")
    assert probe(tmp_path, DATABASE_URL=url, ITSM_PG_PARALLEL_WORKERS="")["pg_options"] == ""  # the server's
    with_own = probe(tmp_path, DATABASE_URL=url + "?options=-c%20statement_timeout%3D5000")["pg_options"]
    assert with_own == "-c statement_timeout=5000 -c max_parallel_workers_per_gather=0"
    bad = run_probe(tmp_path, DATABASE_URL=url, ITSM_PG_PARALLEL_WORKERS="many")
    assert bad.returncode != 0 and "ITSM_PG_PARALLEL_WORKERS must be a number" in bad.stderr
