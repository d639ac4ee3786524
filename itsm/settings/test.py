"""Test settings: SQLite in a temporary file unless DATABASE_URL is set (CI runs both)."""

import os
import tempfile

from .base import *  # noqa: F401,F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="itsm-test-attachments-")
# Tasks run inline in tests; tests marked `worker` switch this off and run a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
LANGUAGE_CODE = "en"
if "sqlite" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"itsm-test-{os.getpid()}.sqlite3")
    }

# A concrete ticket kind used only by the tests of the shared machinery.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.ticketapp"]  # noqa: F405
