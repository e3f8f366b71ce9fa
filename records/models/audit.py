"""Who took which data out of the system: every export is logged (who, what, when, how many)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    class Kind(models.TextChoices):
        EMPLOYEE_LIST = "employee_list", _("Danh sách cán bộ (xlsx)")
        QUOTA_REPORT = "quota_report", _("Báo cáo biên chế (xlsx)")
        FORM_2C = "form_2c", _("Sơ yếu lý lịch mẫu 2C (pdf)")
        IMPORT_REPORT = "import_report", _("Báo cáo lỗi nhập dữ liệu (xlsx)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người xuất")
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    description = models.CharField(_("nội dung"), max_length=255)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"))
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký xuất dữ liệu")
        verbose_name_plural = _("nhật ký xuất dữ liệu")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.row_count}"
