"""Production settings: HTTPS only, secrets required, `manage.py check --deploy` clean."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

DEBUG = False


def _required(name: str, hint: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Village's production settings refuse to start without it. {hint}"
        )
    return value


SECRET_KEY = _required(
    "SECRET_KEY",
    "Set it to a long random string, for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`.",
)
if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) or [
    _required("ALLOWED_HOSTS", "Set it to the host names Village is served on, comma-separated.")
]

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

VILLAGE_STAFF_OTP_REQUIRED = env.bool("VILLAGE_STAFF_OTP_REQUIRED", default=True)
