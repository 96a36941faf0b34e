"""Test settings: the real PostgreSQL and Redis, as in production."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mobility")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# A key of production length, so DEBUG stays off as in production; subprocesses inherit it.
os.environ["SECRET_KEY"] = "test-only-key-" + "x" * 50

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client and live server speak plain HTTP; the rest of the production security stays on.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client's login() authenticates without a request; every real sign-in path passes one.
AUTHENTICATION_BACKENDS = [
    "mobility.security.lockout.TestClientLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Suites make many API calls from one address; the throttling tests set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "sign_up": "100000/min"},
}
