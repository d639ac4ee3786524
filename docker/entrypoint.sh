#!/bin/sh
# Container entrypoint: runs the given command, with one helper verb.
#   itsm-entrypoint setup   migrate, collect static files and (if ITSM_LOAD_DEMO=1) load the demo data
#   itsm-entrypoint CMD...  exec CMD (gunicorn, celery worker, celery beat, manage.py ...)
set -eu

if [ "${1:-}" = setup ]; then
    python manage.py migrate --noinput
    python manage.py collectstatic --noinput --verbosity 1
    if [ "${ITSM_LOAD_DEMO:-0}" = 1 ]; then
        python manage.py load_demo
    fi
    exit 0
fi

exec "$@"
