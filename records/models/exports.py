"""Exports that run in the background: one row per file asked for, its progress while a Celery
task writes it, and where the finished file waits for its owner (records.export_jobs)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.progress import percent


class ExportJob(models.Model):
    """One export asked for by a user: which kind (a key of records.export_jobs.kinds), with
    which filters, how far the task has got, and the file once it is written. The download
    is logged in ExportLog; this row is the job, not the evidence."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không xuất được")
        EXPIRED = "expired", _("Tệp đã bị xoá")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người xuất")
    )
    kind = models.CharField(_("loại"), max_length=32)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("số dòng đã xuất"), default=0)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    # Stored under MEDIA_ROOT, which is never served: only the download view reads it.
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    # Moved on with every progress write: a running job whose worker died stops moving.
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lượt xuất dữ liệu")
        verbose_name_plural = _("lượt xuất dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        return percent(self.rows_done, self.rows_total, done=self.status == self.Status.DONE)

    @property
    def running(self) -> bool:
        """Whether the job page should keep polling."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
