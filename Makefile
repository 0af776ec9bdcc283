# Two commands do all the set-up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CATALOGS := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))
PYTEST_ARGS ?=
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres smoke-production setup install install-test translations catalog lint bench clean

## run: install everything, prepare the database, serve on http://127.0.0.1:5000 (HOST, PORT override)
run: setup
	$(BIN)/flask --app app serve

## test: the same set-up plus test tools (Chromium, poppler), then the whole suite
test: setup install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## smoke-production: the README's production recipe (gunicorn, PostgreSQL, Redis, two app hosts) walked over HTTP
smoke-production: install-test translations
	$(BIN)/python -m pip install --quiet -e '.[production]'
	$(BIN)/python scripts/production-smoke

## test-postgres: the suite against PostgreSQL (a fresh database, dropped afterwards)
test-postgres: install-test translations
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

setup: install translations
	$(BIN)/flask --app app setup --no-logins

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@scripts/install-system-packages test

$(VENV)/.installed: pyproject.toml scripts/install-system-packages
	@scripts/install-system-packages run
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# PyICU built from source gave way to the pyicu-wheels wheel: both install the module icu
	@$(BIN)/python -m pip uninstall --quiet --yes PyICU 2>/dev/null || true
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

translations: $(CATALOGS)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

## catalog: extract strings into messages.pot and merge them into each language's .po
catalog: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot --no-location --sort-output -w 100 .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete -w 100

lint: install-test
	$(BIN)/ruff check curriculum app tests bench migrations
	$(BIN)/ruff format --check curriculum app tests bench migrations
	$(BIN)/mypy

## bench: benchmarks that print figures (not pass/fail)
bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/trainer_search.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/pack.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/import_bombs.py
	$(BIN)/python bench/participants_page.py
	$(BIN)/python bench/pages.py --sqlite-only
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/scan.py

clean:
	rm -rf $(VENV) .pytest_cache build
