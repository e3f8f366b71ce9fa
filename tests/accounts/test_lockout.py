"""Lockout by username + IP: AXES_FAILURE_LIMIT (5) wrong passwords lock that username on that
address for AXES_COOLOFF_TIME (30 minutes), even against the right password."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F

from .conftest import logged_in_username, post_login

WRONG = "Sai-mat-khau-2026"


def fail_five_times(client, username, ip="10.0.0.1"):
    responses = [post_login(client, username, WRONG, ip=ip) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the form again, with an error
    return responses[-1]


def test_five_wrong_passwords_lock_the_account_on_that_ip(client, people, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    fifth = fail_five_times(client, "canbo_kv1")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Tài khoản tạm khoá" in page and "Vui lòng thử lại sau 30 phút." in page

    sixth = post_login(client, "canbo_kv1")  # the right password
    assert sixth.status_code == 429
    assert logged_in_username(client) is None


def test_another_ip_and_another_user_are_not_locked(client, people):
    fail_five_times(client, "canbo_kv1", ip="10.0.0.1")

    assert post_login(client, "canbo_kv2", ip="10.0.0.1").status_code == 302
    assert logged_in_username(client) == "canbo_kv2"
    client.logout()
    assert post_login(client, "canbo_kv1", ip="10.0.0.2").status_code == 302
    assert logged_in_username(client) == "canbo_kv1"
    client.logout()
    # A success elsewhere does not lift the lock on the first address.
    assert post_login(client, "canbo_kv1", ip="10.0.0.1").status_code == 429


def test_lock_lifts_after_the_cool_off(client, people):
    fail_five_times(client, "canbo_kv1")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=29))
    assert post_login(client, "canbo_kv1").status_code == 429  # 29 minutes: still locked
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    assert post_login(client, "canbo_kv1").status_code == 302
    assert logged_in_username(client) == "canbo_kv1"


def test_cool_off_comes_from_settings(client, people, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    page = fail_five_times(client, "canbo_kv1").content.decode()
    assert "Vui lòng thử lại sau 5 phút." in page
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))
    assert post_login(client, "canbo_kv1").status_code == 302


def test_an_administrator_lifts_a_lock_at_once(client, people):
    fail_five_times(client, "canbo_kv1")
    call_command("axes_reset_username", "canbo_kv1")
    assert post_login(client, "canbo_kv1").status_code == 302


def test_success_resets_the_failure_count(client, people):
    for _ in range(4):
        post_login(client, "canbo_kv1", WRONG)
    assert post_login(client, "canbo_kv1").status_code == 302
    client.logout()
    for _ in range(4):
        assert post_login(client, "canbo_kv1", WRONG).status_code == 200
    assert post_login(client, "canbo_kv1").status_code == 302


@pytest.mark.parametrize(
    "forwarded, locked_ip", [("203.0.113.9", "203.0.113.9"), ("6.6.6.6, 203.0.113.9", "203.0.113.9")]
)
def test_behind_a_proxy_the_client_ip_is_what_the_proxy_saw(client, people, settings, forwarded, locked_ip):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "canbo_kv1", "password": WRONG},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {locked_ip}
    # Another client behind the same proxy is not locked out.
    response = client.post(
        "/accounts/login/",
        {"username": "canbo_kv1", "password": "Test-password-2026"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


def test_a_forged_forwarded_header_falls_back_to_the_peer_address(client, people, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "canbo_kv1", "password": WRONG},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="not-an-ip",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.10"]
