# Village: `make run` starts everything with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint install install-test bench messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## The one command to try Village: web server, Celery worker and beat, demo data, SQLite.
run: install
	$(PY) manage.py catalogs_compile
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Village is starting at http://127.0.0.1:$${VILLAGE_PORT:-8000}/  (staff sign-in: /accounts/sign-in/)"
	@echo "Stop it with Ctrl+C."
	DEBUG=$${DEBUG:-true} $(BIN)/honcho start -f Procfile.dev

## The one command to test Village: installs what is missing and runs every test.
test: install-test
	bash scripts/run-tests

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(PY) manage.py catalogs_update

bench: install-test
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) var staticfiles test-artifacts
