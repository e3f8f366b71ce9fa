"""Dated sub-records of a personnel file: work, salary, training, commendation, discipline,
evaluation and family. Each carries its decision number and date where one exists."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tracking.models import TrackedHistoricalRecords, TrackedModel

from .employee import (
    check_date_order,
    check_salary_date,
    not_in_future,
    rank_code_validator,
    today,
)


def month_year(value) -> str:
    return value.strftime("%m/%Y") if value else "…"


def period(start, end) -> str:
    until = month_year(end) if end else _("nay")
    return f"{month_year(start)}–{until}"


class SubRecord(TrackedModel):
    """Base of every row that belongs to one employee's file (each declares its `employee` FK
    with its own related name, and its own history)."""

    # Fields an officer edits, in form order; `employee` is set by the request, never edited.
    EDITABLE_FIELDS: tuple = ()
    SENSITIVE = False

    class Meta:
        abstract = True

    def __str__(self):
        # Neutral on purpose: the admin and logs print it, and a row may be sensitive (describe()
        # is what pages show, masked by records.sensitivity).
        return f"{self._meta.verbose_name} #{self.pk}"

    def describe(self) -> str:
        """One line a person reads in a diff or a history entry."""
        raise NotImplementedError


class DecisionFields(models.Model):
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True, validators=[not_in_future])

    class Meta:
        abstract = True

    def decision_suffix(self) -> str:
        if not self.decision_number:
            return ""
        date = f" {self.decision_date:%d/%m/%Y}" if self.decision_date else ""
        return " (%s)" % (_("QĐ %(number)s") % {"number": f"{self.decision_number}{date}"})


class StartBeforeEnd:
    """A period's end, when it has one, is not before its start."""

    def clean(self):
        errors: dict = {}
        check_date_order(errors, self.start_date, self.end_date, end_field="end_date")
        if errors:
            raise ValidationError(errors)


class WorkHistory(StartBeforeEnd, DecisionFields, SubRecord):  # quá trình công tác
    start_date = models.DateField(_("từ ngày"), validators=[not_in_future])
    end_date = models.DateField(_("đến ngày"), null=True, blank=True, help_text=_("Để trống nếu đang công tác."))
    organisation = models.CharField(_("cơ quan, đơn vị"), max_length=255)
    title = models.CharField(_("chức danh, chức vụ"), max_length=255)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="work_history", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = ("start_date", "end_date", "organisation", "title", "decision_number", "decision_date")

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["start_date", "pk"]

    def describe(self):
        return f"{self.title}, {self.organisation}, {period(self.start_date, self.end_date)}{self.decision_suffix()}"


