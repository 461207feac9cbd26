"""Liaison settings: one module, driven by environment variables.

Defaults give a working single-machine install (SQLite and huey on SQLite under
`var/`, e-mail on the console). Production sets LIAISON_ENV=production and the
variables that `check --deploy` asks for. Every variable is listed, with what it
does, in `deploy/liaison.env`.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from liaison.storage_url import presigned_origins, storage_backend

BASE_DIR = Path(__file__).resolve().parent.parent
# Created by `make setup` (the Makefile's `var` step), never by reading the settings.
VAR_DIR = Path(os.environ.get("LIAISON_VAR_DIR", BASE_DIR / "var"))


# An empty value counts as unset: an environment file may list a variable with
# nothing after the "=".
def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


YES, NO = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


# A value that is neither yes nor no stops the start with a message: `DEBUG=ture`
# must not quietly mean "no".
def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name).strip().lower()
    if not value:
        return default
    if value not in YES | NO:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r}: use 1 or 0 (true/false, yes/no, on/off)"
        )
    return value in YES


def env_int(name: str, default: int) -> int:
    value = env_str(name).strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: a whole number is needed") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


LIAISON_ENV = env_str("LIAISON_ENV", "development")
PRODUCTION = LIAISON_ENV == "production"
# `manage.py serve` (`make run`, the systemd units in deploy/) sets LIAISON_SERVE=1
# for the processes it starts: Liaison served the way it is kept running, on any
# LIAISON_ENV — DEBUG off, static files hashed and compressed.
SERVE = env_bool("LIAISON_SERVE")
DEBUG = env_bool("DEBUG", default=not (PRODUCTION or SERVE))


def _secret_key() -> str:
    """In production the key must come from the environment. Elsewhere `make setup`
    writes one into var/ once (sessions survive restarts); here it is only read."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when LIAISON_ENV=production")
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"No secret key: {path} does not exist. Run `make setup` to create it "
            "(or set SECRET_KEY)."
        ) from None


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not PRODUCTION:
    # The machine itself always reaches a development or `make run` install, also
    # when ALLOWED_HOSTS names it on the office network.
    ALLOWED_HOSTS += [h for h in ("127.0.0.1", "localhost", "testserver") if h not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Addresses of the reverse proxies in front (e.g. 127.0.0.1 for Caddy on the same
# machine): only their X-Forwarded-For is believed, for sign-in throttling and
# signatures (core/request_info.py). Empty: every request is taken at its word.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# A first-run link (`manage.py first_run_link`) opens the set-up page for this long.
SETUP_TOKEN_HOURS = env_int("SETUP_TOKEN_HOURS", 24)
# Where `manage.py serve` listens (HOST=0.0.0.0 serves the network), and the
# process counts it starts: one gunicorn worker per core (at least 2, at most 8),
# each with 4 threads, and a few job threads. A process runs Python on one core at
# a time (the GIL) and its threads cover the waits on the database, so more
# processes only add switching: under `make loadtest` on 2 cores, 2 workers × 4
# threads served as many requests per second as gunicorn's rule of thumb for sync
# workers (2 × cores + 1 = 5 × 4), at a p95 27 % lower and 10 % less CPU per request.
HOST = env_str("HOST", "127.0.0.1")
PORT = env_int("PORT", 8000)
# The cores this process may run on (a container or taskset may allow fewer).
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
WEB_WORKERS = env_int("WEB_WORKERS", min(max(CORES, 2), 8))
WEB_THREADS = env_int("WEB_THREADS", 4)
JOB_WORKERS = env_int("JOB_WORKERS", 2)
# The address people use, for links in e-mails; by default this machine on PORT.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "liaison.core",
    "liaison.accounts",
    "liaison.projects",
    "liaison.collab",
    "liaison.webhooks",
    "liaison.requirements",
    "liaison.planning",
    "liaison.communication",
    "liaison.changes",
    "liaison.controls",
    "liaison.finance",
    "liaison.glossary",
    "liaison.documents",
    "liaison.reports",
    "liaison.portal",
    "liaison.home",
]
# The demo data and the benchmark: for trying and measuring Liaison, never in production.
if not PRODUCTION:
    INSTALLED_APPS += ["liaison.demo", "liaison.bench"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "liaison.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "liaison.projects.middleware.ViewerScopeMiddleware",
    "liaison.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "liaison.core.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# `make bench` reads the SQL query count of each request from a header.
QUERY_COUNT_HEADER = env_bool("QUERY_COUNT_HEADER")
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "liaison.core.middleware.QueryCountMiddleware")

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.home.context_processors.layout",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'liaison.sqlite3'}"),
        # Kept for a minute on SQLite too: opening one costs each request about
        # 2 ms (Django's functions registered on it, the schema read again).
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A kept connection is checked before a request reuses it: one broken
        # while the database was away is replaced, not failed on.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the huey worker use the file together.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Sign-in throttling (pages and the API's token endpoint), failures counted
