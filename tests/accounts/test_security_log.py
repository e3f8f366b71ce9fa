"""Every login, failed login, lockout, logout and permission denial is logged on
"qlcb.security" with the username and the client IP (and the path for a denial)."""

import logging

import pytest
from django.urls import reverse

from .conftest import post_login


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="qlcb.security")

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "qlcb.security"]

    return lines


def test_login_and_logout_are_logged(client, people, security_log):
    post_login(client, "canbo_kv1", ip="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    assert security_log() == ["login user=canbo_kv1 ip=10.1.2.3", "logout user=canbo_kv1 ip=10.1.2.3"]


def test_failed_login_is_logged_without_the_password(client, people, security_log, caplog):
    post_login(client, "canbo_kv1", "Sai-mat-khau-2026", ip="10.1.2.3")
    assert security_log() == ["login failed user=canbo_kv1 ip=10.1.2.3"]
    assert "Sai-mat-khau-2026" not in caplog.text
    assert [r.levelno for r in caplog.records if r.name == "qlcb.security"] == [logging.WARNING]


def test_lockout_is_logged(client, people, security_log):
    for _ in range(5):
        post_login(client, "canbo_kv1", "Sai-mat-khau-2026", ip="10.1.2.3")
    assert security_log().count("login failed user=canbo_kv1 ip=10.1.2.3") == 5
    assert "lockout user=canbo_kv1 ip=10.1.2.3" in security_log()


def test_permission_denial_is_logged_with_user_path_and_ip(admin_client, security_log):
    path = "/admin/records/employee/add/"  # records are read-only in the admin, even for superusers
    assert admin_client.get(path, REMOTE_ADDR="10.9.8.7").status_code == 403
    assert f"permission denied user=admin path={path} method=GET ip=10.9.8.7" in security_log()


def test_csrf_failure_is_logged_as_a_denial(people, security_log):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["canbo_kv1"])
    assert client.post(reverse("logout"), REMOTE_ADDR="10.9.8.7").status_code == 403
    assert any(line.startswith("permission denied user=canbo_kv1 path=/accounts/logout/") for line in security_log())


def test_a_username_cannot_forge_log_lines(client, people, security_log):
    post_login(client, "kẻ gian\nlogin user=admin ip=1.2.3.4", "Sai-mat-khau-2026", ip="10.1.2.3")
    assert security_log() == ["login failed user=kẻ?gian?login?user=admin?ip=1.2.3.4 ip=10.1.2.3"]
