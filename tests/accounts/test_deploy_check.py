"""`make check-deploy`: Django's deployment checklist passes under production settings taken
from the environment, and fails on what must never reach production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTROLLED = (
    "DEBUG",
    "SECRET_KEY",
    "DEMO_MODE",
    "OTP_REQUIRED",
    "ALLOWED_HOSTS",
    "BEHIND_TLS_PROXY",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_",
    "SESSION_COOKIE_",
    "CSRF_COOKIE_",
)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "qlcb.example.gov.vn",
    "BEHIND_TLS_PROXY": "1",
}


def run(code_or_args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(CONTROLLED)}
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_check():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deployment_check_fails_on_demo_mode_plain_http_or_no_two_factor():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DEMO_MODE="1",
        OTP_REQUIRED="0",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode != 0
    for check_id in ("qlcb.W001", "qlcb.W002", "security.W008"):
        assert check_id in result.stderr


def test_the_demo_still_runs_over_plain_http():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.OTP_EXEMPT_DEMO_ACCOUNTS)"
    )
    result = run(code, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", DEMO_MODE="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "0", "True"]
