# ITSM platform image: one image for the web server (gunicorn), the Celery worker and Celery beat.
# Build: docker compose build   (or: docker build -t itsm .)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=itsm.settings \
    ITSM_VAR_DIR=/data

# Dependencies first, from pyproject.toml alone, so code changes do not reinstall them.
# The distribution has no packages of its own (packages = []): installing it installs the dependencies.
COPY pyproject.toml /tmp/build/
RUN pip install /tmp/build && rm -rf /tmp/build

# An unprivileged user; the code stays root-owned and read-only to it, only /data is writable.
RUN groupadd --system --gid 10001 itsm \
    && useradd --system --uid 10001 --gid itsm --home-dir /app --no-create-home --shell /usr/sbin/nologin itsm \
    && install -d -o itsm -g itsm -m 0750 /data

WORKDIR /app
COPY . /app
RUN python -m compileall -q /app

COPY docker/entrypoint.sh /usr/local/bin/itsm-entrypoint
RUN chmod 0755 /usr/local/bin/itsm-entrypoint

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
ENTRYPOINT ["itsm-entrypoint"]
CMD ["gunicorn", "itsm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
