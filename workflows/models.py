"""A change request: proposed field values for one record, against a known base version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from viewflow.workflow.models import Process, Task

from .querysets import ScopedProcessQuerySet, ScopedTaskQuerySet


class ChangeRequest(models.Model):
    """Proposed values for a personnel record, carried by ChangeRequestFlow to approval."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        RETURNED = "returned", _("Trả lại để chỉnh sửa")
        APPROVED = "approved", _("Đã phê duyệt")
        APPLIED = "applied", _("Đã cập nhật vào hồ sơ")
        REJECTED = "rejected", _("Bị từ chối")
        WITHDRAWN = "withdrawn", _("Đã rút")

    OPEN_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("cán bộ")
    )
    proposed_changes = models.JSONField(_("giá trị đề xuất"), default=dict)
    base_version = models.ForeignKey(
        "records.HistoricalEmployee",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phiên bản gốc"),
        help_text=_("Phiên bản hồ sơ mà đề xuất dựa trên."),
    )
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề xuất")
    )
    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decision_comment = models.TextField(_("ý kiến"), blank=True)
    applied_at = models.DateTimeField(_("thời điểm cập nhật"), null=True, blank=True)
    process = models.OneToOneField(
        Process,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_request",
        verbose_name=_("quy trình"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yêu cầu thay đổi")
        verbose_name_plural = _("yêu cầu thay đổi")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return _("Yêu cầu #%(pk)s — %(employee)s") % {"pk": self.pk, "employee": self.employee}


class ChangeRequestProcess(Process):
    """viewflow's process row, seen through the change request it carries."""

    objects = ScopedProcessQuerySet.as_manager()

    class Meta:
        proxy = True
        ordering = ["-created"]
        verbose_name = _("quy trình thay đổi hồ sơ")
        verbose_name_plural = _("quy trình thay đổi hồ sơ")


class ChangeRequestTask(Task):
    """viewflow's task row, with querysets scoped by the user's units."""

    objects = ScopedTaskQuerySet.as_manager()

    class Meta:
        proxy = True
        ordering = ["-created"]
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc")
