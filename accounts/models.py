"""Data about user accounts that Django's own user model does not hold (the project keeps
auth.User): which accounts are demo accounts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice as BaseTOTPDevice


class DemoAccount(models.Model):
    """Marks an account the demo loader made (tài khoản demo). While DEMO_MODE is on such an
    account skips two-factor authentication. Only the loader and an administrator (in the
    admin) set the mark; nobody marks their own account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="demo_account",
        verbose_name=_("tài khoản"),
    )
    marked_at = models.DateTimeField(_("đánh dấu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản demo")
        verbose_name_plural = _("tài khoản demo")

    def __str__(self):
        return str(self.user)


class SavedFilter(models.Model):
    """A list's filters saved by a user under a name (the query string of the list), to apply
    again later: the user's own preference, seen and changed by nobody else, without history."""

    MAX_PER_PAGE = 30

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("tài khoản")
    )
    page = models.CharField(_("trang"), max_length=64)  # the list's URL name, e.g. "records:employee-list"
    name = models.CharField(_("tên bộ lọc"), max_length=80)
    query = models.CharField(_("điều kiện lọc"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("bộ lọc đã lưu")
        verbose_name_plural = _("bộ lọc đã lưu")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name")]

    def __str__(self):
        return self.name


class TOTPDevice(BaseTOTPDevice):
    """django_otp's TOTP device under a Vietnamese name in the admin (its own verbose name is an
    English string not marked for translation). A proxy: the same table, no data of its own."""

    class Meta:
        proxy = True
        verbose_name = _("thiết bị xác thực hai lớp")
        verbose_name_plural = _("thiết bị xác thực hai lớp")
