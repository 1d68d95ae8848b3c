"""pytest settings: the real stack, with a fast password hash and tasks run in-process
(separate tests start real Celery workers)."""

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECRET_KEY = "village-test-secret-key-not-for-production-0123456789abcdefghijklmnop"

# A file, not memory: tests that start real worker processes share this database with them.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-village.sqlite3")}
