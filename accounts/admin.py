"""An administrator sees which accounts are demo accounts, and may mark or unmark one; the
admin's account pages (users, groups, two-factor devices) in Vietnamese."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice as BaseTOTPDevice

from .models import DemoAccount, TOTPDevice


@admin.register(DemoAccount)
class DemoAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "marked_at")
    search_fields = ("user__username",)
    autocomplete_fields = ("user",)


# Django stores a model's permissions as "Can add <verbose name>", in English, when it migrates.
ACTIONS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xoá"), "view": _("Xem")}


def permission_label(permission) -> str:
    """'Hồ sơ cán bộ | cán bộ | Sửa cán bộ' for the permission Django names 'Can change cán bộ'."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    name = permission.name
    if model is not None and action in ACTIONS and model_name == model._meta.model_name:
        name = f"{ACTIONS[action]} {model._meta.verbose_name}"
    return f"{content_type} | {name}"


class _PermissionLabels:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class VietnameseUserAdmin(_PermissionLabels, UserAdmin):
    pass


class VietnameseGroupAdmin(_PermissionLabels, GroupAdmin):
    pass


for model, model_admin in ((User, VietnameseUserAdmin), (Group, VietnameseGroupAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)


# django_otp's device admin is English throughout, none of it marked for translation: the fields'
# labels and help texts (its model fields have no verbose names), the fieldsets' titles, the
# columns, the filters and the QR code's link. Each is given in Vietnamese here, once.
TOTP_FIELDS = {
    "user": (_("Người dùng"), _("Người dùng sở hữu thiết bị này.")),
    "name": (_("Tên thiết bị"), _("Tên dễ đọc của thiết bị này.")),
    "confirmed": (_("Đã xác nhận"), _("Thiết bị đã sẵn sàng để dùng.")),
    "key": (_("Khoá bí mật"), _("Khoá bí mật dạng hex, tối đa 40 byte.")),
    "step": (_("Bước thời gian"), _("Độ dài một bước thời gian, tính bằng giây.")),
    "t0": (_("Mốc bắt đầu"), _("Thời điểm Unix bắt đầu đếm bước.")),
    "digits": (_("Số chữ số"), _("Số chữ số của một mã.")),
    "tolerance": (_("Độ lệch cho phép"), _("Số bước thời gian trước hoặc sau được chấp nhận.")),
    "drift": (_("Độ trôi"), _("Số bước thời gian đồng hồ của thiết bị lệch so với máy chủ.")),
    "created_at": (_("Tạo lúc"), _("Thời điểm thiết bị được tạo trong hệ thống.")),
    "last_used_at": (_("Dùng lần cuối lúc"), _("Thời điểm thiết bị được dùng gần nhất.")),
    "throttling_failure_timestamp": (_("Lần xác thực sai gần nhất"), _("Thời điểm xác thực sai gần nhất.")),
    "throttling_failure_count": (_("Số lần sai liên tiếp"), _("Số lần xác thực sai liên tiếp.")),
}
# django_otp's fieldsets, by their English titles (TOTPDeviceAdmin.get_fieldsets).
TOTP_FIELDSETS = {
    "Identity": _("Thiết bị"),
    "Timestamps": _("Thời điểm"),
    "Configuration": _("Cấu hình"),
    "State": _("Trạng thái"),
    "Throttling": _("Giới hạn xác thực sai"),
}


class TOTPDeviceForm(forms.ModelForm):
    """The device's form with Vietnamese labels and help texts; the admin also reads a readonly
    field's label and help text from here (created_at, last_used_at), not from the model."""

    class Meta:
        model = TOTPDevice
        fields = [name for name in TOTP_FIELDS if name not in TOTPDeviceAdmin.readonly_fields]
        labels = {name: label for name, (label, help_text) in TOTP_FIELDS.items()}
        help_texts = {name: help_text for name, (label, help_text) in TOTP_FIELDS.items()}


def _column(name: str, **display):
    """A list column showing the device's field `name` under its Vietnamese label (a model
    field's column is headed by the field's English verbose name), sorted by that field."""

    @admin.display(description=TOTP_FIELDS[name][0], ordering=name, **display)
    def column(self, device):
        return getattr(device, name)

    return column


class _TitledFilter:
    """A field's list filter titled with the field's Vietnamese label, in lower case as a
    verbose name is (the admin shows "Bởi <title>")."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        label = str(TOTP_FIELDS[field_path][0])
        self.title = label[:1].lower() + label[1:]


class TOTPDateFilter(_TitledFilter, admin.DateFieldListFilter):
    pass


class TOTPBooleanFilter(_TitledFilter, admin.BooleanFieldListFilter):
    pass


class VietnameseTOTPDeviceAdmin(TOTPDeviceAdmin):
    form = TOTPDeviceForm
    search_help_text = _("Tìm theo tên đăng nhập hoặc email của người dùng.")
    list_display = ["device_user", "device_name", "device_created_at", "device_last_used_at", "device_confirmed"]
    list_filter = [
        ("created_at", TOTPDateFilter),
        ("last_used_at", TOTPDateFilter),
        ("confirmed", TOTPBooleanFilter),
    ]

    device_user = _column("user")
    device_name = _column("name")
    device_created_at = _column("created_at")
    device_last_used_at = _column("last_used_at")
    device_confirmed = _column("confirmed", boolean=True)

    def get_fieldsets(self, request, obj=None):
        return [(TOTP_FIELDSETS.get(title, title), options) for title, options in super().get_fieldsets(request, obj)]

    @admin.display(description=_("Mã QR"))
    def qrcode_link(self, device):
        """The link to the device's QR code page (django_otp's config view, whose template
        templates/otp_totp/admin/config.html speaks Vietnamese)."""
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("Xem mã QR"))


# Listed under the Vietnamese proxy (accounts.models.TOTPDevice), in place of django_otp's own.
admin.site.unregister(BaseTOTPDevice)
admin.site.register(TOTPDevice, VietnameseTOTPDeviceAdmin)
