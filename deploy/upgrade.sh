#!/usr/bin/env bash
# Upgrade Liaison in place (run as root): pull the new code, set it up (locked
# dependencies, translations, migrations, static files), restart both services.
# The same three steps by hand are in deploy/README.md.
set -euo pipefail

APP_DIR=${APP_DIR:-/opt/liaison}
APP_USER=${APP_USER:-liaison}
ENV_FILE=${ENV_FILE:-/etc/liaison/liaison.env}

# As the service user, with the services' settings (the database to migrate).
as_app() {
  runuser -u "$APP_USER" -- bash -c \
    'set -a; . "$1"; set +a; cd "$2" && shift 2 && "$@"' _ "$ENV_FILE" "$APP_DIR" "$@"
}

as_app git pull --ff-only
as_app make setup
systemctl restart liaison-web.service liaison-worker.service
systemctl --no-pager --lines=0 status liaison-web.service liaison-worker.service
