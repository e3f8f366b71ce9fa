"""Vietnamese for everyone by default, whatever the browser asks; a person's choice kept on
their account and carried to any browser they sign in from."""

from django.test import Client
from django.urls import reverse

from notifications.models import NotificationSettings

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_english_browser_gets_vietnamese(db, client):
    response = client.get(reverse("login"), **ENGLISH_BROWSER)
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_the_switch_is_honoured_for_a_visitor(db, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("login"))["Content-Language"] == "en"
    client.post(reverse("set_language"), {"language": "vi", "next": "/"}, **ENGLISH_BROWSER)
    assert client.get(reverse("login"), **ENGLISH_BROWSER)["Content-Language"] == "vi"


def test_an_unknown_language_is_ignored(db, client):
    client.cookies["django_language"] = "fr"
    assert client.get(reverse("login"))["Content-Language"] == "vi"


def test_the_choice_is_remembered_on_the_account_and_follows_to_another_browser(people):
    person = people["canbo_kv1"]
    first = Client()
    first.force_login(person)
    assert first.get(reverse("notifications:index"))["Content-Language"] == "vi"
    first.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert NotificationSettings.objects.get(user=person).language == "en"
    assert first.get(reverse("notifications:index"))["Content-Language"] == "en"

    elsewhere = Client()  # no cookie: a Vietnamese browser, another computer
    elsewhere.force_login(person)
    response = elsewhere.get(reverse("notifications:index"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == "en"

    # Someone else signing in on that browser gets their own language, not the last one's.
    other = people["lanhdao_kv1"]
    elsewhere.logout()
    elsewhere.force_login(other)
    assert elsewhere.get(reverse("notifications:index"))["Content-Language"] == "vi"


def test_the_preferences_page_sets_the_language_of_the_session(people, client):
    person = people["canbo_kv1"]
    client.force_login(person)
    page = client.get(reverse("notifications:settings"))
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()} | dict(form.initial) | {"language": "en"}
    assert client.post(reverse("notifications:settings"), data).status_code == 302
    client.cookies.pop("django_language", None)
    assert client.get(reverse("notifications:index"))["Content-Language"] == "en"
