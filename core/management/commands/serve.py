"""Start the web server, plus the embedded Celery worker and beat when no broker is configured.

`make run` uses this. In production run gunicorn, `celery worker` and `celery beat` separately.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the app with gunicorn and, in embedded mode, a Celery worker with beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the embedded Celery worker and beat."
        )

    def handle(self, *args, host, port, workers, no_worker, **options):
        bin_dir = os.path.dirname(sys.executable)
        children: list[subprocess.Popen] = []
        if settings.CELERY_EMBEDDED and not no_worker:
            children.append(
                subprocess.Popen(  # noqa: S603 - fixed argument list
                    [
                        os.path.join(bin_dir, "celery"),
                        "-A",
                        "itsm",
                        "worker",
                        "--beat",
                        "--pool=threads",
                        "--concurrency=2",
                        "--loglevel=INFO",
                        f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
                    ]
                )
            )
            self.stdout.write("Embedded background worker and scheduler started (SQLite broker in var/).")
        elif not settings.CELERY_EMBEDDED:
            self.stdout.write(
                "Broker configured: run `celery -A itsm worker` and `celery -A itsm beat` separately."
            )
        children.append(
            subprocess.Popen(  # noqa: S603
                [
                    os.path.join(bin_dir, "gunicorn"),
                    "itsm.wsgi:application",
                    f"--bind={host}:{port}",
                    f"--workers={workers}",
                    "--threads=4",
                    "--access-logfile=-",
                    "--graceful-timeout=5",
                ]
            )
        )
        self.stdout.write(self.style.SUCCESS(f"\n  ITSM is running at http://{host}:{port}/\n"))
        self.stdout.write(DEMO_LOGINS)
        self.stdout.write("  Press Ctrl+C to stop.\n")

        def stop(*_args):
            for child in children:
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for child in children:
                if child.poll() is not None:
                    self.stderr.write(f"A process stopped (exit {child.returncode}); shutting down.")
                    stop()
            time.sleep(1)


DEMO_LOGINS = """  Demo sign-ins (password demo1234 for all):
    admin     staff: configuration and everything else
    manager   service-desk manager (dashboards, approvals)
    agent     service-desk agent (workspace)
    cab       change advisory board member
    alice     business user (self-service portal)
    wangfang  business user who reads Chinese (业务用户，中文界面)
"""
