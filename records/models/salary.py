"""The salary table of civil-service ranks, kept as versioned data (bảng lương theo ngạch).

A new table (a decree changing coefficients) is a new SalaryTable row with its own
effective date; a salary is checked against the table in force on its effective date.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracking.generations import Generational

from .employee import today


def validate_coefficients(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Bảng hệ số phải là danh sách không rỗng."))
    try:
        numbers = [Decimal(str(v)) for v in value]
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Hệ số lương phải là số.")) from None
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        raise ValidationError(_("Hệ số các bậc phải tăng dần."))


class SalaryTable(models.Model):
    """One version of the salary table, in force from `effective_from`."""

    name = models.CharField(_("tên bảng lương"), max_length=255)
    source = models.CharField(_("căn cứ pháp lý"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bảng lương")
        verbose_name_plural = _("bảng lương")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class SalaryRank(models.Model):
    """A rank's coefficients by step in one table version (ngạch, hệ số theo bậc). How long a step
    is held is the due engine's rule (duedates.HoldingPeriod, by `scale_group`), not the table's."""

    table = models.ForeignKey(SalaryTable, on_delete=models.CASCADE, related_name="ranks", verbose_name=_("bảng lương"))
    rank_code = models.CharField(_("mã ngạch"), max_length=16)
    rank_name = models.CharField(_("tên ngạch"), max_length=128)
    scale_group = models.CharField(_("nhóm ngạch"), max_length=16, help_text=_("Ví dụ: A1, A2.1, B"))
    coefficients = models.JSONField(_("hệ số theo bậc"), validators=[validate_coefficients])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngạch trong bảng lương")
        verbose_name_plural = _("ngạch trong bảng lương")
        constraints = [models.UniqueConstraint(fields=["table", "rank_code"], name="unique_rank_per_table")]
        ordering = ["rank_code"]

    def __str__(self):
        return f"{self.rank_code} {self.rank_name}"


# Read on every page that shows or checks a salary (the change page, submit, the apply), changed
# by a decree a year: kept in the cache, renewed by any write to a table or a rank (see below).
_copies = Generational("salary-index", ttl=3600)


_held_index: ContextVar[list | None] = ContextVar("salary_index", default=None)


@contextmanager
def salary_index_held():
    """Read the salary tables once for a batch of checks (an import), not once per row."""
    token = _held_index.set(_copies.get("", _load_index))
    try:
        yield
    finally:
        _held_index.reset(token)


def salary_index() -> list[tuple[datetime.date, dict[str, tuple[Decimal, ...]]]]:
    """Every table version, newest first, as {rank code: coefficients}."""
    held = _held_index.get()
    return held if held is not None else _copies.get("", _load_index)


def renew_salary_index(sender, **kwargs) -> None:
    """post_save/post_delete of any model (records.apps wires it): a write to a salary table or
    rank, the real models' or a migration's, renews the kept index."""
    if sender._meta.label in ("records.SalaryTable", "records.SalaryRank"):
        _copies.renew([""])


def _load_index():
    index = []
    for table in SalaryTable.objects.prefetch_related("ranks").order_by("-effective_from"):
        index.append(
            (
                table.effective_from,
                {r.rank_code: tuple(Decimal(str(c)) for c in r.coefficients) for r in table.ranks.all()},
            )
        )
    return index


def coefficients_for(rank_code: str, on: datetime.date | None = None) -> tuple[Decimal, ...] | None:
    """The coefficients of a rank in the table in force on `on` (today when None)."""
    on = on or today()
    for effective_from, ranks in salary_index():
        if effective_from <= on:
            return ranks.get(rank_code)
    return None


def check_salary(
    *, rank_code, step, coefficient, on=None, fields=("rank_code", "salary_step", "salary_coefficient")
) -> dict:
    """Errors (by field name) where rank, step and coefficient disagree with the salary table."""
    rank_field, step_field, coefficient_field = fields
    coefficients = coefficients_for(rank_code, on)
    if coefficients is None:
        return {rank_field: [_("Mã ngạch %(code)s không có trong bảng lương đang áp dụng.") % {"code": rank_code}]}
    if not 1 <= step <= len(coefficients):
        return {step_field: [_("Ngạch %(code)s chỉ có %(n)s bậc.") % {"code": rank_code, "n": len(coefficients)}]}
    expected = coefficients[step - 1]
    if Decimal(str(coefficient)) != expected:
        return {
            coefficient_field: [
                _("Hệ số lương bậc %(step)s của ngạch %(code)s là %(expected)s.")
                % {"step": step, "code": rank_code, "expected": formats.number_format(expected)}
            ]
        }
    return {}


def next_step(*, rank_code: str, step: int, due: datetime.date | None) -> dict | None:
    """The regular raise after `step` of a rank: the next step, its coefficient and, when it is
    already due (`due`, from the due engine: duedates.selectors.salary_step_due, which knows the
    holding period, extensions and non-counted time), the day it was due. None at the rank's last
    step or for a rank not in the table."""
    on = due if due is not None and due <= today() else None
    coefficients = coefficients_for(rank_code, on)  # the table in force when the raise takes effect
    if coefficients is None or not 1 <= step < len(coefficients):
        return None
    values = {"rank_code": rank_code, "salary_step": step + 1, "salary_coefficient": coefficients[step]}
    if on is not None:
        values["effective_date"] = on
    return values
