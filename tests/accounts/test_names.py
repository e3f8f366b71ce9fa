"""A person is named family name first everywhere (issue #12): User.get_full_name itself answers
in Vietnamese order (accounts.names), so our pages, viewflow's frame and 403 page, the admin's
greeting and the emails all say "Nguyễn Thị Hồng Nhung", never "Nhung Nguyễn Thị Hồng"."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.views.defaults import permission_denied

from accounts.names import display_name
from tests.conftest import PASSWORD

FULL = "Nguyễn Thị Hồng Nhung"
WESTERN = "Nhung Nguyễn Thị Hồng"


@pytest.fixture
def nhung(people):
    user = people["canbo_kv1"]
    user.first_name, user.last_name = "Nhung", "Nguyễn Thị Hồng"
    user.save()
    return user


def test_the_user_model_names_family_name_first():
    user = get_user_model()(username="nhung", first_name="Nhung", last_name="Nguyễn Thị Hồng")
    assert user.get_full_name() == FULL
    assert user.get_short_name() == FULL  # the admin greets by it: never the given name alone
    assert display_name(user) == FULL


def test_a_user_without_names_is_shown_by_username():
    user = get_user_model()(username="nhung")
    assert user.get_full_name() == ""
    assert display_name(user) == "nhung"
    only_given = get_user_model()(username="x", first_name=" Nhung ")
    assert only_given.get_full_name() == "Nhung"


@pytest.mark.django_db
def test_viewflow_frame_names_the_user_family_name_first(client, nhung):
    client.force_login(nhung)
    page = client.get(reverse("records:employee-list")).content.decode()
    assert FULL in page and WESTERN not in page


@pytest.mark.django_db
def test_the_403_page_names_the_user_family_name_first(rf, nhung):
    request = rf.get("/")
    request.user = nhung
    with translation.override("vi"):
        page = permission_denied(request, PermissionDenied()).content.decode()  # no reason given
    assert f"{FULL} không có quyền truy cập trang này." in page
    assert WESTERN not in page and "have no rights" not in page


@pytest.mark.django_db
def test_the_admin_greets_by_the_full_name(client):
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.test", PASSWORD, first_name="viên", last_name="Quản trị"
    )
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "<strong>Quản trị viên</strong>" in page
    assert "<strong>viên</strong>" not in page


@pytest.mark.django_db
def test_the_password_reset_email_greets_family_name_first(client, nhung):
    client.post(reverse("password_reset"), {"email": nhung.email})
    (message,) = mail.outbox
    assert f"Xin chào {FULL}," in message.body
    assert message.subject == "Đặt lại mật khẩu — Quản lý cán bộ"
