"""Periodic review campaigns (đợt rà soát hồ sơ): "every record of unit X (and its subtree)
confirmed or updated by date D". One CampaignItem per person; an item is done when an officer
confirmed the record unchanged, or when a change request about the person, submitted during the
campaign, is on its way or applied (see OPEN_Q / DONE_Q). A person's record is never written
here: a change goes through workflows' change requests, as every change does."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracking.progress import percent
from workflows.models import ChangeRequest

# The statuses of a linked request under which the item counts as done: the officer has done
# their part (submitted) and the approvers have not sent it back. A request returned for rework
# is again the officer's to do; one ended unapplied (rejected, withdrawn, cancelled) leaves the
# item open (the officer confirms the record or proposes again, and the new request replaces the link).
DONE_REQUEST_STATUSES = (ChangeRequest.Status.SUBMITTED, ChangeRequest.Status.APPROVED, ChangeRequest.Status.APPLIED)
OPEN_REQUEST_STATUSES = (ChangeRequest.Status.RETURNED, *ChangeRequest.ENDED_UNAPPLIED)
DONE_Q = Q(confirmed_at__isnull=False) | Q(linked_request__status__in=DONE_REQUEST_STATUSES)
OPEN_Q = Q(confirmed_at__isnull=True) & (
    Q(linked_request__isnull=True) | Q(linked_request__status__in=OPEN_REQUEST_STATUSES)
)


# A campaign still preparing whose items have not moved for this long lost its task (the worker
# died and the message with it): whoever may start campaigns on its unit may retry it.
PREPARING_STALE = datetime.timedelta(minutes=10)


class Campaign(models.Model):
    """A review of the records of `unit` (and, when `include_subtree`, of every unit under it).

    Started at once as "preparing": a Celery task (campaigns.tasks.prepare_campaign) creates its
    items a chunk at a time, counting them in `item_count` out of `items_expected`, and makes it
    ready (told to the officers) or failed (with `error`, retried by who may start one)."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Đang tạo danh sách hồ sơ")
        READY = "ready", _("Đã sẵn sàng")
        FAILED = "failed", _("Tạo danh sách hồ sơ bị lỗi")

    title = models.CharField(_("tên đợt rà soát"), max_length=255)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    include_subtree = models.BooleanField(_("gồm cả các đơn vị trực thuộc"), default=True)
    deadline = models.DateField(_("hạn hoàn thành"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người bắt đầu")
    )
    started_at = models.DateTimeField(_("thời điểm bắt đầu"), auto_now_add=True)
    item_count = models.PositiveIntegerField(_("số hồ sơ"), default=0)
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.READY)
    items_expected = models.PositiveIntegerField(_("số hồ sơ dự kiến"), default=0)
    progress_at = models.DateTimeField(_("lần cuối tạo thêm hồ sơ"), null=True, blank=True)
    error = models.TextField(_("lỗi khi tạo danh sách hồ sơ"), blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người kết thúc"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt rà soát hồ sơ")
        verbose_name_plural = _("đợt rà soát hồ sơ")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at", "-id"], name="campaign_list")]

    def __str__(self):
        return self.title

    @property
    def is_running(self) -> bool:
        return self.closed_at is None

    @property
    def is_ready(self) -> bool:
        """Its items are all there: the officers work on them, reminders, escalation and progress
        count them. Until then the campaign shows how many items are made."""
        return self.status == self.Status.READY

    @property
    def is_preparing(self) -> bool:
        return self.status == self.Status.PREPARING

    def is_stalled(self, now=None) -> bool:
        """Preparing, with no item made for PREPARING_STALE: its task is lost."""
        moved = self.progress_at or self.started_at
        return self.is_preparing and moved is not None and moved < (now or timezone.now()) - PREPARING_STALE

    # The progress of its preparation, as tracking.progress.progress_response reads a job's.
    @property
    def rows_done(self) -> int:
        return self.item_count

    @property
    def rows_total(self) -> int:
        return self.items_expected

    @property
    def progress_percent(self) -> int:
        return percent(self.item_count, self.items_expected, done=self.is_ready)

    def unit_q(self, prefix: str = "") -> Q:
        """The units the campaign covers, as a filter (`prefix` leads to the unit)."""
        if self.include_subtree:
            return Q(**{f"{prefix}path__startswith": self.unit.path})
        return Q(**{f"{prefix}pk": self.unit_id})


class CampaignItem(models.Model):
    """One person's record in a campaign. It belongs to whoever may propose changes for the
    person (records.permissions.can_propose_change: the officers of the managing unit), so it
    follows the person if they move; its history keeps who confirmed it, when, and in which
    campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("đợt"))
    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmed_at = models.DateTimeField(_("xác nhận không thay đổi lúc"), null=True, blank=True)
    # Not "change_request": tracking stamps a history row's change_request from the active
    # change context (tracking.models.stamp_history_row), which is not this item's request.
    linked_request = models.ForeignKey(
        "workflows.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("yêu cầu thay đổi"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ cần rà soát")
        verbose_name_plural = _("hồ sơ cần rà soát")
        constraints = [models.UniqueConstraint(fields=["campaign", "employee"], name="one_item_per_campaign_person")]
        indexes = [
            # A person's open items (linking a request submitted about them).
            models.Index(fields=["employee", "campaign"], name="campaign_item_employee"),
            # The open ones: the officers' lists, the digest and the late sweep read only these.
            models.Index(
                fields=["campaign", "employee"],
                condition=Q(confirmed_at__isnull=True),
                name="campaign_item_unconfirmed",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.employee}"

    @property
    def is_done(self) -> bool:
        if self.confirmed_at is not None:
            return True
        return self.linked_request_id is not None and self.linked_request.status in DONE_REQUEST_STATUSES


class CampaignEscalation(models.Model):
    """A unit still had open items after the deadline: its leader was told, once per campaign
    and unit (the unique constraint makes the sweep idempotent)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("đợt"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    open_items = models.PositiveIntegerField(_("số hồ sơ chưa xong"))
    at = models.DateTimeField(_("thời điểm"))
    escalated_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("báo cho")
    )

    class Meta:
        verbose_name = _("báo lãnh đạo khi quá hạn rà soát")
        verbose_name_plural = _("báo lãnh đạo khi quá hạn rà soát")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_escalation_per_campaign_unit")]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"
