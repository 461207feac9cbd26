"""deploy/ (the systemd units, the environment template, the upgrade script)
names only commands, options, make targets and variables that exist, and the
template lists every variable the settings read; filled in, it is a production
configuration Django's deployment checks accept, whose answers carry the security headers."""

import json
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
ENV_FILE = "/etc/liaison/liaison.env"


def unit_entries(path: Path) -> dict[str, list[str]]:
    """KEY -> its values; a unit may repeat a key, so not configparser."""
    entries: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            entries.setdefault(key.strip(), []).append(value.strip())
    return entries


def settings_variables() -> set[str]:
    source = (ROOT / "liaison" / "settings.py").read_text()
    pattern = r'(?:env_(?:str|bool|int|list)\(|os\.environ\.get\()\s*"([A-Z][A-Z0-9_]*)"'
    return set(re.findall(pattern, source))


def template_variables() -> set[str]:
    """Set (VAR=…) or shown unset (#VAR=…) in deploy/liaison.env."""
    text = (DEPLOY / "liaison.env").read_text()
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def template_environment(tmp_path: Path) -> dict[str, str]:
    """What a shell (deploy/upgrade.sh) gets from the template."""
    result = subprocess.run(
        ["bash", "-c", 'set -a; . "$1"; set +a; env -0', "_", str(DEPLOY / "liaison.env")],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    pairs = (item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    return dict(pairs)


def test_there_is_a_unit_for_the_web_server_and_one_for_the_worker():
    assert [unit.name for unit in UNITS] == ["liaison-web.service", "liaison-worker.service"]


def test_the_template_lists_every_variable_the_settings_read_and_no_other():
    read, listed = settings_variables(), template_variables()
    assert read, "no variable found in settings.py: the pattern is stale"
    assert read - listed == set(), "read by settings.py but missing from deploy/liaison.env"
    assert listed - read == set(), "in deploy/liaison.env but read by nothing"


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.stem)
def test_each_unit_runs_a_serve_command_that_exists(unit):
    entries = unit_entries(unit)
    (workdir,) = entries["WorkingDirectory"]
    python, script, name, *arguments = shlex.split(entries["ExecStart"][0])
    assert python == f"{workdir}/.venv/bin/python"  # where `make setup` (uv sync) puts it
    assert (ROOT / script).is_file()
    assert name in get_commands()
    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    options = parser.parse_args(arguments)
    assert unit.stem == f"liaison-{options.only}"


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.stem)
def test_each_unit_reads_the_environment_file_and_names_no_unknown_variable(unit):
    entries = unit_entries(unit)
    assert entries["EnvironmentFile"] == [ENV_FILE]
    # /var/lib/<StateDirectory> is the data directory the template sets.
    assert (
        f"/var/lib/{entries['StateDirectory'][0]}"
        == template_environment(Path("/tmp"))["LIAISON_VAR_DIR"]
    )
    text = unit.read_text()
    named = set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", text)) - {"MAINPID"}
    assert named <= settings_variables()


def test_the_upgrade_script_runs_make_targets_that_exist_and_restarts_both_units():
    script = (DEPLOY / "upgrade.sh").read_text()
    subprocess.run(["bash", "-n", str(DEPLOY / "upgrade.sh")], check=True)
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    used = re.findall(r"\bmake ([a-z][a-z-]*)", script)
    assert used and set(used) <= targets
    restarted = re.search(r"systemctl restart (.+)", script).group(1).split()
    assert sorted(restarted) == [unit.name for unit in UNITS]
    assert f"ENV_FILE=${{ENV_FILE:-{ENV_FILE}}}" in script


def production_environment(tmp_path: Path) -> dict[str, str]:
    """The template filled in as it asks (a secret key)."""
    return {
        **template_environment(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),  # the template's recipe
        "LIAISON_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }


# A page that needs no database, asked for over HTTPS through the proxy (static
# files from the apps: the hashed ones exist only after collectstatic).
ASK_A_PAGE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    answer = Client().get(
        "/accounts/password/reset/", HTTP_HOST="liaison.acme.example",
        HTTP_X_FORWARDED_PROTO="https",
    )
cookies = {name: dict(morsel) for name, morsel in answer.cookies.items()}
seen = {"status": answer.status_code, "headers": dict(answer.headers), "cookies": cookies}
print(json.dumps(seen))
"""


def test_production_answers_carry_the_security_headers(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", ASK_A_PAGE],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(result.stdout)
    headers = answer["headers"]
    assert answer["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = [part.strip() for part in headers["Content-Security-Policy"].split(";")]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    csrf = answer["cookies"]["csrftoken"]
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"


def test_the_template_is_a_working_production_configuration(tmp_path):
    """Filled in as the template asks, Django's deployment checks find nothing
    to warn about."""
    env = production_environment(tmp_path)
    assert env["LIAISON_ENV"] == "production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
