"""The sign-in screens and the Django admin in the project's look (issue #12): each page links
the project's stylesheet (qlcb/qlcb.css: Roboto for the body, from viewflow's own font files)
and is titled in Vietnamese; the admin also gets the frame's colours (qlcb/admin.css)."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode

from tests.conftest import make_user

STYLESHEET = re.compile(r'<link[^>]+href="/static/qlcb/qlcb\.css"')
ROBOTO = re.compile(r'<link[^>]+href="/static/viewflow/fonts/roboto/roboto-fontface\.css"')


def _title(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


def _looks_ours(response, title: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert STYLESHEET.search(html), "qlcb.css is not linked"
    assert ROBOTO.search(html), "Roboto (viewflow's font files) is not linked"
    assert title in _title(html), _title(html)
    assert not re.search(r"Log in|Password reset|Django (site )?admin", _title(html))
    assert 'lang="vi"' in html


SIGN_IN_PAGES = [
    ("login", {}, "Đăng nhập"),
    ("password_reset", {}, "Đặt lại mật khẩu"),
    ("password_reset_done", {}, "Đã gửi hướng dẫn đặt lại mật khẩu"),
    ("password_reset_complete", {}, "Đã đặt mật khẩu mới"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "title"), SIGN_IN_PAGES)
def test_a_sign_in_page_has_the_project_look_and_a_vietnamese_title(client, name, kwargs, title):
    _looks_ours(client.get(reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="en-US"), title)


@pytest.mark.django_db
def test_a_stale_password_reset_link_has_the_project_look(client, people):
    uid = urlsafe_base64_encode(str(people["canbo_kv1"].pk).encode())
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": "stale-token"})
    _looks_ours(client.get(url, HTTP_ACCEPT_LANGUAGE="en-US"), "Đặt mật khẩu mới")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "title"), [("password_change", "Đổi mật khẩu"), ("password_change_done", "Đã đổi mật khẩu")]
)
def test_the_password_change_pages_have_the_project_look(client, people, name, title):
    client.force_login(people["canbo_kv1"])
    _looks_ours(client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en-US"), title)


@pytest.mark.django_db
def test_the_two_factor_pages_have_the_project_look(client, people, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED = True
    client.force_login(people["lanhdao_kv1"])
    _looks_ours(client.get(reverse("otp-enrol")), "Cài đặt xác thực hai lớp")
    client.force_login(people["lanhdao_kv2"])
    TOTPDevice.objects.create(user=people["lanhdao_kv2"], name="điện thoại", confirmed=True)
    _looks_ours(client.get(reverse("otp-verify")), "Xác thực hai lớp")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["admin:index", "admin:auth_user_changelist", "admin:login"])
def test_the_admin_has_the_project_look_and_vietnamese_titles(client, path):
    admin = make_user("quantri")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    if path != "admin:login":
        client.force_login(admin)
    response = client.get(reverse(path), HTTP_ACCEPT_LANGUAGE="en-US")
    _looks_ours(response, "Quản trị hệ thống")
    html = response.content.decode()
    assert re.search(r'<link[^>]+href="/static/qlcb/admin\.css"', html)
    assert "Quản trị hệ thống quản lý cán bộ" in html  # the header, not "Django administration"


@pytest.mark.django_db
def test_the_admin_index_names_the_third_party_apps_in_vietnamese(client):
    """axes and django_otp have no Vietnamese names of their own (the index showed "AXES",
    "OTP_TOTP" and "TOTP devices"): accounts.apps and the proxy accounts.models.TOTPDevice give
    them one."""
    admin = make_user("quantri")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    html = client.get(reverse("admin:index")).content.decode()
    for name in ("Chống dò mật khẩu", "Tài khoản", "Thiết bị xác thực hai lớp"):
        assert name in html
    for english in ("Axes", "AXES", "Otp_Totp", "OTP_TOTP", "TOTP devices", "Otp_Totp"):
        assert english not in html
