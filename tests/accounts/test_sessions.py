"""Sessions: a new key at login, 30 minutes idle, 12 hours at most, and disabling an account
ends all of its sessions at once."""

import datetime
import logging
import time

import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.security import LOGIN_AT_SESSION_KEY

from .conftest import logged_in_username, post_login

RECORDS = reverse("records:employee-list")


def test_login_issues_a_new_session_key(client, people):
    session = client.session  # an anonymous session, as a visitor would have one
    session["seen"] = True
    session.save()
    before = session.session_key
    post_login(client, "canbo_kv1")
    after = client.session.session_key
    assert logged_in_username(client) == "canbo_kv1"
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_idle_limit_is_thirty_minutes_renewed_while_active(client, people):
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_RENEW_SECONDS == 60
    client.force_login(people["canbo_kv1"])
    # 31 idle minutes, on the clock: the stored session and its cached copy (cached_db) expire
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31), tick=False):
        response = client.get(RECORDS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_idle_for_less_than_thirty_minutes_goes_on(client, people):
    client.force_login(people["canbo_kv1"])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29), tick=False):
        assert client.get(RECORDS).status_code == 200


def test_activity_moves_the_idle_expiry_on(client, people, settings):
    settings.SESSION_RENEW_SECONDS = 1
    client.force_login(people["canbo_kv1"])
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    assert client.get(RECORDS).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == first  # within a second: no write
    time.sleep(1.1)
    assert client.get(RECORDS).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > first


def test_session_ends_twelve_hours_after_login_however_active(client, people, caplog):
    assert django_settings.SESSION_ABSOLUTE_AGE == 12 * 3600
    client.force_login(people["canbo_kv1"])
    assert client.get(RECORDS).status_code == 200
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 12 * 3600 + 60  # 11 h 59 min ago
    session.save()
    assert client.get(RECORDS).status_code == 200
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    with caplog.at_level(logging.INFO, logger="qlcb.security"):
        response = client.get(RECORDS)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={RECORDS.replace('/', '%2F')}"
    assert SESSION_KEY not in client.session
    assert "session expired user=canbo_kv1" in caplog.text


def test_disabling_an_account_ends_all_its_sessions(people, caplog):
    user = people["canbo_kv1"]
    office, home, colleague = Client(), Client(), Client()
    post_login(office, "canbo_kv1", ip="10.0.0.1")
    post_login(home, "canbo_kv1", ip="10.0.0.2")
    post_login(colleague, "canbo_kv2", ip="10.0.0.3")
    assert office.get(RECORDS).status_code == home.get(RECORDS).status_code == 200

    user.is_active = False
    with caplog.at_level(logging.INFO, logger="qlcb.security"):
        user.save()
    assert "account disabled user=canbo_kv1 sessions_ended=2" in caplog.text

    for client in (office, home):
        response = client.get(RECORDS)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert colleague.get(RECORDS).status_code == 200
    # Enabling the account again does not bring the old sessions back.
    user.is_active = True
    user.save()
    assert office.get(RECORDS).status_code == 302
