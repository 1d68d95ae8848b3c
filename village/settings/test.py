"""pytest settings: the real stack, with a fast password hash and tasks run in-process
(separate tests start real Celery workers)."""

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECRET_KEY = "village-test-secret-key-not-for-production-0123456789abcdefghijklmnop"