# within the window: one account from one network address; one network address
# whatever the accounts (password spraying); one account whatever the addresses
# (kept high, so strangers cannot lock a person out with a few bad tries).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_IP_LIMIT = env_int("LOGIN_FAILURE_IP_LIMIT", 20)
LOGIN_FAILURE_ACCOUNT_LIMIT = env_int("LOGIN_FAILURE_ACCOUNT_LIMIT", 50)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15)

# The hour of the day (in TIME_ZONE) when the daily reminders go out: action
# items due tomorrow or overdue, communication plan items due. The job runs
# hourly and acts only at this hour.
REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
# The hour (in TIME_ZONE) on Mondays when last week's reports are drafted for
# the teams that report weekly.
REPORT_HOUR = env_int("REPORT_HOUR", 7)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "liaison_language"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Served as it is kept running (production, `manage.py serve`), collectstatic
# writes hashed, compressed (gzip, brotli) copies that whitenoise serves with
# far-future cache headers. In development whitenoise serves straight from the
# apps, no collectstatic needed.
COMPRESSED_STATIC = PRODUCTION or SERVE
WHITENOISE_USE_FINDERS = not COMPRESSED_STATIC
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# A document version's largest file, and what a project's versions may take in all.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
DOCUMENT_QUOTA_BYTES = env_int("DOCUMENT_QUOTA_BYTES", 5 * 1024 * 1024 * 1024)
# Bodies with files stop being read past this (core/uploads.py): the largest
# file a service takes (documents, 25 MB) and room for the form around it.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", DOCUMENT_MAX_BYTES + 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "liaison.core.uploads.UploadLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


STORAGE_URL = env_str("STORAGE_URL")
# A permitted download is streamed through the web process (`stream`, the
# default), or answered with a redirect to a pre-signed address of the object
# that works for PRESIGNED_URL_SECONDS (`presigned`: S3 only; the storage then
# serves the bytes).
STORAGE_DOWNLOADS = env_str("STORAGE_DOWNLOADS", "stream")
PRESIGNED_URL_SECONDS = env_int("PRESIGNED_URL_SECONDS", 60)
if STORAGE_DOWNLOADS not in ("stream", "presigned"):
    raise ImproperlyConfigured(f"STORAGE_DOWNLOADS={STORAGE_DOWNLOADS!r}: stream or presigned")
if STORAGE_DOWNLOADS == "presigned" and "endpoint_url=" not in STORAGE_URL:
    # The pages' image policy names the server downloads lead to (presigned_origins).
    raise ImproperlyConfigured(
        "STORAGE_DOWNLOADS=presigned needs an S3 STORAGE_URL with its endpoint_url"
    )
