"""Two-factor authentication (TOTP): approvers, inspectors, unit administrators and staff
verify a code from an authenticator app (enrolling one first) before any page; officers and
viewers are not asked; demo accounts are exempt only in DEMO_MODE."""

import logging
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import mark_demo_account
from config.security import needs_otp
from tests.conftest import PASSWORD, make_user
from units.models import Role, RoleGrant

from .conftest import post_login

pytestmark = pytest.mark.usefixtures("otp_required")

RECORDS = reverse("records:employee-list")
QUEUE = reverse("changerequest:queue")


def code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def confirmed_device(user):
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def assert_sent_to_verify(response, next_url):
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == reverse("otp-verify")
    assert parse_qs(location.query)["next"] == [next_url]


@pytest.mark.parametrize("page", [RECORDS, QUEUE])
def test_approver_without_verified_device_is_sent_to_verify(client, people, page):
    client.force_login(people["lanhdao_kv1"])
    assert_sent_to_verify(client.get(page), page)
    # Having no device yet, the verify page sends them on to enrolment, keeping the target.
    response = client.get(reverse("otp-verify"), {"next": page})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('otp-enrol')}?next={page.replace('/', '%2F')}"


def test_approver_enrols_with_the_qr_code_and_gets_through(client, people, caplog):
    approver = people["lanhdao_kv1"]
    client.force_login(approver)
    page = client.get(reverse("otp-enrol"), {"next": QUEUE})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cài đặt xác thực hai lớp" in html and 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=approver)
    assert not device.confirmed
    assert client.get(reverse("otp-enrol")).status_code == 200
    assert TOTPDevice.objects.filter(user=approver).count() == 1  # a reload shows the same key

    session_key = client.session.session_key
    with caplog.at_level(logging.INFO, logger="qlcb.security"):
        response = client.post(reverse("otp-enrol"), {"token": code(device), "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert "otp enrolled user=lanhdao_kv1" in caplog.text
    assert client.session.session_key != session_key
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(QUEUE).status_code == 200
    assert client.get(RECORDS).status_code == 200


def test_approver_with_a_device_verifies_a_code_and_gets_through(client, people):
    approver = people["lanhdao_kv1"]
    device = confirmed_device(approver)
    response = post_login(client, "lanhdao_kv1", next=RECORDS)
    assert response.status_code == 302 and response["Location"] == RECORDS
    assert_sent_to_verify(client.get(RECORDS), RECORDS)
    page = client.get(reverse("otp-verify"), {"next": RECORDS})
    assert page.status_code == 200 and "Mã xác thực" in page.content.decode()

    response = client.post(reverse("otp-verify"), {"token": code(device), "next": RECORDS})
    assert response.status_code == 302 and response["Location"] == RECORDS
    assert client.get(RECORDS).status_code == 200
    assert client.get(QUEUE).status_code == 200


def test_wrong_code_is_refused_logged_and_throttled(client, people, caplog):
    approver = people["lanhdao_kv1"]
    device = confirmed_device(approver)
    client.force_login(approver)
    right = code(device)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    with caplog.at_level(logging.INFO, logger="qlcb.security"):
        response = client.post(reverse("otp-verify"), {"token": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert "otp failed user=lanhdao_kv1" in caplog.text
    # Right after a failure even the right code waits (django-otp's throttling).
    response = client.post(reverse("otp-verify"), {"token": right})
    assert "Nhập sai quá nhiều lần" in response.content.decode()
    assert client.get(RECORDS).status_code == 302


def test_enrolment_cannot_replace_a_confirmed_device(client, people):
    approver = people["lanhdao_kv1"]
    confirmed_device(approver)
    client.force_login(approver)
    response = client.get(reverse("otp-enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp-verify"))
    assert TOTPDevice.objects.filter(user=approver).count() == 1


def test_verification_never_redirects_off_site(client, people):
    approver = people["lanhdao_kv1"]
    device = confirmed_device(approver)
    client.force_login(approver)
    response = client.post(reverse("otp-verify"), {"token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize("name", ["canbo_kv1", "xem_cuc", "nobody"])
def test_officers_and_viewers_are_not_asked(client, people, name):
    client.force_login(people[name])
    assert client.get(RECORDS).status_code in (200, 403)  # their own permissions, not a redirect


def test_inspectors_staff_and_unit_admins_need_it(people, tree):
    assert needs_otp(people["thanhtra_cuc"])
    assert needs_otp(people["lanhdao_cuc"])
    assert not needs_otp(people["canbo_kv1"]) and not needs_otp(people["xem_cuc"])
    staff = make_user("tochuc_bo")
    staff.is_staff = True
    staff.save()
    assert needs_otp(staff)
    unit_admin = make_user("quantri_kv1")
    RoleGrant.objects.create(user=unit_admin, unit=tree["kv1"], role="unit_admin")
    assert needs_otp(unit_admin)


def test_staff_cannot_reach_the_admin_unverified(client, people):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.test", PASSWORD)
    client.force_login(admin)
    assert_sent_to_verify(client.get("/admin/"), "/admin/")


def test_unverified_user_can_still_log_out_and_switch_language(client, people):
    client.force_login(people["lanhdao_kv1"])
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(RECORDS)["Location"].startswith(reverse("login"))


def demo_approver(tree, *, marked=True):
    """lanhdao.kv1 with the loader's address; marked as a demo account as the loader marks it."""
    user = get_user_model().objects.create_user(
        "lanhdao.kv1", "lanhdao.kv1@demo.qlcb.local", PASSWORD, first_name="Hùng", last_name="Trần Văn"
    )
    RoleGrant.objects.create(user=user, unit=tree["kv1"], role=Role.APPROVER)
    if marked:
        mark_demo_account(user=user)
    return user


def test_demo_account_is_exempt_only_in_demo_mode(client, tree, settings):
    client.force_login(demo_approver(tree))
    settings.OTP_EXEMPT_DEMO_ACCOUNTS = False
    assert_sent_to_verify(client.get(RECORDS), RECORDS)
    settings.OTP_EXEMPT_DEMO_ACCOUNTS = True
    assert client.get(RECORDS).status_code == 200


def test_a_demo_name_and_address_without_the_mark_is_not_exempt(client, tree, settings):
    """What makes a demo account is the mark the loader or an administrator sets, not a name or
    an address someone could give an account."""
    settings.OTP_EXEMPT_DEMO_ACCOUNTS = True
    client.force_login(demo_approver(tree, marked=False))
    assert_sent_to_verify(client.get(RECORDS), RECORDS)


def test_requirement_is_off_when_otp_required_is_off(client, people, settings):
    settings.OTP_REQUIRED = False
    client.force_login(people["lanhdao_kv1"])
    assert client.get(RECORDS).status_code == 200
