"""One row per digest sent: the unique (recipient, day, kind) makes a sweep safe to repeat."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Digest(models.Model):
    class Kind(models.TextChoices):
        OVERDUE_APPROVALS = "overdue_approvals", _("Phê duyệt quá hạn")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests", verbose_name=_("người nhận")
    )
    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    change_request_ids = models.JSONField(_("yêu cầu liên quan"), default=list)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    sent_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư tổng hợp")
        verbose_name_plural = _("thư tổng hợp")
        constraints = [models.UniqueConstraint(fields=["recipient", "day", "kind"], name="unique_digest_per_day")]

    def __str__(self):
        return f"{self.recipient} · {self.day} · {self.get_kind_display()}"
