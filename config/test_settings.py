"""Test overlay: demo-safe defaults, fast hashing, in-memory email. DATABASE_URL still selects
SQLite (default) or PostgreSQL, so the same suite runs on both."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
LANGUAGE_CODE = "vi"
# Most tests log in with force_login and open pages directly; tests/accounts switches
# two-factor authentication on with the `settings` fixture where it is the subject.
OTP_REQUIRED = False
# Plain http on the test client, whatever DEBUG the environment sets.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# The hash chain's links (tracking.ledger) are not reloaded by serialized_rollback: the rows come
# back with their times cut to milliseconds (Django's JSON), so tests/conftest.py links them again.
TEST_NON_SERIALIZED_APPS = ["tracking"]
DIGEST_HOUR = 0  # the sweep makes digests whatever the hour the tests run at
