"""Sourcemark settings: one module, driven by environment variables.

Every value that differs between a laptop and production comes from the environment through the
small validating helpers below (the healthchecks.io pattern). Defaults are safe for production
(DEBUG off, secure cookies); the quick-start command (`python3 dev.py run`) sets DEBUG=1.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """KEY=VALUE lines from a local, git-ignored .env (written by dev.py) as defaults.

    Real environment variables always win; production sets them and has no .env.
    """
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


load_env_file(BASE_DIR / ".env")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


_RATE_UNITS = {"s": 1, "m": 60, "h": 3600}


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit "N/WINDOW" (e.g. "10/15m", "300/900s", "20/1h") as (N, window seconds)."""
    raw = env_str(name, default).strip()
    count, sep, window = raw.partition("/")
    unit = _RATE_UNITS.get(window[-1:], 0)
    try:
        limit, seconds = int(count), int(window[:-1]) * unit
    except ValueError:
        limit = seconds = 0
    if not sep or limit < 1 or seconds < 1:
        raise ImproperlyConfigured(
            f"{name} must be a rate like 10/15m (at most N in any window; s, m or h), got {raw!r}"
        )
    return limit, seconds


def _pool_options() -> dict:
    max_size = env_int("DB_POOL_MAX_SIZE", 8)
    if max_size <= 0:
        return {}
    timeout = env_int("DB_POOL_TIMEOUT", 10)
    # After a failed connection attempt the pool retries with doubling delays for
    # reconnect_timeout (5 minutes by default): after a database restart it could sit out
    # minutes before trying again. Give up sooner; the next request starts a fresh attempt.
    return {
        "pool": {
            "min_size": 1,
            "max_size": max_size,
            "timeout": timeout,
            "reconnect_timeout": timeout,
        }
    }


