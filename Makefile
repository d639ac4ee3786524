# One command to run, one to test. Needs only Python 3.11 on the machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint format bench messages clean demo

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

## make run: install, migrate, load demo data and serve on http://$(HOST):$(PORT) with background work
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

## make demo: (re)load the demo data only
demo: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

## make test: the whole suite (SQLite unless DATABASE_URL is set; browser tests need /usr/bin/chromium)
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make lint: what CI keeps green besides the tests
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the translation catalogues and compile them (pure Python, no gettext needed to compile)
messages: venv
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(BIN)/python manage.py makemessages --locale zh_Hans -d djangojs --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*' || true
	$(BIN)/python manage.py compile_catalogues

clean:
	rm -rf $(VENV) var

## make bench: load data (BENCH_INCIDENTS, default 100000) and measure the main paths on loopback
BENCH_INCIDENTS ?= 100000
BENCH_KNOWN_ERRORS ?= 10000
bench: venv
	$(BIN)/python bench/run.py --incidents $(BENCH_INCIDENTS) --known-errors $(BENCH_KNOWN_ERRORS)
