"""Data about user accounts that Django's own user model does not hold (the project keeps
auth.User): which accounts are demo accounts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
