"""The days an administrator declares apart from the national calendar: an extra day off (a
ministry-wide closure, a swapped day the `holidays` package does not know) or a make-up working
day on a weekend. The calendar (workdays.calendar) reads them from the cache, never per day."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class DeclaredDay(models.Model):
    class Kind(models.TextChoices):
        OFF = "off", _("Ngày nghỉ")
        WORKING = "working", _("Ngày làm việc (làm bù)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    note = models.CharField(_("căn cứ, ghi chú"), max_length=255)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget_declared_days()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget_declared_days()
        return result


def _forget_declared_days():
    from .calendar import forget_declared_days

    transaction.on_commit(forget_declared_days)
    forget_declared_days()
