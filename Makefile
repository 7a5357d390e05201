# Developer recipes. `make run` and `make test` each create the virtual environment they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA_DIR ?= townhall-data
PYTEST_ARGS ?=

.PHONY: run test interop lint format bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

## run: start a node at http://127.0.0.1:8000 on SQLite in ./townhall-data (setup page on first run)
run: $(STAMP)
	$(BIN)/townhall run --data-dir $(DATA_DIR) --host 127.0.0.1 --port 8000

## test: the test suite but the interop tier (SQLite; set TOWNHALL_TEST_DATABASE_URL for PostgreSQL)
## (the browser tests run in their own pytest: Playwright's sync API holds its worker's event loop)
test: $(STAMP)
	$(BIN)/python -m pytest -n auto -q -m "not interop and not browser" $(PYTEST_ARGS); \
	suite=$$?; \
	$(BIN)/python -m pytest -n 2 -q -m browser tests/browser $(PYTEST_ARGS); \
	browser=$$?; \
	[ $$suite -eq 0 ] && [ $$browser -eq 0 ]

## interop: the interop tier, Townhall against bovine-herd and Fedify over TLS (root, port 443)
interop: $(STAMP)
	$(BIN)/python -m tests.interop.install_peers
	$(BIN)/python -m pytest -q -m interop tests/interop $(PYTEST_ARGS)

## lint: ruff and mypy
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: the benchmarks under bench/
bench: $(STAMP)
	$(BIN)/python bench/startup.py

## messages: extract the translatable text into node/locale/townhall.pot (for translators)
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
		-o node/locale/townhall.pot .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
