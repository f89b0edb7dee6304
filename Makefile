# Fiilis: `make run` serves the app with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app feedback_app
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Resident languages (feedback_app/i18n.py RESIDENT_LANGUAGES): one catalogue each.
LANGUAGES := fi sv en ru et so ar uk

.PHONY: assets run oidc-demo serve test test-sqlite test-postgres test-py313 test-browser screenshots bench install \
        dev translations i18n-check compile-translations migrate lint audit clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# Fails on a catalogue error: pybabel's own (a placeholder the msgid lacks) and the syntax
# errors it only warns about and then skips, which would leave a language half translated.
CATALOGUES ?= feedback_app/translations
compile-translations: install
	@out=$$($(VENV)/bin/pybabel compile --statistics -d $(CATALOGUES) 2>&1); rc=$$?; \
	echo "$$out" | grep -v '^compiling'; \
	if [ $$rc -ne 0 ] || echo "$$out" | grep -q '^WARNING: Problem on line'; then \
	  echo "compile-translations: the catalogue errors above must be fixed"; exit 1; \
	fi

# The dashboard's plotly.js: the official partial bundle (bar and scatter traces) from npm,
# pinned by frontend/package-lock.json, with its brotli and gzip forms, under vendor/plotly/
# (ignored by git). Without npm the app serves the Python plotly package's full file; in CI
# npm is required.
PLOTLY_BUNDLE := vendor/plotly/plotly-basic.min.js
$(PLOTLY_BUNDLE): frontend/package.json frontend/package-lock.json $(VENV)/.installed
	@if command -v npm >/dev/null 2>&1; then \
	  cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && cd .. && \
	  mkdir -p vendor/plotly && \
	  cp frontend/node_modules/plotly.js-basic-dist-min/plotly-basic.min.js $@ && \
	  $(PY) -m feedback_app.services.charts.plotly_assets vendor/plotly; \
	elif [ "$$CI" = "true" ]; then echo "assets: npm is required in CI"; exit 1; \
	else echo "assets: npm not found, the dashboard serves the full plotly.js"; fi
assets: $(PLOTLY_BUNDLE)

migrate: compile-translations assets
	$(FLASK) db upgrade
	$(FLASK) seed-demo

run: migrate
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:5000} $(FLASK) run --host 127.0.0.1 --port 5000

# `make run` with a local OpenID provider (tests/oidc_provider, the `oidc-provider` npm
# package on Debian's node) on OIDC_DEMO_PORT, for a demo "Sign in with Helsinki account".
OIDC_DEMO_PORT ?= 5001
OIDC_PROVIDER_DIR := tests/oidc_provider
oidc-demo: migrate
	@command -v npm >/dev/null || { echo "oidc-demo needs node and npm (apt-get install nodejs npm)"; exit 1; }
	cd $(OIDC_PROVIDER_DIR) && npm ci --no-audit --no-fund --silent
	@OIDC_PROVIDER_PORT=$(OIDC_DEMO_PORT) node $(OIDC_PROVIDER_DIR)/provider.mjs 2>/dev/null & provider=$$!; \
	trap "kill $$provider" EXIT; \
	PUBLIC_BASE_URL=http://127.0.0.1:5000 OIDC_ISSUER=http://127.0.0.1:$(OIDC_DEMO_PORT) \
	OIDC_CLIENT_ID=fiilis OIDC_CLIENT_SECRET=fiilis-demo-secret \
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production server: gunicorn.conf.py (WEB_CONCURRENCY workers, default one per core, 2 to 8),
# 127.0.0.1:8000, against DATABASE_URL; no client addresses in any log.
serve: migrate
	RATELIMIT_STORAGE_URI="$${RATELIMIT_STORAGE_URI:-redis://127.0.0.1:6379/0}" $(VENV)/bin/gunicorn --config gunicorn.conf.py

test: dev compile-translations assets
	$(PY) -m pytest
	@$(MAKE) --no-print-directory test-postgres

# The suite again on PostgreSQL. In CI a missing server is a failure, never a skip. The
# message tells a refused login (fix the password or pg_hba.conf) from a server that is not
# running (start the cluster).
test-postgres: dev compile-translations
	@if reason=$$($(PY) .ci/postgres_status.py $(TEST_PG_URL)); then \
	  TEST_DATABASE_URL=$(TEST_PG_URL) $(PY) -m pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "$$reason: required in CI"; exit 1; \
	else \
	  echo "$$reason: skipped the PostgreSQL pass here (CI runs it)"; \
	fi

# The non-browser suite on SQLite under Python 3.13 (Debian 13's), in its own virtualenv, so
# the promise of Python 3.11+ is checked at both ends. .ci/run finds the interpreter.
PYTHON313 ?= python3.13
VENV313 := .venv-3.13
test-py313: compile-translations
	@$(PYTHON313) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null || \
	  { echo "test-py313: $(PYTHON313) is not a working Python 3.13"; exit 1; }
	@$(MAKE) --no-print-directory VENV=$(VENV313) PYTHON=$(PYTHON313) dev
	$(VENV313)/bin/python -m pytest -m "not browser"

# Only the browser suite (Playwright driving /usr/bin/chromium; skipped without it unless CI=true).
test-browser: dev compile-translations assets
	$(PY) -m pytest -m browser

# Refresh the README's screenshots in docs/screenshots/ on purpose: an ordinary test run
# writes its screenshots to build/screenshots/ and changes no tracked file.
screenshots: dev compile-translations
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest -m browser \
	  $$(grep -l 'screenshot(page' tests/browser/test_*.py)

# Extract interface strings and merge them into every catalogue (a new language: see
# docs/translating.md); then compile them.
translations: dev
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg -k _l -o /tmp/fiilis-messages.pot .
	@for lang in $(LANGUAGES); do \
	  [ -f feedback_app/translations/$$lang/LC_MESSAGES/messages.po ] || \
	    $(VENV)/bin/pybabel --quiet init -i /tmp/fiilis-messages.pot -d feedback_app/translations -l $$lang; \
	done
	$(VENV)/bin/pybabel --quiet update -i /tmp/fiilis-messages.pot -d feedback_app/translations --width 100
	@$(MAKE) --no-print-directory compile-translations

# Fails when a resident language lacks a resident-facing message (or fi/sv any message).
i18n-check: install
	$(FLASK) i18n-check

# Every benchmark script in bench/ (loopback only, bounded in time); results go to bench/results/.
bench: dev compile-translations assets
	@mkdir -p bench/results
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

lint: dev
	$(VENV)/bin/ruff check .

# Known vulnerabilities in the installed releases (PyPI advisory data, so it needs the
# network). It prints how many packages were audited; anything unaudited says NOT AUDITED and
# fails, except in CI when the advisory database cannot be reached at all (README "Security").
# Accepted advisories go in AUDIT_IGNORE as --ignore-vuln <ID>, each with its reason there.
AUDIT_IGNORE ?=
audit: dev
	$(PY) .ci/audit.py $(AUDIT_IGNORE)

clean:
	rm -rf $(VENV) instance/*.sqlite3* vendor frontend/node_modules