def database_from_url(url: str) -> dict:
    """Turn postgresql://user:pass@host:port/name?host=/socket/dir into Django's DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            "DATABASE_URL must be a postgresql:// URL (SQLite is not supported)"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        # A psycopg pool per process bounds connections however many requests are in flight
        # (under ASGI every request has its own connection object; long-lived event streams
        # would otherwise each hold one). DB_POOL_MAX_SIZE=0 turns pooling off.
        "CONN_MAX_AGE": 0 if env_int("DB_POOL_MAX_SIZE", 8) else env_int("DB_CONN_MAX_AGE", 60),
        # With a pool this is the pool's check before handing out a connection: after a
        # database restart every idle pooled connection is dead and would fail a request.
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {**query, **_pool_options()},
        "TEST": {"NAME": env_str("TEST_DATABASE_NAME", f"test_{name}")},
    }


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "csp",
    "procrastinate.contrib.django",
    "config.apps.SourcemarkConfig",
    "jobs",
    "ratelimits",
    "workspaces",
    "activity",
    "articles",
    "annotations",
    "insights",
    "search",
    "reading",
    "api",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "annotations.live.stream_admission",  # early: refusing a stream costs (almost) nothing
    # Before host validation and the HTTPS redirect: health checks come by IP over plain HTTP.
    "config.health.HealthCheckMiddleware",
    "config.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie (set by the header's switch), else the
    # browser's Accept-Language; after the session (it reads it), before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "api.middleware.AnnotationServiceLinkMiddleware",
    # Last, and sync only: under ASGI the whole chain then runs on one thread, entered once
    # (async, Django's own middleware would change thread for every hook).
    "config.middleware.CleanInputMiddleware",
]

# bench/ swaps in config.bench_urls, which adds a trivial view to compare against.
ROOT_URLCONF = env_str("ROOT_URLCONF", "config.urls")
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

_TEMPLATE_LOADERS: list = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
if not DEBUG:
    _TEMPLATE_LOADERS = [("django.template.loaders.cached.Loader", _TEMPLATE_LOADERS)]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # {% partialdef %} everywhere; "page.html#name" renders one partial for htmx.
            "builtins": ["template_partials.templatetags.partials"],
            "loaders": [("template_partials.loader.Loader", _TEMPLATE_LOADERS)],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workspaces.context_processors.current_workspace",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", "")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `python3 dev.py run` / `python3 dev.py test`, which start an "
        "embedded PostgreSQL, or point DATABASE_URL at a PostgreSQL server."
    )
DATABASES = {"default": database_from_url(_database_url)}
# DATABASE_URL may point at PgBouncer in transaction pooling mode (compose.yaml): a server
# connection then changes between transactions, so nothing may outlive one. No server-side
# cursors (Django's .iterator() would declare one) and no prepared statements (psycopg
# prepares a query run 5 times on its connection).
DB_TRANSACTION_POOLER = env_bool("DB_TRANSACTION_POOLER", False)
if DB_TRANSACTION_POOLER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
# The one LISTEN connection per process (annotations/live.py) must hold its session for hours:
# behind a transaction pooler it goes straight to PostgreSQL. Unset: DATABASE_URL's server.
LISTEN_DATABASE_URL = env_str("LISTEN_DATABASE_URL", "")
if LISTEN_DATABASE_URL:
    database_from_url(LISTEN_DATABASE_URL)  # the same checks: a postgresql:// URL with a name
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache (Redis, e.g. CACHE_URL=redis://127.0.0.1:6379/0): sessions, the signed-in
# user and their memberships are read from it, so a page pays no query before its own work.
# Every process and replica must use the same one (a sign-out or a removed member applies at
# once everywhere). Without CACHE_URL nothing is cached there and every request reads them
# from PostgreSQL, as a single laptop server can afford.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and urlsplit(CACHE_URL).scheme not in {"redis", "rediss", "unix"}:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {"BACKEND": "config.cache.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "sourcemark"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    ),
}
SESSION_ENGINE = "config.sessions"
SESSION_CACHE_ALIAS = "shared"
# Django's ModelBackend with the user read from the shared cache. (Sessions started before
# it, which name ModelBackend, sign in once more; listing both would hash a wrong password twice.)
AUTHENTICATION_BACKENDS = ["workspaces.caching.CachedModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:library"
LOGOUT_REDIRECT_URL = "login"
# The API's write rate limit (POST/PUT/DELETE under /api/), per token.
API_WRITES_PER_MINUTE = env_int("API_WRITES_PER_MINUTE", 120)
# Accounts are made through invite links; OPEN_SIGNUP=1 also lets anyone sign up.
OPEN_SIGNUP = env_bool("OPEN_SIGNUP", False)
# Compute suggested claims right after an import (inline, in the importing request) until
# the background job queue runs them; off by default so an import never waits for them.
SUGGESTIONS_ON_IMPORT = env_bool("SUGGESTIONS_ON_IMPORT", True)

# Email (password reset links): printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL")
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", f"Sourcemark <noreply@{urlsplit(SITE_URL).hostname or 'localhost'}>"
)
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LANGUAGE_CODE = "en"
# The interface languages; the browser's Accept-Language picks one, the header's switch
# (django's set_language view) remembers a choice in the language cookie for a year.
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Dates in templates use DATE_FORMAT / DATETIME_FORMAT, defined per language here.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("PLAIN_STATIC_STORAGE", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In DEBUG whitenoise serves straight from static/ so no collectstatic is needed while developing.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: articles are read into memory and validated by the import service, which has its own
# (clearer) size limit; Django's limits only guard against absurd requests.
ARTICLE_UPLOAD_MAX_BYTES = env_int("ARTICLE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_UPLOAD_MAX_BYTES + 1024 * 1024

# Security: secure by default, relaxed only where DEBUG says this is a laptop.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# No inline script or style anywhere: htmx is configured through a <meta> tag to not inject its
# indicator styles and never to eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# One JSON object per line in production (python-json-logger), readable text on a laptop; every
# record carries the request id (config/request_id.py).
LOG_FORMAT = env_choice("LOG_FORMAT", "text" if DEBUG else "json", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Importing pages by URL (articles/fetching.py): limits, and a test-only list of IP addresses
# that may be fetched although they are not public (e.g. "127.0.0.1" for a local test server).
# Leave it empty everywhere else: loopback, private and link-local addresses stay refused.
ARTICLE_FETCH_ALLOWED_ADDRESSES = env_list("ARTICLE_FETCH_ALLOWED_ADDRESSES", "")
ARTICLE_FETCH_MAX_BYTES = env_int("ARTICLE_FETCH_MAX_BYTES", 10 * 1024 * 1024)
ARTICLE_FETCH_TIMEOUT = env_int("ARTICLE_FETCH_TIMEOUT", 15)
ARTICLE_BATCH_MAX_ITEMS = env_int("ARTICLE_BATCH_MAX_ITEMS", 50)

# Background jobs (jobs/queue.py, procrastinate on the same PostgreSQL): a job that fails for a
# passing reason runs again after JOB_RETRY_SECONDS, then twice that, …, at most
# JOB_MAX_ATTEMPTS times in all; a worker silent for JOB_STALLED_SECONDS is taken for dead
# and its jobs are run again by another.
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
JOB_RETRY_SECONDS = env_int("JOB_RETRY_SECONDS", 5)
JOB_WORKER_CONCURRENCY = env_int("JOB_WORKER_CONCURRENCY", 4)
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_STALLED_SECONDS = env_int("JOB_STALLED_SECONDS", 60)
# Procrastinate finds tasks in each app's tasks.py; its admin pages stay read-only.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"

# Rate limits (ratelimits/): at most N hits per key in any window, counted in PostgreSQL so
# every process shares them. On by default; benchmarks may raise a limit (RATE_LIMIT_*=N/15m).
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = {
    # Failed sign-ins, per username and per client address.
    "login_username": env_rate("RATE_LIMIT_LOGIN_USERNAME", "10/15m"),
    "login_address": env_rate("RATE_LIMIT_LOGIN_ADDRESS", "10/15m"),
    # Failed sign-ins from a browser that has signed in to that username before (its own
    # budget, so someone guessing a victim's password cannot lock the victim out).
    "login_device": env_rate("RATE_LIMIT_LOGIN_DEVICE", "10/15m"),
    # Opening or redeeming invite links, per user and per client address.
    "invite_user": env_rate("RATE_LIMIT_INVITE_USER", "20/15m"),
    "invite_address": env_rate("RATE_LIMIT_INVITE_ADDRESS", "20/15m"),
    # Imported articles (each file or URL of a batch counts), per user.
    "import_user": env_rate("RATE_LIMIT_IMPORT_USER", "200/15m"),
    # New claims, per user.
    "claim_user": env_rate("RATE_LIMIT_CLAIM_USER", "300/15m"),
    # Claim searches (each request of the search page, live results included), per user.
    "search_user": env_rate("RATE_LIMIT_SEARCH_USER", "600/15m"),
}
# Behind a reverse proxy that appends the client's address to X-Forwarded-For, rate limits
# use that address instead of the proxy's. Never turn on without such a proxy: anyone could
# then choose their own address.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# Live event streams (annotations/live.py) one server process holds at once; beyond it a new
# stream is answered 503 with Retry-After and the browser tries again a little later.
LIVE_MAX_STREAMS = env_int("LIVE_MAX_STREAMS", 1000)
if LIVE_MAX_STREAMS < 1:
    raise ImproperlyConfigured("LIVE_MAX_STREAMS must be at least 1")
