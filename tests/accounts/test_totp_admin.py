"""django_otp's admin of two-factor devices in Vietnamese (issue #12), through our own admin of
the proxy accounts.models.TOTPDevice: its columns, filters, fieldsets, readonly fields' labels and
help texts, the QR code's link and page, none of django_otp's English left."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import TOTPDevice
from tests.url_matrix.english import visible_texts

PASSWORD = "Mat-khau-Quan-tri-2026"


@pytest.fixture
def admin_pages(client, people):
    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.test", PASSWORD)
    client.force_login(admin)
    device = TOTPDevice.objects.create(user=people["lanhdao_kv1"], name="Điện thoại", confirmed=True)
    urls = {
        "list": reverse("admin:accounts_totpdevice_changelist"),
        "add": reverse("admin:accounts_totpdevice_add"),
        "change": reverse("admin:accounts_totpdevice_change", args=[device.pk]),
        "config": reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk}),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode()
    return pages


# What django_otp writes on these pages (django_otp/plugins/otp_totp/admin.py, its models' fields
# and its config.html), none of it marked for translation.
DJANGO_OTP_ENGLISH = (
    "Identity",
    "Timestamps",
    "Configuration",
    "State",
    "Throttling",
    "User",
    "Name",
    "Created at",
    "Last used at",
    "Confirmed",
    "QR Code",
    "created at",
    "last used at",
    "confirmed",
    "The date and time when this device was initially created in the system.",
    "The most recent date and time this device was used.",
    "or use the URL below",
)


def test_the_device_admin_shows_none_of_django_otps_english(admin_pages):
    found = {
        (name, text)
        for name, html in admin_pages.items()
        for text in visible_texts(html)
        for english in DJANGO_OTP_ENGLISH
        if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text) and not text.startswith("otpauth://")
    }
    assert not found, sorted(found)


def test_the_device_admin_labels_its_columns_filters_and_fields_in_vietnamese(admin_pages):
    listing = visible_texts(admin_pages["list"])
    for column in ("Người dùng", "Tên thiết bị", "Tạo lúc", "Dùng lần cuối lúc", "Đã xác nhận", "Mã QR"):
        assert column in listing
    for title in ("Bởi tạo lúc", "Bởi dùng lần cuối lúc", "Bởi đã xác nhận"):
        assert title in listing
    change = visible_texts(admin_pages["change"])
    # The readonly timestamps: labels and help texts from accounts.admin.TOTPDeviceForm.
    for text in ("Thời điểm", "Tạo lúc:", "Thời điểm thiết bị được tạo trong hệ thống.", "Dùng lần cuối lúc:"):
        assert text in change
    for title in ("Thiết bị", "Cấu hình", "Trạng thái", "Giới hạn xác thực sai"):
        assert title in change
    assert "Xem mã QR" in change and "Xem mã QR" in listing  # django_otp's link says "qrcode"
    assert any(text.startswith("Máy chủ chưa cài thư viện vẽ mã QR") for text in visible_texts(admin_pages["config"]))


def test_the_device_list_sorts_by_its_vietnamese_columns(client, admin_pages, people):
    """The columns are the admin's own (for their headers): each still sorts by its field."""
    TOTPDevice.objects.create(user=people["lanhdao_kv2"], name="An", confirmed=False)
    url = reverse("admin:accounts_totpdevice_changelist")
    names = [c for c in visible_texts(client.get(url + "?o=2").content.decode()) if c in ("An", "Điện thoại")]
    assert names == ["An", "Điện thoại"]
    names = [c for c in visible_texts(client.get(url + "?o=-2").content.decode()) if c in ("An", "Điện thoại")]
    assert names == ["Điện thoại", "An"]
