"""The due-date rules as rows (each with its validity dates and legal source, edited by
superusers in the admin, history kept), and the due items computed from them per person."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import rules, term_rules


class Status(models.TextChoices):  # the values of records.Employee.EmploymentStatus
    CIVIL_SERVANT = rules.CIVIL_SERVANT, _("Công chức")
    PUBLIC_EMPLOYEE = rules.PUBLIC_EMPLOYEE, _("Viên chức")
    CONTRACT = rules.CONTRACT, _("Hợp đồng lao động")


class RuleRow(models.Model):
    """Validity and source, common to every rule row."""

    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True, help_text=_("Để trống nếu còn hiệu lực."))
    legal_source = models.TextField(_("căn cứ pháp lý"))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")})

    def _row(self):
        return {"id": self.pk, "valid_from": self.valid_from, "valid_to": self.valid_to}


class RetirementAge(RuleRow):
    """The retirement age for the calendar years from `from_year` (until the next row's year)."""

    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    from_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"), validators=[MinValueValidator(1900)])
    years = models.PositiveSmallIntegerField(_("tuổi (năm)"), validators=[MaxValueValidator(80)])
    months = models.PositiveSmallIntegerField(_("và số tháng"), default=0, validators=[MaxValueValidator(11)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tuổi nghỉ hưu theo lộ trình")
        verbose_name_plural = _("tuổi nghỉ hưu theo lộ trình")
        ordering = ["sex", "from_year", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["sex", "from_year", "valid_from"], name="one_retirement_age_per_year")
        ]

    def __str__(self):
        return f"{self.get_sex_display()} {self.from_year}: {self.years}/{self.months}"

    def as_rule(self):
        return rules.RetirementAge(
            **self._row(), sex=self.sex, from_year=self.from_year, years=self.years, months=self.months
        )


class LeadTime(RuleRow):
    """How long before the retirement moment the notice and the decision are due."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Thông báo nghỉ hưu")
        DECISION = "decision", _("Quyết định nghỉ hưu")

    kind = models.CharField(_("việc"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("đối tượng"), max_length=16, choices=Status.choices)
    months = models.PositiveSmallIntegerField(_("số tháng trước thời điểm nghỉ hưu"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời hạn thông báo, quyết định nghỉ hưu")
        verbose_name_plural = _("thời hạn thông báo, quyết định nghỉ hưu")
        ordering = ["kind", "status", "valid_from"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()}): {self.months}"

    def as_rule(self):
        return rules.LeadTime(**self._row(), kind=self.kind, status=self.status, months=self.months)


class RetirementOverrideLimit(RuleRow):
    """The most months a person's retirement decision (records.RetirementDecision) may lower or
    raise the age or postpone the moment; the validity dates apply to the decision's date."""

    class Kind(models.TextChoices):
        LOWER_AGE = rules.LOWER_AGE, _("Nghỉ hưu ở tuổi thấp hơn")
        HIGHER_AGE = rules.HIGHER_AGE, _("Nghỉ hưu ở tuổi cao hơn")
        POSTPONEMENT = rules.POSTPONEMENT, _("Lùi thời điểm nghỉ hưu")

    kind = models.CharField(_("loại quyết định"), max_length=16, choices=Kind.choices)
    ground = models.CharField(
        _("trường hợp"),
        max_length=1,
        blank=True,
        help_text=_("Trường hợp lùi thời điểm nghỉ hưu (a, b, c); để trống nếu áp dụng cho mọi trường hợp."),
    )
    max_months = models.PositiveSmallIntegerField(_("số tháng tối đa"), validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức tối đa của quyết định về nghỉ hưu")
        verbose_name_plural = _("mức tối đa của quyết định về nghỉ hưu")
        ordering = ["kind", "ground", "valid_from"]

    def __str__(self):
        ground = f" ({self.ground})" if self.ground else ""
        return f"{self.get_kind_display()}{ground}: ≤ {self.max_months}"

    def as_rule(self):
        return rules.OverrideLimit(**self._row(), kind=self.kind, ground=self.ground, max_months=self.max_months)


class HoldingPeriod(RuleRow):
    """Months at a step before the regular raise, by salary class: the class is the
    `scale_group` of the rank in the salary table (records.SalaryRank), so rank code → class →
    months. Not inferred from the coefficient."""

    salary_class = models.CharField(_("nhóm ngạch"), max_length=16, help_text=_("Như trong bảng lương: A1, A2.1, B…"))
    months = models.PositiveSmallIntegerField(_("thời gian giữ bậc (tháng)"))
    beyond_last_step = models.BooleanField(_("được phụ cấp thâm niên vượt khung"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời gian giữ bậc theo nhóm ngạch")
        verbose_name_plural = _("thời gian giữ bậc theo nhóm ngạch")
        ordering = ["salary_class", "valid_from"]

    def __str__(self):
        return f"{self.salary_class}: {self.months}"

    def as_rule(self):
        return rules.HoldingPeriod(
            **self._row(), salary_class=self.salary_class, months=self.months, beyond_last_step=self.beyond_last_step
        )


class StepExtension(RuleRow):
    """Months a sanction or a poor year adds to the holding period, by staff status. The validity
    dates apply to the sanction's effective date (a demotion counts only when effective before
    2025-07-01)."""

    class Kind(models.TextChoices):
        REPRIMAND = "reprimand", _("Khiển trách")
        WARNING = "warning", _("Cảnh cáo")
        SALARY_DEMOTION = "salary_demotion", _("Hạ bậc lương")
        DEMOTION = "demotion", _("Giáng chức")
        DISMISSAL_FROM_POST = "dismissal_from_post", _("Cách chức")
        POOR_RATING = rules.POOR_RATING, _("Năm không hoàn thành nhiệm vụ")

    kind = models.CharField(_("trường hợp"), max_length=24, choices=Kind.choices)
    status = models.CharField(_("đối tượng"), max_length=16, choices=Status.choices)
    months = models.PositiveSmallIntegerField(_("kéo dài (tháng)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kéo dài thời gian nâng bậc lương")
        verbose_name_plural = _("kéo dài thời gian nâng bậc lương")
        ordering = ["kind", "status", "valid_from"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()}): +{self.months}"

    def as_rule(self):
        return rules.Extension(**self._row(), kind=self.kind, status=self.status, months=self.months)


class BeyondLastStep(RuleRow):
    """The beyond-last-step allowance: the first percentage after the class's holding period at
    the last step, then an increment every `increment_months`."""

    first_percent = models.PositiveSmallIntegerField(_("mức đầu (%)"))
    increment_percent = models.PositiveSmallIntegerField(_("mỗi lần tăng (%)"))
    increment_months = models.PositiveSmallIntegerField(_("sau mỗi (tháng)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phụ cấp thâm niên vượt khung")
        verbose_name_plural = _("phụ cấp thâm niên vượt khung")
        ordering = ["valid_from"]

    def __str__(self):
        return f"{self.first_percent}% +{self.increment_percent}%/{self.increment_months}"

    def as_rule(self):
        return rules.BeyondRule(
            **self._row(),
            first_percent=self.first_percent,
            increment_percent=self.increment_percent,
            increment_months=self.increment_months,
        )


class ProbationLength(RuleRow):
    """How long a probation (tập sự, thử việc) lasts, by status and salary class, when the file
    does not record its end. Validity dates apply to the probation's start."""

    status = models.CharField(_("đối tượng"), max_length=16, choices=Status.choices)
    salary_class = models.CharField(
        _("nhóm ngạch"),
        max_length=16,
        blank=True,
        help_text=_("Như trong bảng lương: A1, A0, B…; để trống nếu áp dụng cho mọi nhóm ngạch của đối tượng."),
    )
    months = models.PositiveSmallIntegerField(_("số tháng"), default=0)
    days = models.PositiveSmallIntegerField(_("và số ngày"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời gian tập sự, thử việc")
        verbose_name_plural = _("thời gian tập sự, thử việc")
        ordering = ["status", "salary_class", "valid_from"]

    def __str__(self):
        return f"{self.get_status_display()} {self.salary_class or '*'}: {self.months}/{self.days}"

    def clean(self):
        super().clean()
        if not self.months and not self.days:
            raise ValidationError(_("Phải có số tháng hoặc số ngày."))

    def as_rule(self):
        return term_rules.ProbationLength(
            **self._row(), status=self.status, salary_class=self.salary_class, months=self.months, days=self.days
        )


class EndNotice(RuleRow):
    """How many days before a fixed-term contract's or a probation's end the officers must act
    (notify the worker, assess the probation); validity dates apply to the end date."""

    class Kind(models.TextChoices):
        CONTRACT_END = term_rules.CONTRACT_END, _("Hết hạn hợp đồng lao động")
        PROBATION_END = term_rules.PROBATION_END, _("Hết thời gian tập sự, thử việc")

    kind = models.CharField(_("việc"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("đối tượng"), max_length=16, choices=Status.choices)
    days = models.PositiveSmallIntegerField(_("số ngày trước ngày kết thúc"))
    working_day = models.BooleanField(
        _("lùi về ngày làm việc"),
        default=True,
        help_text=_("Nếu hạn rơi vào ngày nghỉ (cuối tuần, lễ, Tết) thì lấy ngày làm việc liền trước."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời hạn xử lý trước khi hết hợp đồng, tập sự")
        verbose_name_plural = _("thời hạn xử lý trước khi hết hợp đồng, tập sự")
        ordering = ["kind", "status", "valid_from"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()}): {self.days}"

    def as_rule(self):
        return term_rules.EndNotice(
            **self._row(), kind=self.kind, status=self.status, days=self.days, working_day=self.working_day
        )


RULE_MODELS = (
    RetirementAge,
    LeadTime,
    HoldingPeriod,
    StepExtension,
    BeyondLastStep,
    RetirementOverrideLimit,
    ProbationLength,
    EndNotice,
)


class DueItem(models.Model):
    """One computed due date of one person, with every input that produced it. Rows are derived
    (duedates.services.refresh_due_items rewrites them), never edited."""

    class Kind(models.TextChoices):
        RETIREMENT = rules.RETIREMENT, _("Nghỉ hưu")
        SALARY_STEP = rules.SALARY_STEP, _("Nâng bậc lương thường xuyên")
        BEYOND_LAST_STEP = rules.BEYOND_LAST_STEP, _("Phụ cấp thâm niên vượt khung")
        CONTRACT_END = term_rules.CONTRACT_END, _("Hết hạn hợp đồng lao động")
        PROBATION_END = term_rules.PROBATION_END, _("Hết thời gian tập sự, thử việc")
        CANNOT_COMPUTE = rules.CANNOT_COMPUTE, _("Không tính được")

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.CASCADE, related_name="due_items", verbose_name=_("cán bộ")
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    about = models.CharField(_("về việc"), max_length=24, blank=True, help_text=_("Với 'không tính được'."))
    due_date = models.DateField(_("đến hạn"), null=True, blank=True)
    pension_start = models.DateField(_("hưởng lương hưu từ"), null=True, blank=True)
    notice_deadline = models.DateField(_("hạn thông báo"), null=True, blank=True)
    decision_deadline = models.DateField(_("hạn ra quyết định"), null=True, blank=True)
    reason = models.CharField(_("lý do không tính được"), max_length=255, blank=True)
    inputs = models.JSONField(_("căn cứ tính"), default=dict)
    rule_ids = models.JSONField(_("quy định đã dùng"), default=list)
    rule_version = models.CharField(_("phiên bản quy định"), max_length=64)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("việc đến hạn")
        verbose_name_plural = _("việc đến hạn")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["kind", "due_date"], name="dueitem_kind_due"),
            # The due list's keyset order over every kind (duedates.selectors.list_due_items).
            models.Index(fields=["due_date", "id"], name="dueitem_due_id"),
        ]
        constraints = [models.UniqueConstraint(fields=["employee", "kind", "about"], name="one_due_item_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date or self.reason}"


class DueState(models.Model):
    """What a person's due items were last computed from: the hash of their inputs and rules."""

    employee = models.OneToOneField(
        "records.Employee", on_delete=models.CASCADE, related_name="due_state", verbose_name=_("cán bộ")
    )
    inputs_hash = models.CharField(_("mã đầu vào"), max_length=64)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("trạng thái tính hạn")
        verbose_name_plural = _("trạng thái tính hạn")

    def __str__(self):
        return f"{self.employee_id}: {self.inputs_hash[:12]}"


class RefreshRun(models.Model):
    """One refresh: when it started (the next nightly run looks at changes since then), the rules
    version it used, how many people it looked at and recomputed."""

    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    rule_version = models.CharField(_("phiên bản quy định"), max_length=64)
    examined = models.PositiveIntegerField(_("số người xem xét"), default=0)
    recomputed = models.PositiveIntegerField(_("số người tính lại"), default=0)
    full = models.BooleanField(_("tính toàn bộ"), default=False)

    class Meta:
        verbose_name = _("lần tính hạn")
        verbose_name_plural = _("lần tính hạn")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%d/%m/%Y %H:%M}: {self.recomputed}/{self.examined}"
