"""Village settings, read from the environment (see README "Configuration").

Defaults are the embedded ones: SQLite in WAL mode, a filesystem Celery broker, email to the
console. Nothing here needs a server to be running.
"""

from pathlib import Path

import environ

from village.languages.catalog import INTERFACE_LANGUAGES, register_extra_languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "village"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("VILLAGE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-village-development-only-key-do-not-deploy")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails and texts; by default the address `make run` serves (its VILLAGE_PORT).
SITE_URL = env("SITE_URL", default=f"http://localhost:{env('VILLAGE_PORT', default='8000')}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "village.languages",
    "village.orgs",
    "village.operations",
    "village.portal",
    "village.api",
    "village.families",
    "village.events",
    "village.messaging",
    "village.assessments",
    "village.groups",
    "village.programs",
    "village.titlei",
    "village.surveys",
    "village.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "village.orgs.middleware.OrganisationTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "village.urls"
WSGI_APPLICATION = "village.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "village.languages.context_processors.languages",
                "village.orgs.context_processors.staff",
                "village.page_cache.csrf_placeholder",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'village.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers up front instead of failing on lock upgrade;
    # WAL lets readers carry on while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Persistent connections on both: opening one (and, on SQLite, running its PRAGMAs) cost a
# fifth of a small request's time.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://village")}

# --- People and login -----------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "orgs:login"
LOGIN_REDIRECT_URL = "orgs:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "orgs/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# Staff with a confirmed authenticator must always enter a code; when this is on, staff
# without one are sent to set one up before any staff page.
VILLAGE_STAFF_OTP_REQUIRED = env.bool("VILLAGE_STAFF_OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Village"

# Requests per token for the API (django-ninja's throttle syntax: N/s, N/m, N/h, N/d).
VILLAGE_API_RATE = env("VILLAGE_API_RATE", default="600/m")
# The most items one API page may ask for (`limit`); above it the API answers 422.
NINJA_PAGINATION_MAX_LIMIT = env.int("VILLAGE_API_MAX_LIMIT", default=500)
# Anonymous event registrations per client address (N/s, N/m, N/h, N/d; 0: no limit), and the
# largest team one registration may bring.
VILLAGE_REGISTRATION_RATE = env("VILLAGE_REGISTRATION_RATE", default="30/h")
VILLAGE_TEAM_MAX_MEMBERS = env.int("VILLAGE_TEAM_MAX_MEMBERS", default=30)

# Webhooks out (village.api.webhooks): lease of a claimed delivery, backoff base, attempts.
VILLAGE_WEBHOOK_LEASE_SECONDS = env.int("VILLAGE_WEBHOOK_LEASE_SECONDS", default=60)
VILLAGE_WEBHOOK_RETRY_BASE_SECONDS = env.int("VILLAGE_WEBHOOK_RETRY_BASE_SECONDS", default=30)
VILLAGE_WEBHOOK_MAX_ATTEMPTS = env.int("VILLAGE_WEBHOOK_MAX_ATTEMPTS", default=8)
# Tests only: lets a webhook go to a receiver on 127.0.0.1. Never on in production.
VILLAGE_WEBHOOK_ALLOW_LOOPBACK = False

# --- Languages and time ---------------------------------------------------------------------
register_extra_languages()
LANGUAGE_CODE = "en"
LANGUAGES = INTERFACE_LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Date, time and number formats from CLDR for the languages Django has none for (and Arabic's
# missing DATETIME_FORMAT): see `manage.py formats_generate`.
FORMAT_MODULE_PATH = ["village.formats"]
LANGUAGE_COOKIE_NAME = "village_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", default="America/New_York")

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Files only Village's own views hand out (resource files, group minutes), never a web server.
VILLAGE_PRIVATE_FILES_DIR = Path(env("VILLAGE_PRIVATE_FILES_DIR", default=str(VAR_DIR / "private")))
# Largest file a resource or the minutes of a meeting may have.
VILLAGE_UPLOAD_MAX_MB = env.int("VILLAGE_UPLOAD_MAX_MB", default=25)

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Village <no-reply@village.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (Celery) ---------------------------------------------------------------
# With a host name, so kombu does not warn "No hostname was supplied" (the folder transport
# ignores it).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: a folder that web and worker processes share. No server needed.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _dir in (_queue_dir, _processed_dir, _control_dir):
        _dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "data_folder_processed": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "village.operations.tasks.heartbeat_record", "schedule": 60.0},
    "messaging-sweep": {"task": "village.messaging.tasks.deliveries_sweep", "schedule": 30.0},
    "messaging-digests": {"task": "village.messaging.tasks.digests_assemble", "schedule": 300.0},
    "roster-imports-requeue": {
        "task": "village.families.tasks.roster_imports_requeue_task",
        "schedule": 300.0,
    },
    "events-reminders": {"task": "village.events.tasks.reminders_queue", "schedule": 900.0},
    "events-offers-expire": {"task": "village.events.tasks.offers_expire", "schedule": 300.0},
    "events-surveys": {"task": "village.events.tasks.surveys_queue", "schedule": 3600.0},
    "insights-figures": {"task": "village.insights.tasks.figures_compute", "schedule": 900.0},
    "api-webhooks-sweep": {"task": "village.api.tasks.webhook_deliveries_sweep", "schedule": 30.0},
}

