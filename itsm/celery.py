"""The Celery application.

Embedded mode (no CELERY_BROKER_URL): the broker is a SQLite file through kombu's SQLAlchemy
transport, and `manage.py serve` starts one worker with an embedded beat beside the web server.
Production: CELERY_BROKER_URL=redis://... and separate `celery worker` / `celery beat` processes.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itsm.settings")

app = Celery("itsm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
