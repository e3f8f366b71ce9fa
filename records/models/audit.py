"""Who took which data out of the system and who read whose file: every export (who, what,
when, how many), every read of a person's record, and the alerts on unusual reading."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    HASH_CHAINED = True  # append-only, in a hash chain (tracking.ledger)

    class Kind(models.TextChoices):
        EMPLOYEE_LIST = "employee_list", _("Danh sách cán bộ (xlsx)")
        QUOTA_REPORT = "quota_report", _("Báo cáo biên chế (xlsx)")
        FORM_2C = "form_2c", _("Sơ yếu lý lịch mẫu 2C (pdf)")
        IMPORT_REPORT = "import_report", _("Báo cáo lỗi nhập dữ liệu (xlsx)")
        DUE_LIST = "due_list", _("Danh sách việc đến hạn (xlsx)")
        TIMELINE = "timeline", _("Dòng thời gian thay đổi (xlsx)")
        TIMELINE_PDF = "timeline_pdf", _("Báo cáo dòng thời gian thay đổi (pdf)")

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
        # (row_count, at): the exports of many records (oversight.anomalies) are a range of it.
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["row_count", "at"], name="exportlog_rows_at_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.row_count}"


class AccessLog(models.Model):
    """One read of personnel data: a person's file (page, history, form 2C, change page) or an
    export. Written in the request that reads, one INSERT; never changed afterwards."""

    HASH_CHAINED = True  # append-only, in a hash chain (tracking.ledger)

    class Kind(models.TextChoices):
        VIEW = "view", _("Xem hồ sơ")
        HISTORY = "history", _("Xem lịch sử thay đổi")
        FORM_2C = "form_2c", _("In sơ yếu lý lịch mẫu 2C")
        PROPOSE = "propose", _("Mở trang đề xuất thay đổi")
        EXPORT = "export", _("Xuất dữ liệu")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đọc")
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True, editable=False)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    # A log row outlives what it points at and is never rewritten: no database constraint and
    # nothing done on delete; the name is kept as it was at the time of the read.
    employee = models.ForeignKey(
        "records.Employee",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("hồ sơ của"),
    )
    employee_name = models.CharField(_("họ và tên (lúc đọc)"), max_length=128, blank=True)
    export = models.OneToOneField(
        ExportLog,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access",
        verbose_name=_("lần xuất dữ liệu"),
    )
    # How many personnel records this access read: 1 for a file, the rows of a list export,
    # 0 for an export with no person in it (the staffing-quota report).
    row_count = models.PositiveIntegerField(_("số hồ sơ"), default=1)
    # Records this account read in the hour up to and including this access (distinct files
    # plus rows exported), counted by the INSERT itself; the read alert compares it.
    reads_in_hour = models.PositiveIntegerField(_("số hồ sơ đã đọc trong 1 giờ"), db_default=0)
    path = models.CharField(_("đường dẫn"), max_length=500)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập hồ sơ")
        verbose_name_plural = _("nhật ký truy cập hồ sơ")
        ordering = ["-at", "-pk"]
        # The log's pages walk (at, id) newest first (tracking.keyset), all of it, one reader's
        # (also the hour's count of the read alert) or one person's.
        indexes = [
            models.Index(fields=["at", "id"]),
            models.Index(fields=["user", "at", "id"]),
            models.Index(fields=["employee", "at", "id"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.employee_name or self.row_count}"


class ReadAlert(models.Model):
    """An account read more records in an hour than READ_ALERT_PER_HOUR allows: at most one
    alert per account per clock hour, emailed to the unit administrators."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đọc")
    )
    hour = models.DateTimeField(_("giờ"))  # the start of the clock hour (UTC) the alert belongs to
    triggered_at = models.DateTimeField(_("thời điểm vượt ngưỡng"))
    read_count = models.PositiveIntegerField(_("số hồ sơ đã đọc trong 1 giờ"))
    threshold = models.PositiveIntegerField(_("ngưỡng"))
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("cảnh báo đọc hồ sơ bất thường")
        verbose_name_plural = _("cảnh báo đọc hồ sơ bất thường")
        ordering = ["-triggered_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "hour"], name="unique_read_alert_per_hour")]
        # The inspectors' list of alerts (oversight.anomalies) walks them newest first.
        indexes = [models.Index(fields=["triggered_at", "id"], name="readalert_triggered_idx")]

    def __str__(self):
        return f"{self.user} · {self.hour:%Y-%m-%d %H:00} · {self.read_count}"
