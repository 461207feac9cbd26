# Liaison — the commands a newcomer needs. Each target installs what it needs.
SHELL := /bin/bash
PORT ?= 8000
HOST ?= 127.0.0.1
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := $(UV) run --locked python

.PHONY: run dev test faults test-dates setup uv deps var system-deps messages translations migrate \
	static demo lint format bench bench-storage fuzz loadtest screenshots

# uv into ~/.local/bin: with pipx where there is one (Debian's pip refuses --user).
uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || \
		(command -v pipx >/dev/null 2>&1 && pipx install uv >/dev/null) || \
		(python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv)

deps: uv
	$(UV) sync --locked

# The data folder (LIAISON_VAR_DIR, var/ by default) and, unless SECRET_KEY is set
# (production sets it), the secret key the settings read from it: made once, so
# sessions survive restarts. Reading the settings writes nothing.
VAR_DIR = $${LIAISON_VAR_DIR:-var}
var: deps
	@mkdir -p "$(VAR_DIR)/static"
	@[ -n "$${SECRET_KEY:-}" ] || [ -s "$(VAR_DIR)/secret_key" ] || (umask 077 && \
		$(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' >"$(VAR_DIR)/secret_key")

# gettext compiles the translations; WeasyPrint needs pango (harfbuzz-subset keeps a
# PDF under a second) and CJK fonts for Chinese; the tests read PDFs back with
# poppler's pdftotext. Installed with apt where we can.
SYSTEM_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils
system-deps:
	@command -v dpkg >/dev/null 2>&1 || { command -v msgfmt >/dev/null || \
		{ echo "Please install GNU gettext, pango and CJK fonts"; exit 1; }; exit 0; }; \
	missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Please install: $$missing"; exit 1; fi; \
	fi

messages: var system-deps
	$(PY) manage.py compilemessages --ignore=.venv -v0

# Refresh the catalog after changing user-facing strings; then translate the new entries.
translations: var system-deps
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=node_modules \
		--ignore='*/tests/*' --ignore=conftest.py --no-obsolete

migrate: var
	$(PY) manage.py migrate -v0
	$(PY) manage.py createcachetable

# The hashed, compressed static files that `manage.py serve` serves (whitenoise).
static: var
	LIAISON_SERVE=1 $(PY) manage.py collectstatic --noinput -v0

# Demo data into an empty database, never into a production one.
# The demo organization has published passwords: it is loaded into an empty
# database only where nobody else can reach it, on this machine's own address.
# `HOST=0.0.0.0 make run` starts empty and prints the first-run link instead;
# DEMO=1 or DEMO=0 decides otherwise. Never in production.
DEMO ?= $(if $(filter 127.0.0.1 localhost ::1,$(HOST)),1,0)
demo: migrate
	@[ "$${LIAISON_ENV:-}" = production ] || [ "$(DEMO)" != 1 ] || $(PY) manage.py demo_data --if-empty

# Everything a start or an upgrade needs (deploy/README.md: pull, setup, restart).
setup: messages migrate static demo

# Liaison as it is kept running: gunicorn and the huey worker (manage.py serve),
# DEBUG off, on HOST:PORT (HOST=0.0.0.0 serves the network). Ctrl-C or a TERM
# stops both.
run: setup
	@HOST=$(HOST) PORT=$(PORT) $(PY) manage.py serve

# For working on Liaison: Django's development server (autoreload, DEBUG on) and
# the huey worker.
dev: messages demo
	@HOST=$(HOST) PORT=$(PORT) $(PY) manage.py serve --dev

# axe-core, the browser tests' accessibility checker (liaison/tests/browser.py),
# from the npm registry at the version package-lock.json pins, with its integrity
# hash; installed when it is missing. Never served.
AXE := node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm >/dev/null 2>&1 || { echo "Please install Node.js and npm (the browser tests' axe-core)"; exit 1; }
	npm ci --no-audit --no-fund

# The suite; the slow test that starts `make run` in a fresh clone is left out
# (pyproject's addopts): `uv run pytest -m slow_run` runs it, CI does once. It ends
# with the share of lines run (coverage), and fails below pyproject's fail_under;
# `make test COVERAGE=--no-cov` skips the measuring (CI measures once, on SQLite).
COVERAGE ?= --cov --cov-report=
test: messages $(AXE)
	$(UV) run --locked pytest $(COVERAGE)

# The faults, with real processes (marker `faults`, left out of `make test`): a job
# worker killed mid-delivery and mid-mail, a web process killed mid-publish, and
# the other faults that take seconds each.
faults: messages
	$(UV) run --locked pytest -m faults -n 0

# The API and the forms fuzzed much longer than in `make test`
# (liaison/tests/test_api_fuzz.py, test_form_fuzz.py): 500 generated cases per
# operation and role, and per form, a fresh random seed each run. Not in CI.
FUZZ_EXAMPLES ?= 500
fuzz: messages
	LIAISON_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(UV) run --locked pytest liaison/tests/test_api_fuzz.py \
		liaison/tests/test_form_fuzz.py --no-cov -n 2 --dist load

# The apps whose rules count days, run again on other "todays": a Monday at a
# year's turn, the last day of a year and a leap day (conftest.py pins the clock).
# The tests `make test` runs, less the browser's: the faults have their own target.
DATE_SENSITIVE := liaison/reports liaison/communication liaison/planning liaison/changes \
	liaison/controls liaison/finance
# Their files whose tests neither read the clock (none of their tests did, with
# every read of the pinned clock recorded, on 2026-12-07) nor take a date from the
# pinned day (TODAY, NOW or a factory's date made from them): the same on any day.
# The writers of test_concurrency run in processes of their own, on the real clock
# and the days they are given; its three tests took about 20 s of each day's run.
DATE_FREE := liaison/planning/tests/test_concurrency.py liaison/planning/tests/test_scheduling.py \
	liaison/planning/tests/test_plan_guards.py liaison/planning/tests/test_report_chart.py \
	liaison/finance/tests/test_value_compute.py
test-dates: messages
	for day in 2027-01-04 2026-12-31 2028-02-29; do \
		LIAISON_TEST_TODAY=$$day $(UV) run --locked pytest $(DATE_SENSITIVE) \
			$(addprefix --ignore=,$(DATE_FREE)) -m "not browser and not faults and not slow_run" || exit 1; \
	done

# Ruff, the layers (import-linter), the types (mypy with django-stubs: strict on the
# kernel, services, selectors and access; pyproject's [tool.mypy]), a model change without
# its migration, our own rules (tools/check_rules.py: no writes in views, API
# modules or template tags; keyword-only services that say who with by=; no
# utils.py or helpers.py), and djLint on the templates (pyproject's [tool.djlint]);
# djLint's formatter is left out: it re-indents inside {% if %} blocks and moves
# text around inline tags, which would change what the pages render. mypy reads
# the settings, hence var (the secret key).
lint: var
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .
	$(UV) run --locked lint-imports
	$(UV) run --locked mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) tools/check_rules.py
	$(UV) run --locked djlint liaison --lint

format: deps
	$(UV) run --locked ruff format .
	$(UV) run --locked ruff check --fix .

# The benchmark: a real gunicorn on a separate database (BENCH_DB=postgres://… to use
# PostgreSQL), measured over HTTP. Never part of `make test`.
bench: var
	$(PY) manage.py bench

# Screenshots of the Gantt, the board, the dashboard, a search and the portal's
# overview at 1280 and 390 px in both languages (docs/screenshots/, linked from the
# README), on the demo data (`make demo` first). Never part of `make test`.
screenshots: migrate
	$(PY) manage.py screenshots

# A 10 MB file uploaded and downloaded (streamed and pre-signed) through S3, against
# moto's S3 server started for it (README "Storage"). Never part of `make test`.
bench-storage: var
	$(PY) manage.py bench_storage

# The load test: USERS signed-in people (a quarter of them clients) at once for
# SECONDS against `manage.py serve` as in production, on a PostgreSQL database
# (LOAD_DB, postgres://postgres@127.0.0.1:5432/liaison_loadtest by default) made
# afresh from a template of the bench data, and a Redis database of its own
# (LOAD_REDIS, redis://127.0.0.1:6379/13). Prints throughput, p50/p95/p99 per kind of
# request and the errors; fails unless there are none and p95 <= 250 ms. Each person
# pauses THINK_MS on average after each answer (THINK_MS=0: the server's capacity).
# Both servers must be running. Never part of `make test`.
USERS ?= 32
SECONDS ?= 60
THINK_MS ?= 1000
loadtest: var
	$(PY) manage.py loadtest --users $(USERS) --seconds $(SECONDS) --think-ms $(THINK_MS)
