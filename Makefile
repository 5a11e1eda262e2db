# `make run` installs Kindred for running (no test or benchmark extras) and starts the bot;
# `make test` installs it with its test and benchmark extras and runs every test; `make demo` shows
# a simulated week with no token.
PYTHON   ?= python3
VENV     ?= .venv
RUN_VENV ?= .venv-run
PY       := $(VENV)/bin/python
RUN_PY   := $(RUN_VENV)/bin/python
STAMP    := $(VENV)/.installed
RUN_STAMP := $(RUN_VENV)/.installed
NEEDS_311 := import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kindred needs Python 3.11 or newer")

.PHONY: install run demo test e2e bench clean postgresql

# Development: Kindred with the test and bench extras.
$(STAMP): pyproject.toml
	@$(PYTHON) -c '$(NEEDS_311)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $(STAMP)

# Production: Kindred and its run-time dependencies only (the same install as the Dockerfile's).
$(RUN_STAMP): pyproject.toml
	@$(PYTHON) -c '$(NEEDS_311)'
	$(PYTHON) -m venv $(RUN_VENV)
	$(RUN_PY) -m pip install --quiet --upgrade pip
	$(RUN_PY) -m pip install --quiet --editable .
	@touch $(RUN_STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	$(RUN_PY) -m bot run

demo: $(STAMP)
	$(PY) -m bot demo

# The suite runs every data module and the end-to-end tests on SQLite and on a throwaway PostgreSQL
# server it starts itself (bench/postgres_server.py): Debian's package is installed when it is missing.
postgresql:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		(apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || \
		{ echo "The tests need PostgreSQL: install Debian's postgresql package (as root), or run only the SQLite half with KINDRED_TEST_BACKENDS=sqlite make test"; exit 1; }

test: $(STAMP) postgresql
	$(PY) -m pytest -q

e2e: $(STAMP) postgresql
	$(PY) -m pytest -q tests/e2e

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(RUN_VENV) *.egg-info
