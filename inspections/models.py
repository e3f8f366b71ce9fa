"""Inspection work (công tác kiểm tra): plans, inspections of units, and follow-up actions.
Tracked records like the personnel file: every write goes through an approved change request."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models.employee import check_date_order, not_in_future
from records.models.subrecords import period
from tracking.models import TrackedHistory, TrackedModel
from units.models import Unit


class InspectionPlan(TrackedModel):
    """A unit's inspection plan for a year, adopted by a decision (kế hoạch kiểm tra)."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="inspection_plans", verbose_name=_("đơn vị lập kế hoạch")
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000)])
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, validators=[not_in_future])
    description = models.TextField(_("nội dung"), blank=True)

    history = HistoricalRecords(bases=[TrackedHistory], cascade_delete_history=False)
    EDITABLE_FIELDS = ("year", "title", "decision_number", "decision_date", "description")

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year", "title"]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def describe(self):
        return str(self)


class Inspection(TrackedModel):
    """One inspection of a unit under a plan: scope, dates, team, findings (cuộc kiểm tra)."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("kế hoạch")
    )
    inspected_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("đơn vị được kiểm tra")
    )
    scope = models.TextField(_("phạm vi, nội dung kiểm tra"))
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    team = models.TextField(_("đoàn kiểm tra"), help_text=_("Trưởng đoàn và thành viên, mỗi người một dòng."))
    findings = models.TextField(_("kết quả, phát hiện"), blank=True)
    conclusion_number = models.CharField(_("số kết luận"), max_length=64, blank=True)
    conclusion_date = models.DateField(_("ngày kết luận"), null=True, blank=True, validators=[not_in_future])

    history = HistoricalRecords(bases=[TrackedHistory], cascade_delete_history=False)
    EDITABLE_FIELDS = (
        "inspected_unit",
        "scope",
        "start_date",
        "end_date",
        "team",
        "findings",
        "conclusion_number",
        "conclusion_date",
    )

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["-start_date", "pk"]

    def __str__(self):
        return _("Kiểm tra %(unit)s, %(period)s") % {
            "unit": self.inspected_unit,
            "period": period(self.start_date, self.end_date),
        }

    def clean(self):
        errors: dict = {}
        check_date_order(errors, self.start_date, self.end_date, end_field="end_date")
        check_date_order(
            errors,
            self.start_date,
            self.conclusion_date,
            end_field="conclusion_date",
            message=_("Ngày kết luận phải sau ngày bắt đầu kiểm tra."),
        )
        if self.plan_id and self.start_date and abs(self.start_date.year - self.plan.year) > 1:
            errors.setdefault("start_date", []).append(_("Cuộc kiểm tra phải diễn ra trong năm của kế hoạch."))
        if self.plan_id and self.inspected_unit_id:
            planner = self.plan.unit
            inspected = Unit.objects.get(pk=self.inspected_unit_id)
            if not inspected.path.startswith(planner.path):
                errors.setdefault("inspected_unit", []).append(
                    _("Chỉ kiểm tra được đơn vị thuộc phạm vi của đơn vị lập kế hoạch.")
                )
        if errors:
            raise ValidationError(errors)

    def describe(self):
        return str(self)


class FollowUpAction(TrackedModel):
    """A measure an inspection requires, with a deadline and a status (kiến nghị, khắc phục)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Huỷ bỏ")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("cuộc kiểm tra")
    )
    description = models.TextField(_("nội dung kiến nghị"))
    deadline = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True, validators=[not_in_future])

    history = HistoricalRecords(bases=[TrackedHistory], cascade_delete_history=False)
    EDITABLE_FIELDS = ("description", "deadline", "status", "completed_on")

    class Meta:
        verbose_name = _("kiến nghị sau kiểm tra")
        verbose_name_plural = _("kiến nghị sau kiểm tra")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return self.description[:80]

    @property
    def is_overdue(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS) and self.deadline < timezone.localdate()

    def clean(self):
        errors: dict = {}
        if self.status == self.Status.DONE and not self.completed_on:
            errors["completed_on"] = [_("Phải ghi ngày hoàn thành khi đã hoàn thành.")]
        if self.status != self.Status.DONE and self.completed_on:
            errors["completed_on"] = [_("Chỉ ghi ngày hoàn thành khi trạng thái là đã hoàn thành.")]
        if errors:
            raise ValidationError(errors)

    def describe(self):
        return _("%(text)s — hạn %(deadline)s, %(status)s") % {
            "text": self.description[:120],
            "deadline": self.deadline.strftime("%d/%m/%Y") if self.deadline else "…",
            "status": self.get_status_display(),
        }
