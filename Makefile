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

.PHONY: install run demo test e2e bench clean

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

test: $(STAMP)
	$(PY) -m pytest -q

e2e: $(STAMP)
	$(PY) -m pytest -q tests/e2e

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(RUN_VENV) *.egg-info