# --- Insights -------------------------------------------------------------------------------
# Each run of the aggregate job computes the last N days again (late receipts, attendance
# entered after the event); older changes need `manage.py insights_compute --since`.
VILLAGE_INSIGHTS_RECOMPUTE_DAYS = env.int("VILLAGE_INSIGHTS_RECOMPUTE_DAYS", default=7)
# A home language is flagged when its reach is this fraction below the organisation's average
# (0.25: a quarter below) and it has at least this many guardians.
VILLAGE_INSIGHTS_FLAG_GAP = env.float("VILLAGE_INSIGHTS_FLAG_GAP", default=0.25)
VILLAGE_INSIGHTS_FLAG_MIN_GUARDIANS = env.int("VILLAGE_INSIGHTS_FLAG_MIN_GUARDIANS", default=5)

# --- Families ------------------------------------------------------------------------------
# Region used to read phone numbers written without a country code.
VILLAGE_PHONE_REGION = env("VILLAGE_PHONE_REGION", default="US")
# Roster uploads larger than this are refused before they are read.
VILLAGE_ROSTER_MAX_UPLOAD_MB = env.int("VILLAGE_ROSTER_MAX_UPLOAD_MB", default=100)
# A full roster that would mark more than this share of a district's active guardians and
# students inactive (a truncated export, say) waits for a person's confirmation.
VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT = env.float(
    "VILLAGE_ROSTER_MAX_DEACTIVATION_PERCENT", default=10
)
# How long a family's magic link to their contact details works.
VILLAGE_FAMILY_LINK_DAYS = env.int("VILLAGE_FAMILY_LINK_DAYS", default=14)

# --- Security headers -----------------------------------------------------------------------
# A strict Content-Security-Policy: only our own scripts and styles, no inline code, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Messaging (see README "Configuration") -------------------------------------------------
SMS_PROVIDER = env("SMS_PROVIDER", default="")  # "twilio", or none
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE = env("TWILIO_API_BASE", default="https://api.twilio.com")
SMS_SEGMENTS_PER_SECOND = env.float("SMS_SEGMENTS_PER_SECOND", default=10.0)
LIBRETRANSLATE_URL = env("LIBRETRANSLATE_URL", default="")
LIBRETRANSLATE_API_KEY = env("LIBRETRANSLATE_API_KEY", default="")
VILLAGE_REPLY_DOMAIN = env("VILLAGE_REPLY_DOMAIN", default="")
MESSAGING_LEASE_SECONDS = env.int("MESSAGING_LEASE_SECONDS", default=120)
MESSAGING_BATCH_SIZE = env.int("MESSAGING_BATCH_SIZE", default=100)
MESSAGING_EMAIL_GROUP = env.int("MESSAGING_EMAIL_GROUP", default=16)
MESSAGING_PARALLEL_TASKS = env.int("MESSAGING_PARALLEL_TASKS", default=4)
MESSAGING_MAX_ATTEMPTS = env.int("MESSAGING_MAX_ATTEMPTS", default=6)
MESSAGING_RETRY_BASE_SECONDS = env.int("MESSAGING_RETRY_BASE_SECONDS", default=30)
