"""Galtea Admin settings.

Every setting is read from the environment here, in one place, with a safe default for
development. With DJANGO_DEBUG off, start-up refuses to run without a secret key and an API
key. The README lists every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

from galtea_admin.galtea import contract
from galtea_admin.jobs.worker_commands import JOB_WORKER_COMMANDS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_number(name: str, default: float, cast=float):
    raw = env_str(name)
    if not raw:
        return default
    try:
        return cast(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    return [item.strip() for item in raw.split(",") if item.strip()] if raw else default


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
GALTEA_API_KEY = env_str("GALTEA_API_KEY")
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set: production (DJANGO_DEBUG=false) needs a secret key."
        )
    if not GALTEA_API_KEY:
        raise ImproperlyConfigured(
            "GALTEA_API_KEY is not set: production (DJANGO_DEBUG=false) needs a Galtea API key."
        )
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# --- The Galtea API -------------------------------------------------------------------------
GALTEA_API_URL = env_str("GALTEA_API_URL", contract.DEFAULT_API_URL)
GALTEA_CONNECT_TIMEOUT = env_number("GALTEA_CONNECT_TIMEOUT", 5.0)
GALTEA_READ_TIMEOUT = env_number("GALTEA_READ_TIMEOUT", 30.0)
GALTEA_CONNECT_RETRIES = env_number("GALTEA_CONNECT_RETRIES", 2, int)
# The most a page view waits for all its Galtea calls together, retries included.
GALTEA_PAGE_DEADLINE = env_number("GALTEA_PAGE_DEADLINE", 15.0)
# The bulkhead: at most this many page requests per process wait on Galtea at once; keep
# it below the server's threads per process (make serve: 8), so that pages that do not
# need Galtea (sign-in, jobs, activity) always find a thread. A request that finds every
# slot taken waits this long (seconds), then gets a "try again" page with nothing sent.
GALTEA_PAGE_SLOTS = env_number("GALTEA_PAGE_SLOTS", 6, int)
GALTEA_PAGE_SLOT_WAIT = env_number("GALTEA_PAGE_SLOT_WAIT", 0.1)
# Exports have no page deadline: each chunk of rows waits up to this for its answer.
GALTEA_EXPORT_READ_TIMEOUT = env_number("GALTEA_EXPORT_READ_TIMEOUT", 30.0)
# How long product names and the voice list are cached (seconds).
GALTEA_LOOKUP_CACHE_SECONDS = env_number("GALTEA_LOOKUP_CACHE_SECONDS", 300, int)
# Where call recordings are played from: the origins of Galtea's short-lived storage links
# (space-separated), which the Content-Security-Policy lets the browser play. By default the
# API's own origin (the emulator serves its recordings itself).
GALTEA_RECORDING_ORIGINS = tuple(
    (env_str("GALTEA_RECORDING_ORIGINS") or contract.url_origin(GALTEA_API_URL)).split()
)

# --- Background jobs (galtea_admin/jobs) ----------------------------------------------------
# Jobs run on Django's Tasks API (the django-tasks backport of django.tasks). The backend is
# chosen here and only here: "database" keeps the queue in the admin's own database, run by
# `manage.py db_worker`; "rq" keeps it in Redis (REDIS_URL; the default when one is set), run
# by `manage.py rqworker`; "immediate" runs each job inside the request that starts it (no
# worker: for tests). JOB_WORKER_ARGS is how bin/with-workers starts a worker for it; the
# commands are in jobs/worker_commands.py, which the tests and the benchmark read too.
JOBS_REDIS_URL = env_str("REDIS_URL")
JOBS_BACKEND = env_str("JOBS_BACKEND") or ("rq" if JOBS_REDIS_URL else "database")
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
if JOBS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"JOBS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {JOBS_BACKEND!r}."
    )
if JOBS_BACKEND == "rq" and not JOBS_REDIS_URL:
    raise ImproperlyConfigured("JOBS_BACKEND rq keeps its queue in Redis: set REDIS_URL.")
TASKS = {"default": TASK_BACKENDS[JOBS_BACKEND]}
JOB_WORKER_ARGS = JOB_WORKER_COMMANDS[JOBS_BACKEND]
# django-rq's queue (rq backend only). A job never times out in rq: the admin's own signs
# of life (JOB_STALE_SECONDS) tell a job whose worker is gone.
RQ_QUEUES = {
    "default": {"URL": JOBS_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": -1}
}
# How many requests one job has on their way to Galtea at once (its rate limits are unknown).
GALTEA_JOB_CONCURRENCY = env_number("GALTEA_JOB_CONCURRENCY", 4, int)
if GALTEA_JOB_CONCURRENCY < 1:
    raise ImproperlyConfigured("GALTEA_JOB_CONCURRENCY must be 1 or more.")
# A running job whose worker has given no sign of life for this long (seconds) is marked
# interrupted; a live worker gives one several times as often.
JOB_STALE_SECONDS = env_number("JOB_STALE_SECONDS", 60.0)

# --- Django ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "axes",
    "galtea_admin.lists",
    "galtea_admin.accounts",
    "galtea_admin.phone_connections",
    "galtea_admin.webrtc_connections",
    "galtea_admin.versions",
    "galtea_admin.calls",
    "galtea_admin.audit",
    "galtea_admin.preferences",
    "django_tasks",
    "django_tasks_db",
    "galtea_admin.jobs",
]
if JOBS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")  # its rqworker command

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "galtea_admin.security.ContentSecurityPolicyMiddleware",
    "galtea_admin.security.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "galtea_admin.security.PrivatePagesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "galtea_admin.method_not_allowed.MethodNotAllowedPageMiddleware",
    "galtea_admin.galtea_errors.GalteaErrorMiddleware",
    "galtea_admin.galtea_deadline.GalteaDeadlineMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "galtea_admin.urls"
WSGI_APPLICATION = "galtea_admin.wsgi.application"

# Django's own form and widget templates in Jinja2.
DJANGO_FORM_TEMPLATES = Path(django.__file__).parent / "forms" / "jinja2"
TEMPLATES = [
    {
        # Every page of the admin, and its form fields and widgets, is Jinja2 (several times
        # faster than Django's templates, bench/README.md); found first, so its names win.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2", DJANGO_FORM_TEMPLATES],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "galtea_admin.template_environment.environment",
            # Jinja2 adds these over a page's own values (Django's templates, under them): no
            # page's value may take one of their names.
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "galtea_admin.lists.context_processors.navigation",
                "galtea_admin.preferences.context_processors.appearance",
            ],
        },
    },
    {
        # Django's own admin (Users & roles) and its templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Forms are drawn with the templates above (Django's widgets, the admin's field wrapper).
FORM_RENDERER = "galtea_admin.lists.forms.AdminFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'galtea_admin.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process: memory. Several instances serving one team: a shared Redis (REDIS_URL or
# CACHE_URL), so that lookups are shared between them.
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "galtea"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# Sessions live where every worker and instance sees them (a sign-out ends one everywhere):
# the database, read through the cache only when that is a shared Redis.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if CACHE_URL else "db")
SESSION_COOKIE_AGE = env_number("DJANGO_SESSION_SECONDS", 8 * 3600, int)
# Sign-in throttling (django-axes, over every authentication path, the Django admin's too),
# counted in the database: LOGIN_FAILURE_LIMIT failures for one name from one address lock
# that name out from that address, for LOGIN_LOCKOUT_SECONDS after the last failure.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "galtea_admin.accounts.backends.PermissionsBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_number("LOGIN_FAILURE_LIMIT", 5, int)
AXES_COOLOFF_TIME = timedelta(seconds=env_number("LOGIN_LOCKOUT_SECONDS", 15 * 60, int))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A success clears the failures of that name from that address only.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "galtea_admin.accounts.lockout.lockout_response"
# Failures are kept (and can be cleared in /django-admin/); a log of every sign-in is not.
AXES_DISABLE_ACCESS_LOG = True
# The client's address: the connection's, or behind this many trusted reverse proxies (each
# appending to X-Forwarded-For), the one the outermost proxy saw (accounts/lockout.py).
TRUSTED_PROXIES = env_number("DJANGO_TRUSTED_PROXIES", 0, int)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXIES must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "galtea_admin.accounts.lockout.client_address"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redaction": {"()": "galtea_admin.log_redaction.RedactionFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redaction"],
        }
    },
    "loggers": {
        "galtea_admin": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        # Django's own default logs errors (django.request's 500s) to the console only when
        # debugging: here they always are, with their traceback, redacted.
        "django": {"handlers": ["console"], "level": "INFO"},
    },
}

# The largest request body the admin reads; a larger one is refused (413) before it is read.
MAX_REQUEST_BODY_BYTES = env_number("DJANGO_MAX_REQUEST_BYTES", 10 * 1024 * 1024, int)
# Form fields (rows pasted into the import form) may take what the cap above lets through.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
# The largest file (or pasted text), and the most rows, one import takes (galtea_admin/lists).
IMPORT_MAX_BYTES = env_number("IMPORT_MAX_BYTES", 10 * 1024 * 1024, int)
IMPORT_MAX_ROWS = env_number("IMPORT_MAX_ROWS", 10_000, int)

# --- Security headers and HTTPS (production runs behind a TLS-terminating reverse proxy) ---
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Every asset is served from this site: no inline script or style, no third parties.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)  # plus media-src: the recording origins (security.ContentSecurityPolicyMiddleware)
if env_bool("DJANGO_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_number("DJANGO_HSTS_SECONDS", 31_536_000, int)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
