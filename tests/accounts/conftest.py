"""Helpers for the accounts tests: log in through the real login page, as a person would."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def post_login(client, username, password=PASSWORD, *, ip="10.0.0.1", next=None):
    url = reverse("login") + (f"?next={next}" if next else "")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in_username(client):
    from django.contrib.auth import SESSION_KEY, get_user_model

    user_id = client.session.get(SESSION_KEY)
    return get_user_model().objects.get(pk=user_id).username if user_id else None


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED = True
    return settings