class SalaryHistory(DecisionFields, SubRecord):  # diễn biến quá trình lương
    effective_date = models.DateField(_("ngày hưởng"))
    rank_code = models.CharField(_("mã ngạch"), max_length=16, validators=[rank_code_validator])
    salary_step = models.PositiveSmallIntegerField(_("bậc"), validators=[MinValueValidator(1), MaxValueValidator(16)])
    salary_coefficient = models.DecimalField(_("hệ số"), max_digits=4, decimal_places=2)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="salary_history", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = (
        "effective_date",
        "rank_code",
        "salary_step",
        "salary_coefficient",
        "decision_number",
        "decision_date",
    )

    class Meta:
        verbose_name = _("diễn biến lương")
        verbose_name_plural = _("diễn biến lương")
        ordering = ["effective_date", "pk"]

    def clean(self):
        from .salary import check_salary

        errors: dict = {}
        check_salary_date(errors, self.effective_date, field="effective_date")
        if self.rank_code and self.salary_step and self.salary_coefficient is not None:
            errors.update(
                check_salary(
                    rank_code=self.rank_code,
                    step=self.salary_step,
                    coefficient=self.salary_coefficient,
                    on=self.effective_date,
                )
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def latest_of(cls, employee_id):
        """The row in force: the latest effective date (the latest added on a tie)."""
        return cls._default_manager.filter(employee_id=employee_id).order_by("-effective_date", "-pk").first()

    def salary_in_force(self) -> dict:
        """The profile's current-salary fields (Employee.CURRENT_SALARY_FIELDS) as this row sets them."""
        return {
            "rank_code": self.rank_code,
            "salary_step": self.salary_step,
            "salary_coefficient": self.salary_coefficient,
            "salary_effective_date": self.effective_date,
        }

    def describe(self):
        return _("Ngạch %(rank)s bậc %(step)s, hệ số %(coef)s từ %(date)s%(decision)s") % {
            "rank": self.rank_code,
            "step": self.salary_step,
            "coef": formats.number_format(self.salary_coefficient),
            "date": self.effective_date.strftime("%d/%m/%Y") if self.effective_date else "…",
            "decision": self.decision_suffix(),
        }


class Training(DecisionFields, SubRecord):  # đào tạo (văn bằng), bồi dưỡng (khoá ngắn hạn)
    class Kind(models.TextChoices):
        DEGREE = "degree", _("Đào tạo")
        COURSE = "course", _("Bồi dưỡng")

    class Mode(models.TextChoices):
        FULL_TIME = "full_time", _("Chính quy")
        PART_TIME = "part_time", _("Vừa làm vừa học")
        REMOTE = "remote", _("Từ xa, trực tuyến")
        IN_SERVICE = "in_service", _("Tập trung ngắn hạn")

    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("chuyên ngành / nội dung"), max_length=255)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=255, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    mode = models.CharField(_("hình thức"), max_length=16, choices=Mode.choices, blank=True)
    certificate = models.CharField(_("văn bằng, chứng chỉ"), max_length=128, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="trainings", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = (
        "kind",
        "name",
        "institution",
        "start_date",
        "end_date",
        "mode",
        "certificate",
        "decision_number",
        "decision_date",
    )

    class Meta:
        verbose_name = _("đào tạo, bồi dưỡng")
        verbose_name_plural = _("đào tạo, bồi dưỡng")
        ordering = ["start_date", "pk"]

    def clean(self):
        errors: dict = {}
        check_date_order(errors, self.start_date, self.end_date, end_field="end_date")
        if self.start_date and self.start_date > today() and not self.end_date:
            errors.setdefault("end_date", []).append(_("Khoá học trong tương lai phải có ngày kết thúc dự kiến."))
        if errors:
            raise ValidationError(errors)

    def describe(self):
        return f"{self.get_kind_display()} {self.name}, {period(self.start_date, self.end_date)}"


class Commendation(DecisionFields, SubRecord):  # khen thưởng
    form = models.CharField(_("hình thức khen thưởng"), max_length=128, help_text=_("Ví dụ: Bằng khen của Bộ trưởng"))
    reason = models.CharField(_("thành tích"), max_length=255, blank=True)
    authority = models.CharField(_("cấp quyết định"), max_length=128, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(1945)])

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="commendations", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = ("year", "form", "reason", "authority", "decision_number", "decision_date")

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["year", "pk"]

    def clean(self):
        if self.year and self.year > today().year:
            raise ValidationError({"year": _("Năm khen thưởng không được ở tương lai.")})

    def describe(self):
        return f"{self.form} ({self.year}){self.decision_suffix()}"


class Discipline(DecisionFields, SubRecord):  # kỷ luật
    class Form(models.TextChoices):
        REPRIMAND = "reprimand", _("Khiển trách")
        WARNING = "warning", _("Cảnh cáo")
        SALARY_DEMOTION = "salary_demotion", _("Hạ bậc lương")
        DEMOTION = "demotion", _("Giáng chức")
        DISMISSAL_FROM_POST = "dismissal_from_post", _("Cách chức")
        DISMISSAL = "dismissal", _("Buộc thôi việc")

    form = models.CharField(_("hình thức kỷ luật"), max_length=24, choices=Form.choices)
    reason = models.CharField(_("lý do"), max_length=255)
    authority = models.CharField(_("cấp quyết định"), max_length=128, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), validators=[not_in_future])
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # An annulled sanction (a later decision cancels it) no longer delays a salary step.
    annulled = models.BooleanField(_("đã bị huỷ bỏ"), default=False)
    annulment_decision = models.CharField(_("quyết định huỷ bỏ"), max_length=128, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="disciplines", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = (
        "form",
        "reason",
        "authority",
        "effective_from",
        "effective_to",
        "decision_number",
        "decision_date",
        "annulled",
        "annulment_decision",
    )
    SENSITIVE = True

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["effective_from", "pk"]

    def clean(self):
        errors: dict = {}
        check_date_order(errors, self.effective_from, self.effective_to, end_field="effective_to")
        if self.annulment_decision and not self.annulled:
            errors.setdefault("annulled", []).append(_("Có quyết định huỷ bỏ thì đánh dấu kỷ luật đã bị huỷ bỏ."))
        if errors:
            raise ValidationError(errors)

    def describe(self):
        annulled = " ({})".format(_("đã huỷ bỏ")) if self.annulled else ""
        return (
            f"{self.get_form_display()}: {self.reason}, {self.effective_from:%d/%m/%Y}"
            f"{self.decision_suffix()}{annulled}"
        )


class Evaluation(SubRecord):  # đánh giá, xếp loại hằng năm
    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
        GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
        ADEQUATE = "adequate", _("Hoàn thành nhiệm vụ")
        FAILED = "failed", _("Không hoàn thành nhiệm vụ")

    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(1990)])
    rating = models.CharField(_("xếp loại"), max_length=16, choices=Rating.choices)
    comment = models.CharField(_("nhận xét"), max_length=500, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = ("year", "rating", "comment")

    class Meta:
        verbose_name = _("đánh giá, xếp loại")
        verbose_name_plural = _("đánh giá, xếp loại")
        ordering = ["year", "pk"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="one_evaluation_per_year")]

    def clean(self):
        if self.year and self.year > today().year:
            raise ValidationError({"year": _("Chưa thể đánh giá năm ở tương lai.")})

    def describe(self):
        return f"{self.year}: {self.get_rating_display()}"


