"""An administrator sees which accounts are demo accounts, and may mark or unmark one; the
admin's account pages (users, groups, two-factor devices) in Vietnamese."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
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


# django_otp's device fields have English labels and help texts not marked for translation.
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


class VietnameseTOTPDeviceAdmin(TOTPDeviceAdmin):
    search_help_text = _("Tìm theo tên đăng nhập hoặc email của người dùng.")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, (label, help_text) in TOTP_FIELDS.items():
            if name in form.base_fields:
                form.base_fields[name].label = label
                form.base_fields[name].help_text = help_text
        return form


# Listed under the Vietnamese proxy (accounts.models.TOTPDevice), in place of django_otp's own.
admin.site.unregister(BaseTOTPDevice)
admin.site.register(TOTPDevice, VietnameseTOTPDeviceAdmin)
