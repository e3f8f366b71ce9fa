"""Password policy: at least 12 characters, not like the user's name, not common, not all
digits; Django's own Vietnamese messages, on every form that sets a password."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from demo.accounts import DEMO_PASSWORD
from tests.conftest import PASSWORD


def messages_for(password, user=None):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


@pytest.mark.django_db
def test_short_password_is_refused_in_vietnamese():
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 12 ký tự." in messages_for("Xk7#pq2!mZ4")  # 11


@pytest.mark.django_db
def test_common_and_numeric_passwords_are_refused():
    assert "Mật khẩu này quá phổ biến." in messages_for("password12345")
    assert "Mật khẩu này hoàn toàn là số." in messages_for("738204619573")


@pytest.mark.django_db
def test_password_like_the_username_is_refused():
    user = get_user_model()(username="nguyenvanhung", email="hung@example.test", first_name="Hùng")
    assert any(m.startswith("Mật khẩu quá giống với") for m in messages_for("nguyenvanhung1", user))


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lanhdao.kv1", "admin", "canbo_kv1"])
def test_demo_and_test_passwords_pass_the_policy(username):
    user = get_user_model()(username=username, email=f"{username}@demo.qlcb.local")
    validate_password(DEMO_PASSWORD, user)
    validate_password(PASSWORD, user)


@pytest.mark.django_db
def test_admin_add_user_form_applies_the_policy(client, people):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.test", PASSWORD)
    client.force_login(admin)
    data = {"username": "moi", "password1": "12345678", "password2": "12345678", "usable_password": "true"}
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mật khẩu quá ngắn" in page and "Mật khẩu này hoàn toàn là số." in page
    assert not get_user_model().objects.filter(username="moi").exists()

    data.update(password1="Cay-lua-xanh-2026", password2="Cay-lua-xanh-2026")
    assert client.post(reverse("admin:auth_user_add"), data).status_code == 302
    assert get_user_model().objects.get(username="moi").check_password("Cay-lua-xanh-2026")


@pytest.mark.django_db
def test_password_change_page_applies_the_policy(client, people):
    user = people["canbo_kv1"]
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": "qwerty123456", "new_password2": "qwerty123456"}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert "Mật khẩu này quá phổ biến." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
