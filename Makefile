# Developer recipes. `make run` and `make test` each create the virtual environment they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUN_STAMP := $(VENV)/.runtime-stamp
DATA_DIR ?= townhall-data
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test browser-tools browser-system-tools interop lint format bench messages clean

# the runtime alone (make run), then the test and lint tools on top of it (make test, lint)
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

## run: start a node at http://$(HOST):$(PORT) (default 127.0.0.1:8000) on SQLite in
## ./townhall-data (setup page on first run); installs the runtime dependencies only
run: $(RUN_STAMP)
	$(BIN)/townhall run --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

BROWSER := tests/browser
BROWSER_STAMP := $(BROWSER)/node_modules/.installed-stamp
CHROMIUM ?= $(or $(TOWNHALL_CHROMIUM),/usr/bin/chromium)

## browser-tools: what the browser and deploy tests need: Debian's Chromium, Node.js, npm,
## docker-compose (to check deploy/compose.yaml), systemd-analyze and nginx (in front of two web
## processes in tests/flows/test_two_web_two_workers.py) (apt-get, only as root and only what is
## missing), then axe-core from npm
browser-tools: browser-system-tools $(BROWSER_STAMP)

browser-system-tools:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v systemd-analyze >/dev/null || missing="$$missing systemd"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "make test: the browser and deploy tests need$$missing (Chromium at $(CHROMIUM)): run 'sudo apt-get install$$missing'" >&2; exit 1; \
		fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || \
			{ echo "make test: 'apt-get install$$missing' failed" >&2; exit 1; }; \
	fi

# axe-core, installed again when the lock file changes (npm ci empties node_modules first)
$(BROWSER_STAMP): $(BROWSER)/package.json $(BROWSER)/package-lock.json
	npm ci --prefix $(BROWSER) --no-audit --no-fund --loglevel=error
	touch $@

## test: the test suite but the interop tier, browser tests included (SQLite; set
## TOWNHALL_TEST_DATABASE_URL for PostgreSQL); installs what the browser tests need, or fails
## saying what is missing (the browser tests run in their own pytest: Playwright's sync API
## holds its worker's event loop; the `alone` tests measure a node under load of their own and
## run after the rest, one at a time)
test: $(STAMP) browser-tools
	$(BIN)/python -m pytest -n auto -q -m "not interop and not browser and not alone" $(PYTEST_ARGS); \
	suite=$$?; \
	$(BIN)/python -m pytest -p no:xdist -q -m alone tests/node $(PYTEST_ARGS); \
	alone=$$?; \
	$(BIN)/python -m pytest -n 2 -q -m browser tests/browser $(PYTEST_ARGS); \
	browser=$$?; \
	[ $$suite -eq 0 ] && [ $$alone -eq 0 ] && [ $$browser -eq 0 ]

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

## messages: extract the translatable text into node/locale/townhall.pot, bring every
## language's node/locale/LANG/LC_MESSAGES/townhall.po up to date with it (new strings come in
## untranslated or as fuzzy guesses: tests/test_translations.py names them until translated),
## then compile each .po into the .mo the node reads (both are committed)
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k ngettext_:1,2 --no-location --sort-output --omit-header \
		-o node/locale/townhall.pot .
	$(BIN)/pybabel update -i node/locale/townhall.pot -d node/locale -D townhall \
		--ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d node/locale -D townhall --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
