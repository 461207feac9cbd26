# Liaison — the commands a newcomer needs. Each target installs what it needs.
SHELL := /bin/bash
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := $(UV) run --locked python

.PHONY: run test test-dates setup uv deps system-deps messages translations migrate lint format bench

uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || \
		(python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv)

deps: uv
	$(UV) sync --locked

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

messages: deps system-deps
	$(PY) manage.py compilemessages --ignore=.venv -v0

# Refresh the catalog after changing user-facing strings; then translate the new entries.
translations: deps system-deps
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var \
		--ignore='*/tests/*' --ignore=conftest.py --no-obsolete

migrate: deps
	$(PY) manage.py migrate -v0
	$(PY) manage.py createcachetable

setup: messages migrate
	$(PY) manage.py demo_data --if-empty

# Web server and huey worker together; Ctrl-C (or a TERM) stops both.
run: setup
	@$(PY) manage.py run_huey --workers 2 --delay 0.1 --max-delay 1 & huey=$$!; \
	trap 'kill $$huey 2>/dev/null; wait $$huey 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)

test: messages
	$(UV) run --locked pytest

# The apps whose rules count days, run again on other "todays": a Monday at a
# year's turn, the last day of a year and a leap day (conftest.py pins the clock).
DATE_SENSITIVE := liaison/reports liaison/communication liaison/planning liaison/changes
test-dates: messages
	for day in 2027-01-04 2026-12-31 2028-02-29; do \
		LIAISON_TEST_TODAY=$$day $(UV) run --locked pytest $(DATE_SENSITIVE) -m "not browser" || exit 1; \
	done

lint: deps
	$(UV) run --locked ruff check .
	$(UV) run --locked ruff format --check .

format: deps
	$(UV) run --locked ruff format .
	$(UV) run --locked ruff check --fix .

# The benchmark: a real gunicorn on a separate database (BENCH_DB=postgres://… to use
# PostgreSQL), measured over HTTP. Never part of `make test`.
bench: deps
	$(PY) manage.py bench