class FamilyMember(SubRecord):  # quan hệ gia đình
    class Side(models.TextChoices):
        OWN = "own", _("Về bản thân")
        SPOUSE = "spouse", _("Về bên vợ hoặc chồng")

    side = models.CharField(_("bên"), max_length=8, choices=Side.choices, default=Side.OWN)
    relation = models.CharField(_("quan hệ"), max_length=32, help_text=_("Bố, mẹ, vợ, chồng, con, anh, chị, em…"))
    full_name = models.CharField(_("họ và tên"), max_length=128)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), validators=[MinValueValidator(1900)])
    details = models.CharField(
        _("quê quán, nghề nghiệp, chức danh, đơn vị công tác, học tập, nơi ở"), max_length=500, blank=True
    )

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="family", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = ("side", "relation", "full_name", "birth_year", "details")
    SENSITIVE = True

    class Meta:
        verbose_name = _("quan hệ gia đình")
        verbose_name_plural = _("quan hệ gia đình")
        ordering = ["side", "birth_year", "pk"]

    def clean(self):
        if self.birth_year and self.birth_year > today().year:
            raise ValidationError({"birth_year": _("Năm sinh không được ở tương lai.")})

    def describe(self):
        return f"{self.relation}: {self.full_name} ({self.birth_year})"


