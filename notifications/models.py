"""Notifications (the in-app centre), each person's preferences, and the emails that carry them.

A Notification is written in the transaction of the event it tells of (workflows' signals), so
an event is never without its notification nor a notification without its event; its
`dedupe_key`, unique per recipient, makes writing it twice a no-op. Email goes out either at once
(the kinds a person chose "immediate": `Notification.email_*`) or in the day's Digest, one per
person per day (unique (recipient, day)), combining every kind and the overdue approvals. Both
are sent by notifications.delivery, which claims a row, sends and marks it (see there and the
README: exactly once per day for digests, at least once with a deterministic Message-ID for
immediate emails)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; a person chooses, per kind, how it reaches them by email."""

    SUBMITTED = "submitted", _("Yêu cầu chờ bạn phê duyệt")
    RETURNED = "returned", _("Yêu cầu bị trả lại")
    REJECTED = "rejected", _("Yêu cầu bị từ chối")
    APPROVED = "approved", _("Yêu cầu đã được phê duyệt")
    APPLIED = "applied", _("Yêu cầu đã được ghi vào hồ sơ")
    CANCELLED = "cancelled", _("Yêu cầu bị quản trị huỷ")
    OVERDUE_APPROVALS = "overdue_approvals", _("Phê duyệt quá hạn")
    CAMPAIGN_STARTED = "campaign_started", _("Đợt rà soát hồ sơ bắt đầu")
    CAMPAIGN_ITEMS = "campaign_items", _("Hồ sơ cần rà soát (trong thư tổng hợp)")
    CAMPAIGN_LATE = "campaign_late", _("Đơn vị quá hạn rà soát hồ sơ")
    DUE_WORK = "due_work", _("Việc đến hạn (nâng lương, nghỉ hưu)")
    FOLLOW_UP = "follow_up", _("Kiến nghị sau kiểm tra sắp đến hạn, quá hạn")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi thư ngay")
    DAILY = "daily", _("Trong thư tổng hợp hằng ngày")
    OFF = "off", _("Không gửi thư")


class SendState(models.Model):
    """The columns of one email's delivery (notifications.delivery): claimed with a token in a
    committed transaction; `sent_at` committed just before the server is told to deliver (the
    final dot of DATA), reverted if it refuses; `confirmed_at` once it accepted."""

    claim_token = models.UUIDField(_("mã lượt gửi"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("nhận gửi lúc"), null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0, editable=False)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("máy chủ thư nhận lúc"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("lỗi lần gửi trước"), max_length=500, blank=True, editable=False)

    class Meta:
        abstract = True


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    # What it links to: the page of the thing to do, and a generic key ("workflows.changerequest:12").
    target_url = models.CharField(_("liên kết"), max_length=300, blank=True)
    target_key = models.CharField(_("đối tượng"), max_length=100, blank=True)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    dedupe_key = models.CharField(_("khoá chống trùng"), max_length=150)
    # How it reaches the recipient by email, as their preference stood when it was written.
    delivery = models.CharField(_("gửi thư"), max_length=16, choices=Delivery.choices, default=Delivery.DAILY)
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("thư tổng hợp"),
    )
    # The immediate email (delivery = immediate), sent by notifications.delivery.
    email_claim_token = models.UUIDField(null=True, blank=True, editable=False)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    email_sent_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_last_error = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="unique_notification_per_recipient")
        ]
        indexes = [
            # The list (keyset by -created_at, -pk) and the bell's COUNT of unread.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # What the sweeps look for: daily ones not yet in a digest, immediate ones not yet sent.
            models.Index(
                fields=["recipient"],
                condition=Q(delivery="daily", digest__isnull=True),
                name="notification_for_digest",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(delivery="immediate", email_confirmed_at__isnull=True),
                name="notification_email_pending",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.get_kind_display()} · {self.target_key}"


class NotificationSettings(models.Model):
    """A person's choices: how each kind reaches them by email, and the language of their
    emails (and of the site, set as the language cookie when saved)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("người dùng"),
    )
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi")
    # {kind: delivery}; a kind missing is DEFAULT_DELIVERY.
    deliveries = models.JSONField(_("cách gửi thư theo loại"), default=dict, blank=True)

    DEFAULT_DELIVERY = Delivery.DAILY

    class Meta:
        verbose_name = _("tuỳ chọn thông báo")
        verbose_name_plural = _("tuỳ chọn thông báo")

    def __str__(self):
        return str(self.user)

    def delivery_for(self, kind: str) -> str:
        value = self.deliveries.get(kind)
        return value if value in Delivery.values else self.DEFAULT_DELIVERY


class Digest(SendState):
    """One email per person per day: the overdue approvals of that morning and every
    notification of a "daily" kind written since their previous digest."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Thư tổng hợp hằng ngày")
        OVERDUE_APPROVALS = "overdue_approvals", _("Phê duyệt quá hạn")  # rows before the daily digest

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", verbose_name=_("người nhận")
    )
    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices, default=Kind.DAILY)
    change_request_ids = models.JSONField(_("yêu cầu quá hạn"), default=list)
    # [[campaign id, open items], …]: the recipient's open review items that morning (campaigns).
    campaign_items = models.JSONField(_("hồ sơ cần rà soát"), default=list, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư tổng hợp")
        verbose_name_plural = _("thư tổng hợp")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="unique_digest_per_person_day")]
        indexes = [models.Index(fields=["day"], condition=Q(sent_at__isnull=True), name="digest_unsent")]

    def __str__(self):
        return f"{self.recipient} · {self.day}"
