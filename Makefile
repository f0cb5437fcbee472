# consult: `make run` serves the NISP consultation; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest translations extract-messages browser-deps bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# Compiled catalogues are build products: made here, never committed.
translations: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy -d consult/translations 2>&1 | grep -v '^compiling' || true

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location \
	  --sort-output --project consult -o consult/translations/messages.pot .
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations --no-fuzzy-matching

run: $(STAMP) translations
	$(BIN)/consult init
	@echo ""
	@echo "  Respondents: http://$(HOST):$(PORT)/s/nisp-consultation   (Urdu: ?lang=ur)"
	@echo "  Organizers:  http://$(HOST):$(PORT)/auth/login  with the admin login printed by the"
	@echo "               first 'consult init' (above, once). Lost it? $(BIN)/consult reset-password admin@example.org"
	@echo ""
	$(BIN)/consult run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests; never a downloaded browser build.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium: browser tests will skip (and fail under CI=true)."; \
	  else echo "chromium is not installed and cannot be installed here: browser tests will skip."; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check consult tests bench
	$(BIN)/ruff format --check consult tests bench

typecheck: $(STAMP)
	$(BIN)/mypy consult

pytest: $(STAMP) translations
	$(BIN)/pytest $(PYTEST_ARGS)

test: $(STAMP) translations browser-deps lint typecheck pytest

bench: $(STAMP) translations
	$(BIN)/python bench/export.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
