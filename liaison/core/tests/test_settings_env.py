"""The settings module read afresh under a given environment: what `make run`
(LIAISON_SERVE), HTTPS, PORT and an environment file's empty lines change; where
the secret key comes from, and that reading the settings writes nothing."""

import os
import runpy
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

LIAISON_VARIABLES = (
    "LIAISON_ENV",
    "LIAISON_SERVE",
    "DEBUG",
    "HTTPS",
    "PORT",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "WEB_WORKERS",
    "MARKDOWN_IMAGE_HOSTS",
    "STORAGE_URL",
    "STORAGE_DOWNLOADS",
)


KEY_FROM_SETUP = "key-written-by-make-setup"
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def read_settings(monkeypatch, tmp_path):
    """read_settings(**environment) -> the settings module's names, as a fresh
    process with exactly these Liaison variables would see them, in a data
    folder (tmp_path) where `make setup` wrote a secret key."""
    (tmp_path / "secret_key").write_text(KEY_FROM_SETUP + "\n")

    def _read(**environment: str) -> dict:
        for name in LIAISON_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LIAISON_VAR_DIR", str(tmp_path))
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(Path(django_settings.BASE_DIR) / "liaison" / "settings.py"))

    return _read


def static_backend(values: dict) -> str:
    return values["STORAGES"]["staticfiles"]["BACKEND"]


def test_development_debugs_and_serves_static_files_from_the_apps(read_settings):
    values = read_settings()
    assert values["DEBUG"] is True
    assert values["WHITENOISE_USE_FINDERS"] is True
    assert static_backend(values) == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_served_as_by_make_run_debug_is_off_and_static_files_compressed(read_settings):
    values = read_settings(LIAISON_SERVE="1")
    assert values["DEBUG"] is False
    assert values["WHITENOISE_USE_FINDERS"] is False  # hashed files only: far-future caching
    assert static_backend(values) == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Still the embedded default: SQLite, and cookies that work over plain HTTP.
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values.get("SESSION_COOKIE_SECURE", False) is False
    assert values.get("SECURE_SSL_REDIRECT", False) is False


def test_https_marks_cookies_secure_and_redirects(read_settings):
    values = read_settings(LIAISON_SERVE="1", HTTPS="1")
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000


def test_production_is_https_unless_told_it_serves_plain_http(read_settings):
    production = {"LIAISON_ENV": "production", "SECRET_KEY": "k" * 50}
    assert read_settings(**production)["SESSION_COOKIE_SECURE"] is True
    plain = read_settings(**production, HTTPS="0")
    assert plain.get("SESSION_COOKIE_SECURE", False) is False
    assert plain.get("SECURE_SSL_REDIRECT", False) is False
    assert plain["DEBUG"] is False


def test_site_url_follows_port_unless_set(read_settings):
    assert read_settings(PORT="8123")["SITE_URL"] == "http://127.0.0.1:8123"
    given = read_settings(PORT="8123", SITE_URL="http://liaison.test:8123/")
    assert given["SITE_URL"] == "http://liaison.test:8123"


def test_the_machine_itself_stays_allowed_when_hosts_are_named(read_settings):
    hosts = read_settings(ALLOWED_HOSTS="liaison.test")["ALLOWED_HOSTS"]
    assert {"liaison.test", "127.0.0.1", "localhost"} <= set(hosts)
    production = read_settings(
        LIAISON_ENV="production", SECRET_KEY="k" * 50, ALLOWED_HOSTS="liaison.test"
    )
    assert production["ALLOWED_HOSTS"] == ["liaison.test"]


def test_an_empty_variable_counts_as_unset(read_settings):
    """An environment file may list `DATABASE_URL=` with nothing after it."""
    values = read_settings(DATABASE_URL="", DEBUG="", PORT="")
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DEBUG"] is True
    assert values["SITE_URL"] == "http://127.0.0.1:8000"


def test_production_refuses_an_empty_secret_key(read_settings):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        read_settings(LIAISON_ENV="production", SECRET_KEY="")


def test_gunicorn_is_sized_to_the_machine_unless_told(read_settings):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert read_settings()["WEB_WORKERS"] == min(max(cores, 2), 8)
    assert read_settings(WEB_WORKERS="3")["WEB_WORKERS"] == 3


