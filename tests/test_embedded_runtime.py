"""`manage.py serve` with no configuration: web server plus embedded worker and beat really run."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from django.conf import settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_embedded_mode_serves_pages_and_runs_background_work(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="itsm.settings", ITSM_VAR_DIR=str(tmp_path))
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=settings.BASE_DIR, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        health = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:  # noqa: S310
                    health = json.loads(response.read())
                if health["worker_ok"]:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert health is not None, "the web server never answered"
        assert health["database"] == "ok"
        assert health["worker_ok"], "the embedded worker never reported a heartbeat"
        assert (tmp_path / "celery-broker.sqlite3").exists()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
