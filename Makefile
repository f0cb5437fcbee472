# consult: `make run` serves the NISP consultation; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest translations extract-messages browser-deps office-deps \
  pdf-deps r-deps node-deps fonts page-weight bench bench-api bench-export bench-results bench-submit clean

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
	  --sort-output --add-comments=Translators: --project consult \
	  --ignore-dirs='.* node_modules __pycache__' -o consult/translations/messages.pot .
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations --no-fuzzy-matching

run: $(STAMP) translations pdf-deps
	$(BIN)/consult init
	@echo ""
	@echo "  Respondents: http://$(HOST):$(PORT)/s/nisp-consultation   (Urdu: ?lang=ur)"
	@echo "  Organizers:  http://$(HOST):$(PORT)/auth/login  with the admin login printed by the"
	@echo "               first 'consult init' (above, once). Lost it? $(BIN)/consult reset-password admin@example.org"
	@echo ""
	@# The background job consumer runs beside the server and stops with it.
	@$(BIN)/consult worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/consult run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests; never a downloaded browser build.
# Debian's LibreOffice (Calc, no GUI), to check the summary workbook opens (test_results.py).
office-deps:
	@if ! command -v soffice >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's LibreOffice Calc for the workbook check..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libreoffice-calc-nogui >/dev/null) \
	      || echo "Could not install LibreOffice: the workbook check will skip."; \
	  else echo "LibreOffice is not installed and cannot be installed here: that check skips."; fi; \
	fi

# Debian's Pango (WeasyPrint lays out the policy brief with it), DejaVu fonts for English
# briefs, and poppler-utils (pdftotext, pdftoppm) for the tests that read the brief back.
# Debian's R with haven, to read the SPSS and Stata exports back as R users will (test_statfiles.py).
r-deps:
	@if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'library(haven)' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's R and haven for the statistical files' check..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      r-base-core r-cran-haven >/dev/null) \
	      || echo "Could not install R: the haven check will skip."; \
	  else echo "R with haven is not installed and cannot be installed here: that check skips."; fi; \
	fi

pdf-deps:
	@if ! command -v pdftotext >/dev/null 2>&1 || ! ldconfig -p | grep -q libpangoft2-1.0 \
	    || ! ldconfig -p | grep -q libharfbuzz-subset || ! fc-list 2>/dev/null | grep -q DejaVuSans; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Pango, HarfBuzz subsetter, DejaVu fonts and poppler-utils for the policy brief..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils >/dev/null) \
	      || echo "Could not install them: the brief's tests will skip (and fail under CI=true)."; \
	  else echo "Pango or poppler-utils is missing and cannot be installed here: the brief's tests skip."; fi; \
	fi

browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "Could not install chromium: browser tests will skip (and fail under CI=true)."; \
	  else echo "chromium is not installed and cannot be installed here: browser tests will skip."; fi; \
	fi

# axe-core for the browser tests, from package-lock.json (node_modules is never committed).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's npm for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) || true; \
	fi
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	  else echo "npm is missing: the accessibility checks will skip (and fail under CI=true)."; fi

node-deps: $(AXE)

# The Urdu web font: Debian's Noto Nastaliq Urdu (SIL OFL 1.1, see static/fonts/OFL.txt), cut down
# to Urdu, Arabic-script punctuation and digits, without hinting. The result is committed; run
# this only to change the subset, then put the printed version into static/css/consult.css.
NASTALIQ := /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf
fonts: $(STAMP)
	@test -f $(NASTALIQ) || (apt-get update -qq && apt-get install -y -qq fonts-noto-core)
	$(BIN)/pyftsubset $(NASTALIQ) --output-file=static/fonts/noto-nastaliq-urdu.woff2 \
	  --flavor=woff2 --layout-features='*' --name-IDs='*' --no-hinting --desubroutinize \
	  --unicodes='U+0020-007E,U+00A0,U+00AB,U+00BB,U+00D7,U+0600-06FF,U+0750-077F,U+08A0-08FF,U+200B-200F,U+2010-2011,U+2013-2014,U+2018-201D,U+2026,U+2066-2069,U+25CC,U+FD3E-FD3F,U+FDF2,U+FDFA,U+FDFD'
	@$(BIN)/python -c "from pathlib import Path; from consult.assets import file_version; \
	  print('font version:', file_version(Path('static/fonts/noto-nastaliq-urdu.woff2')))"

lint: $(STAMP)
	$(BIN)/ruff check consult tests bench
	$(BIN)/ruff format --check consult tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy consult

# Two workers: the suite (database, browser, export and Delphi runs) takes about half as long on
# the two-core machines CI and development use. PYTEST_ARGS= (empty) runs it in one process.
PYTEST_ARGS ?= -n 2
pytest: $(STAMP) translations $(AXE)
	$(BIN)/pytest $(PYTEST_ARGS)

test: $(STAMP) translations browser-deps office-deps pdf-deps r-deps lint typecheck pytest

# Bytes each respondent page costs to load, by resource, against the 40 KB budget.
page-weight: $(STAMP) translations
	$(BIN)/python bench/page_weight.py

# Raw export and summary against pandas and the bare writer, same run (make bench-export SIZES=...).
SIZES ?= 10000,100000
bench-export: $(STAMP) translations
	$(BIN)/python bench/export.py --sizes $(SIZES)

# The results page and the policy brief against the summary workbook of the same data, same run.
RESULT_SIZES ?= 1000,10000
bench-results: $(STAMP) translations
	$(BIN)/python bench/results.py --sizes $(RESULT_SIZES)

# A page of 1,000 responses from the API against the raw workbook of the same data, same run.
bench-api: $(STAMP) translations
	$(BIN)/python bench/api.py

# Submissions under load: consult and a bare Flask ceiling behind gunicorn, same run.
bench-submit: $(STAMP) translations
	$(BIN)/python bench/submit.py

bench: $(STAMP) translations
	$(BIN)/python bench/export.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/submit.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
