"""Which personnel file is an account holder's own: the link between a user account and the
person it belongs to, set by administrators (like role grants), kept with its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EmployeeAccount(models.Model):
    """The account `user` is held by the person whose file is `employee` (tài khoản của cán
    bộ). Not part of the personnel file: an account fact, set by an administrator in the admin
    or by records.services.link_employee_account, never through a change request (as units'
    role grants are); who set or removed it and why is in its history. Used to see changes a
    person made or approved on their own file (oversight.anomalies)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="employee_account",
        verbose_name=_("tài khoản"),
    )
    employee = models.OneToOneField(
        "records.Employee",
        on_delete=models.PROTECT,
        related_name="account",
        verbose_name=_("hồ sơ cán bộ"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người liên kết"),
    )
    reason = models.CharField(_("căn cứ, lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm liên kết"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài khoản của cán bộ")
        verbose_name_plural = _("tài khoản của cán bộ")
        ordering = ["user"]

    def __str__(self):
        return f"{self.user} · {self.employee}"