class NonCountedPeriod(StartBeforeEnd, DecisionFields, SubRecord):  # thời gian không tính nâng bậc lương
    """Time not counted towards a salary step (TT 08/2013/TT-BNV as amended by 03/2021/TT-BNV):
    unpaid personal leave, suspension, detention and the like. Summed in whole months; the
    leftover counts as a month from 11 working days (duedates.rules)."""

    class Kind(models.TextChoices):
        UNPAID_LEAVE = "unpaid_leave", _("Nghỉ việc riêng không hưởng lương")
        SUSPENSION = "suspension", _("Đình chỉ công tác")
        DETENTION = "detention", _("Tạm giữ, tạm giam")
        PROBATION = "probation", _("Tập sự, thử việc")
        OTHER = "other", _("Khác")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True, help_text=_("Để trống nếu chưa kết thúc."))
    leftover_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc lẻ tháng"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(31)],
        help_text=_("Theo quyết định, nếu có; để trống thì đếm theo lịch ngày làm việc (trừ cuối tuần, ngày lễ, Tết)."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="non_counted_periods", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = (
        "kind",
        "start_date",
        "end_date",
        "leftover_working_days",
        "note",
        "decision_number",
        "decision_date",
    )
    SENSITIVE = True  # suspension and detention are personal circumstances

    class Meta:
        # Short enough for an xlsx sheet title (31 characters): the import template names its sheets so.
        verbose_name = _("thời gian không tính nâng bậc")
        verbose_name_plural = _("thời gian không tính nâng bậc")
        ordering = ["start_date", "pk"]

    def describe(self):
        return f"{self.get_kind_display()}, {self.start_date:%d/%m/%Y}–" + (
            f"{self.end_date:%d/%m/%Y}{self.decision_suffix()}" if self.end_date else str(_("nay"))
        )


class RetirementDecision(DecisionFields, SubRecord):  # quyết định về tuổi, thời điểm nghỉ hưu của cá nhân
    """A dated decision that moves one person's retirement away from the statutory roadmap
    (duedates.rules.retirement applies it): a lower age (Labour Code 2019 Art. 169(3), Decree
    135/2020 Art. 5 and Appendix II), a higher age (Art. 169(4), Decree 135/2020 Art. 6), a
    postponement of the moment (Decree 170/2025 Art. 61(3): up to 1, 3 or 6 months by ground), or
    early retirement under Decree 178/2024 (the statutory date stays the baseline of the
    benefits). The maximum months are rule rows in duedates (RetirementOverrideLimit), checked
    when a request is validated (workflows.changesets); here only the shape of one row."""

    class Kind(models.TextChoices):  # the values of duedates.rules LOWER_AGE … EARLY_RETIREMENT
        LOWER_AGE = "lower_age", _("Nghỉ hưu ở tuổi thấp hơn")
        HIGHER_AGE = "higher_age", _("Nghỉ hưu ở tuổi cao hơn")
        POSTPONEMENT = "postponement", _("Lùi thời điểm nghỉ hưu")
        EARLY_RETIREMENT = "early_retirement", _("Nghỉ hưu trước tuổi (Nghị định 178/2024)")

    class Ground(models.TextChoices):  # Decree 170/2025 Art. 61(3)(a)–(c)
        BEREAVEMENT_TET_DISASTER = "a", _("Trùng Tết Nguyên đán; người thân từ trần, mất tích; thiên tai, hoả hoạn")
        SERIOUS_ILLNESS = "b", _("Bệnh nặng, tai nạn (có xác nhận của bệnh viện)")
        LONG_TERM_ILLNESS = "c", _("Đang điều trị bệnh cần chữa trị dài ngày (có xác nhận của bệnh viện)")

    kind = models.CharField(_("loại quyết định"), max_length=16, choices=Kind.choices)
    ground = models.CharField(
        _("trường hợp lùi thời điểm"),
        max_length=1,
        choices=Ground.choices,
        blank=True,
        help_text=_("Chỉ với quyết định lùi thời điểm nghỉ hưu."),
    )
    months = models.PositiveSmallIntegerField(
        _("số tháng"),
        null=True,
        blank=True,
        help_text=_("Số tháng tuổi nghỉ hưu thấp hơn / cao hơn, hoặc số tháng lùi thời điểm nghỉ hưu."),
    )
    retire_from = models.DateField(
        _("nghỉ hưu từ ngày"), null=True, blank=True, help_text=_("Chỉ với quyết định nghỉ hưu trước tuổi.")
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    annulled = models.BooleanField(_("đã bị huỷ bỏ"), default=False)
    annulment_decision = models.CharField(_("quyết định huỷ bỏ"), max_length=128, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="retirement_decisions", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = (
        "kind",
        "ground",
        "months",
        "retire_from",
        "legal_basis",
        "decision_number",
        "decision_date",
        "annulled",
        "annulment_decision",
    )
    # The ground of a postponement and the basis it cites tell an illness or a bereavement.
    SENSITIVE_FIELDS = ("ground", "legal_basis")
    MONTH_KINDS = (Kind.LOWER_AGE, Kind.HIGHER_AGE, Kind.POSTPONEMENT)

    class Meta:
        verbose_name = _("quyết định về nghỉ hưu")
        verbose_name_plural = _("quyết định về nghỉ hưu")
        ordering = ["decision_date", "pk"]

    def clean(self):
        errors: dict = {}
        if not self.decision_number:
            errors["decision_number"] = [_("Quyết định về nghỉ hưu phải có số quyết định.")]
        if not self.decision_date:
            errors["decision_date"] = [_("Quyết định về nghỉ hưu phải có ngày quyết định.")]
        for name, message in self._kind_problems():
            errors.setdefault(name, []).append(message)
        if self.annulment_decision and not self.annulled:
            errors.setdefault("annulled", []).append(_("Có quyết định huỷ bỏ thì đánh dấu quyết định đã bị huỷ bỏ."))
        if errors:
            raise ValidationError(errors)

    def _kind_problems(self):
        """(field, message) for each field the kind of decision requires or excludes."""
        if self.kind in self.MONTH_KINDS:
            if not self.months:
                yield "months", _("Nhập số tháng (lớn hơn 0) của quyết định này.")
            if self.retire_from:
                yield "retire_from", _("Chỉ quyết định nghỉ hưu trước tuổi mới ghi ngày nghỉ hưu.")
        if self.kind == self.Kind.EARLY_RETIREMENT:
            if not self.retire_from:
                yield "retire_from", _("Quyết định nghỉ hưu trước tuổi phải ghi ngày nghỉ hưu.")
            if self.months:
                yield "months", _("Quyết định nghỉ hưu trước tuổi ghi ngày nghỉ hưu, không ghi số tháng.")
        if self.kind == self.Kind.POSTPONEMENT and not self.ground:
            yield "ground", _("Chọn trường hợp lùi thời điểm nghỉ hưu (Nghị định 170/2025, Điều 61 khoản 3).")
        if self.kind and self.kind != self.Kind.POSTPONEMENT and self.ground:
            yield "ground", _("Chỉ quyết định lùi thời điểm nghỉ hưu mới chọn trường hợp lùi.")

    def describe(self):
        if self.kind == self.Kind.EARLY_RETIREMENT:
            what = _("từ %(date)s") % {"date": self.retire_from.strftime("%d/%m/%Y") if self.retire_from else "…"}
        else:
            what = _("%(months)s tháng") % {"months": self.months}
        annulled = " ({})".format(_("đã huỷ bỏ")) if self.annulled else ""
        return f"{self.get_kind_display()}: {what}{self.decision_suffix()}{annulled}"


class EmploymentContract(SubRecord):  # hợp đồng lao động
    """A labour contract of a contract worker (người lao động): its kind and term. The end of a
    fixed-term contract is a due date (duedates: contract end, with the notice before it)."""

    class Kind(models.TextChoices):
        FIXED_TERM = "fixed_term", _("Xác định thời hạn")
        INDEFINITE = "indefinite", _("Không xác định thời hạn")

    kind = models.CharField(_("loại hợp đồng"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("số hợp đồng"), max_length=64, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(
        _("đến ngày"), null=True, blank=True, help_text=_("Bắt buộc với hợp đồng xác định thời hạn.")
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = ("kind", "number", "start_date", "end_date", "note")

    class Meta:
        verbose_name = _("hợp đồng lao động")
        verbose_name_plural = _("hợp đồng lao động")
        ordering = ["start_date", "pk"]

    def clean(self):
        errors: dict = {}
        check_date_order(errors, self.start_date, self.end_date, end_field="end_date")
        if self.kind == self.Kind.FIXED_TERM and not self.end_date:
            errors.setdefault("end_date", []).append(_("Hợp đồng xác định thời hạn phải có ngày kết thúc."))
        if self.kind == self.Kind.INDEFINITE and self.end_date:
            errors.setdefault("end_date", []).append(_("Hợp đồng không xác định thời hạn không có ngày kết thúc."))
        if errors:
            raise ValidationError(errors)

    def describe(self):
        number = f" {self.number}" if self.number else ""
        until = f"{self.end_date:%d/%m/%Y}" if self.end_date else "…"
        return f"{_('Hợp đồng')}{number} ({self.get_kind_display()}), {self.start_date:%d/%m/%Y}–{until}"


class Probation(StartBeforeEnd, DecisionFields, SubRecord):  # tập sự, thử việc
    """The probation of a newly recruited person: tập sự (công chức, viên chức) or thử việc
    (contract workers). The end, when the file does not record it, is computed from the length
    rule in force (duedates.ProbationLength) by status and salary class. Not the same thing as a
    NonCountedPeriod of kind "probation" (time not counted towards a salary step)."""

    class Kind(models.TextChoices):
        PROBATION = "probation", _("Tập sự")
        TRIAL = "trial", _("Thử việc")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(
        _("đến ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống thì tính theo thời gian tập sự, thử việc do quy định ấn định."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="probations", verbose_name=_("cán bộ")
    )
    history = TrackedHistoricalRecords(timeline_of="employee")
    EDITABLE_FIELDS = ("kind", "start_date", "end_date", "note", "decision_number", "decision_date")

    class Meta:
        verbose_name = _("tập sự, thử việc")
        verbose_name_plural = _("tập sự, thử việc")
        ordering = ["start_date", "pk"]

    def describe(self):
        until = f"{self.end_date:%d/%m/%Y}" if self.end_date else "…"
        return f"{self.get_kind_display()}, {self.start_date:%d/%m/%Y}–{until}{self.decision_suffix()}"


SUBRECORD_MODELS = (
    WorkHistory,
    SalaryHistory,
    Training,
    Commendation,
    Discipline,
    Evaluation,
    FamilyMember,
    NonCountedPeriod,
    EmploymentContract,
    Probation,
    RetirementDecision,
)