@pytest.mark.parametrize(
    ("name", "value"), [("DEBUG", "ture"), ("HTTPS", "maybe"), ("WEB_WORKERS", "four")]
)
def test_a_value_that_means_nothing_stops_the_start_naming_it(read_settings, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        read_settings(**{name: value})


@pytest.mark.parametrize(("value", "debug"), [("0", False), ("off", False), ("Yes", True)])
def test_yes_and_no_are_read_in_every_spelling(read_settings, value, debug):
    assert read_settings(DEBUG=value)["DEBUG"] is debug


def test_outside_production_the_key_is_the_one_make_setup_wrote(read_settings):
    assert read_settings()["SECRET_KEY"] == KEY_FROM_SETUP
    assert read_settings(SECRET_KEY="from-the-environment")["SECRET_KEY"] == "from-the-environment"


def test_without_a_key_the_start_stops_saying_to_run_make_setup(read_settings, tmp_path):
    (tmp_path / "secret_key").unlink()
    with pytest.raises(ImproperlyConfigured, match="make setup"):
        read_settings()


def test_reading_the_settings_creates_no_file(tmp_path):
    """In a fresh process, as `manage.py` or gunicorn reads them: nothing appears
    in a data folder that does not exist yet."""
    var_dir = tmp_path / "var"
    environment = {
        **{name: value for name, value in os.environ.items() if name not in LIAISON_VARIABLES},
        "LIAISON_VAR_DIR": str(var_dir),
        "SECRET_KEY": "k" * 50,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
    }
    subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.INSTALLED_APPS"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=60,
    )
    assert not var_dir.exists()


def test_make_var_prepares_the_data_folder_and_a_lasting_private_key(tmp_path):
    """What `make setup` does before anything reads the settings."""
    var_dir = tmp_path / "var"
    environment = {
        **{name: value for name, value in os.environ.items() if name not in LIAISON_VARIABLES},
        "LIAISON_VAR_DIR": str(var_dir),
    }
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        environment.pop(name, None)

    def make_var(**extra: str) -> None:
        make = ["make", "--no-print-directory", "var"]
        subprocess.run(make, cwd=ROOT, env={**environment, **extra}, check=True, timeout=300)

    make_var()
    key_file = var_dir / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert (var_dir / "static").is_dir()
    make_var()
    assert key_file.read_text().strip() == key  # sessions survive a second setup

    production = tmp_path / "production"
    make_var(LIAISON_VAR_DIR=str(production), SECRET_KEY="k" * 50)
    assert (production / "static").is_dir()
    assert not (production / "secret_key").exists()  # its key is in the environment


def test_the_page_policy_allows_the_image_hosts_the_deployment_lists(read_settings):
    values = read_settings(MARKDOWN_IMAGE_HOSTS="Images.Acme.example, cdn.acme.example")
    assert values["MARKDOWN_IMAGE_HOSTS"] == ["images.acme.example", "cdn.acme.example"]
    directives = [part.strip() for part in values["CONTENT_SECURITY_POLICY"].split(";")]
    assert "img-src 'self' data: https://images.acme.example https://cdn.acme.example" in directives
    assert "script-src 'self'" in directives


def test_files_stay_on_this_machine_unless_storage_url_names_a_bucket(read_settings):
    values = read_settings()
    assert values["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert values["STORAGE_DOWNLOADS"] == "stream"
    values = read_settings(STORAGE_URL="s3://files?endpoint_url=http://127.0.0.1:9000")
    assert values["STORAGES"]["default"]["OPTIONS"]["bucket_name"] == "files"
    assert "127.0.0.1:9000" not in values["CONTENT_SECURITY_POLICY"]


def test_pre_signed_downloads_need_a_bucket_and_may_show_its_images(read_settings):
    with pytest.raises(ImproperlyConfigured, match="needs an S3 STORAGE_URL"):
        read_settings(STORAGE_DOWNLOADS="presigned")
    with pytest.raises(ImproperlyConfigured, match="with its endpoint_url"):
        read_settings(STORAGE_URL="s3://files?region=eu-central-1", STORAGE_DOWNLOADS="presigned")
    with pytest.raises(ImproperlyConfigured, match="stream or presigned"):
        read_settings(STORAGE_DOWNLOADS="signed")
    values = read_settings(
        STORAGE_URL="s3://files?endpoint_url=http://127.0.0.1:9000",
        STORAGE_DOWNLOADS="presigned",
    )
    img_src = next(
        rule for rule in values["CONTENT_SECURITY_POLICY"].split("; ") if rule.startswith("img-src")
    )
    assert "http://127.0.0.1:9000" in img_src.split()
