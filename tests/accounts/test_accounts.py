"""Accounts come from administrators only: no sign-up page, no account created by a migration,
and the demo loader (the only other source) refuses outside DEMO_MODE / DEBUG."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

SIGNUP_WORDS = ("signup", "sign_up", "sign-up", "register", "registration", "dang-ky", "dangky")


def all_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name or ""


def test_no_url_lets_a_visitor_create_an_account():
    offending = [
        (route, name)
        for route, name in all_patterns()
        if any(word in route.lower() or word in name.lower() for word in SIGNUP_WORDS)
    ]
    assert offending == []
    for name in ("signup", "register", "registration_register", "django_registration_register", "account_signup"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/register/", "/signup/", "/register/"])
def test_signup_paths_do_not_exist(client, path):
    response = client.get(path)
    assert response.status_code in (302, 404)
    if response.status_code == 302:  # the site sends strangers to the login page, nothing else
        assert response["Location"].startswith(reverse("login"))
    assert client.post(path, {"username": "stranger", "password1": "x", "password2": "x"}).status_code in (
        302,
        403,
        404,
    )
    assert not get_user_model().objects.filter(username="stranger").exists()


@pytest.mark.django_db
def test_a_freshly_migrated_database_has_no_accounts():
    # The test database is built by running every migration; none may create a user.
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
def test_demo_loader_refuses_without_demo_mode_or_debug(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo", employees=0)
    assert get_user_model().objects.count() == 0