# No MEDIA_URL route exists: files are only served through permission-checked views.
STORAGES = {
    "default": storage_backend(STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if COMPRESSED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


def _email_settings(url: str) -> dict:
    """EMAIL_URL: console:// (default), smtp://user:pass@host:port, or
    smtp+tls:// / smtp+ssl:// for encrypted transports."""
    parts = urlsplit(url)
    if parts.scheme in ("", "console"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme not in ("smtp", "smtp+tls", "smtp+ssl"):
        raise RuntimeError(f"EMAIL_URL scheme {parts.scheme!r} is not supported")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or 25,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtp+ssl",
        "EMAIL_TIMEOUT": int(query.get("timeout", ["10"])[0]),
    }


globals().update(_email_settings(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Liaison <liaison@localhost>")

# Outgoing webhooks refuse internal addresses (docs/architecture.md, Data rules); these
# hosts are allowed even when they resolve to one (tests post to a local server: "127.0.0.1").
WEBHOOK_ALLOWED_HOSTS = [host.lower() for host in env_list("WEBHOOK_ALLOWED_HOSTS")]
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 5)  # seconds per attempt
# A pending delivery this long past its due try lost its job (a killed worker):
# the worker's sweep (at its start and every 5 minutes) queues it again.
WEBHOOK_SWEEP_SECONDS = env_int("WEBHOOK_SWEEP_SECONDS", 900)
# A mail still pending this long after its try was due, or after a worker took
# it, lost its job with a killed worker: the sweep (at the worker's start and
# every 5 minutes) queues it again (core.outbox).
MAIL_SWEEP_SECONDS = env_int("MAIL_SWEEP_SECONDS", 300)
# The daily digest of notifications goes out at this hour of each user's local time.
DIGEST_HOUR = env_int("DIGEST_HOUR", 18)

# A running job renews its lease with each step; one silent for longer is taken
# to have died with its worker and fails (its upload is deleted). A queued job
# that no worker started within the limit fails the same way.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
JOB_QUEUE_LIMIT_SECONDS = env_int("JOB_QUEUE_LIMIT_SECONDS", 3600)

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions are read from Redis, not a query each request, and written
    # through to the database (Redis may forget them); signing out deletes
    # both, for every process. Without Redis the cache is the database too, and
    # reading through it would add a query: sessions stay in the database. Not
    # signed cookies: a copy of one would still sign in after signing out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    HUEY: dict[str, Any] = {
        "huey_class": "huey.RedisHuey",
        "name": "liaison",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    # A database cache keeps no state in the web process, so N processes agree.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "liaison_cache",
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "liaison",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
HUEY["immediate"] = env_bool("HUEY_IMMEDIATE", HUEY["immediate"])

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Images in comments and descriptions (markdown) show inline only from this site
# (attachments) and these hosts; any other becomes a link, so that no outside
# server learns who reads a page, and when (core/markdown.py).
MARKDOWN_IMAGE_HOSTS = [host.lower() for host in env_list("MARKDOWN_IMAGE_HOSTS")]


STORAGE_ORIGINS = presigned_origins(STORAGES["default"]) if STORAGE_DOWNLOADS == "presigned" else []
# Every HTML page: scripts from this site only, never inline (the templates hold
# none: liaison/tests/test_template_rules.py), no framing, forms post here only.
# Inline style attributes stay allowed (widths of bars, colours of badges).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src "
        + " ".join(
            [
                "'self'",
                "data:",
                *("https://" + host for host in MARKDOWN_IMAGE_HOSTS),
                *STORAGE_ORIGINS,
            ]
        ),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# HTTPS=1 (the default in production) when people reach Liaison over HTTPS
# (a reverse proxy in front): cookies are marked Secure, plain HTTP redirects,
# HSTS, and the proxy's X-Forwarded-Proto is believed. Off, everything still
# works over plain HTTP on an office network (a browser drops Secure cookies
# sent over plain HTTP, so sign-in would fail).
HTTPS = env_bool("HTTPS", PRODUCTION)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Not preloading is a choice here, not an oversight (`check --deploy`).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One line per event on the terminal (or the journal): time, level, where, what.
# gunicorn writes its own line per request (`manage.py serve`).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # huey's run_huey adds a handler of its own to a "huey" logger without
        # one, and the line then printed twice (there, and through the root).
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint and fontTools narrate every PDF step by step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

PAGE_SIZE = 25
