# Two commands for a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a local development server; production runs gunicorn with the documented variables.
RUN_ENV := DJANGO_DEBUG=1

.PHONY: install install-dev run serve test test-sqlite test-postgres lint migrations-check clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py import_corpus
	$(RUN_ENV) $(PY) manage.py load_sample_assessments
	$(RUN_ENV) $(PY) manage.py ensure_admin
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install-dev
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

test-sqlite: install-dev
	$(VENV)/bin/pytest

# Runs when TEST_POSTGRES_URL points at a PostgreSQL server (.ci/run starts one); the browser
# tests already ran against SQLite and test the pages, not the database.
test-postgres: install-dev
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL: $$TEST_POSTGRES_URL"; \
		DATABASE_URL="$$TEST_POSTGRES_URL" $(VENV)/bin/pytest -m "not browser"; \
	elif [ -n "$$CI" ]; then \
		echo "CI must test on PostgreSQL: set TEST_POSTGRES_URL (.ci/run does)."; exit 1; \
	else \
		echo "== PostgreSQL tests skipped: set TEST_POSTGRES_URL=postgres://user:pw@127.0.0.1:5432/db"; \
	fi

test: lint migrations-check test-sqlite test-postgres

clean:
	rm -rf $(VENV) staticfiles test-artifacts
