"""The personnel record of a civil servant or public employee (form 2C-BNV/2008), with history."""

import datetime
import re
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracking import vietnamese
from tracking.fields import SortKeyField
from tracking.models import TrackedHistoricalRecords, TrackedModel

citizen_id_validator = RegexValidator(
    regex=r"^\d{12}$", message=_("Số CCCD phải gồm đúng 12 chữ số."), code="invalid_citizen_id"
)
rank_code_validator = RegexValidator(
    regex=r"^(V\.)?\d{2}(\.\d{2,3}){1,2}[a-zA-Z]?$",
    message=_("Mã ngạch không đúng định dạng (ví dụ: 01.003 hoặc V.07.01.03)."),
    code="invalid_rank_code",
)


_held_today: ContextVar[datetime.date | None] = ContextVar("today", default=None)


def today() -> datetime.date:
    """Today in the project's time zone, as the rules of a record see it: the date a batch of
    checks started (`today_held`), else now."""
    held = _held_today.get()
    return held if held is not None else timezone.localdate()


@contextmanager
def today_held():
    """Fix "today" for a batch of checks (an import reads 600,000 rows; asking the time zone for
    the date on every date field of every row costs seconds)."""
    token = _held_today.set(timezone.localdate())
    try:
        yield
    finally:
        _held_today.reset(token)


def not_in_future(value):
    if value and value > today():
        raise ValidationError(_("Ngày không được ở tương lai."), code="future_date")


# A salary decision may take effect a few months after it is signed, not years.
SALARY_DATE_MAX_AHEAD = datetime.timedelta(days=366)


def check_salary_date(errors: dict, value, *, field: str):
    """Add an error on `field` when a salary's effective date is more than a year ahead."""
    if value and value > today() + SALARY_DATE_MAX_AHEAD:
        errors.setdefault(field, []).append(_("Ngày hưởng lương không được sau hôm nay quá một năm."))


def check_citizen_id(citizen_id: str, *, sex, born) -> dict:
    """A CCCD encodes the province of birth registration (001–096), then sex and century
    (0/1: male/female born 1900–1999, 2/3: born 2000–2099), then the last two digits of the
    birth year (Thông tư 59/2021/TT-BCA, art. 7)."""
    if not 1 <= int(citizen_id[:3]) <= 96:
        return {"citizen_id": [_("Ba chữ số đầu của CCCD phải là mã tỉnh từ 001 đến 096.")]}
    if born is None or sex not in ("male", "female"):
        return {}
    expected = (0 if born.year < 2000 else 2) + (0 if sex == "male" else 1)
    if int(citizen_id[3]) != expected or citizen_id[4:6] != f"{born.year % 100:02d}":
        return {"citizen_id": [_("Số CCCD không khớp với giới tính và năm sinh.")]}
    return {}


def check_date_order(errors: dict, start, end, *, end_field: str, message=None):
    """Add an error on `end_field` when a range runs backwards."""
    if start and end and end < start:
        errors.setdefault(end_field, []).append(message or _("Ngày kết thúc phải sau ngày bắt đầu."))


class Employee(TrackedModel):
    """A civil servant, public employee or contract worker (cán bộ, công chức, viên chức)."""

    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class EmploymentStatus(models.TextChoices):
        CIVIL_SERVANT = "civil_servant", _("Công chức")
        PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
        CONTRACT = "contract", _("Hợp đồng lao động")

    class BirthDatePrecision(models.TextChoices):  # what the birth date records, as the file knows it
        DAY = "day", _("Đủ ngày, tháng, năm")
        MONTH = "month", _("Chỉ có tháng, năm")
        YEAR = "year", _("Chỉ có năm")

    class Qualification(models.TextChoices):  # trình độ chuyên môn
        NONE = "", _("Chưa qua đào tạo")
        VOCATIONAL = "vocational", _("Trung cấp")
        COLLEGE = "college", _("Cao đẳng")
        BACHELOR = "bachelor", _("Đại học")
        MASTER = "master", _("Thạc sĩ")
        DOCTOR = "doctor", _("Tiến sĩ")

    class PoliticalTheory(models.TextChoices):  # lý luận chính trị
        NONE = "", _("Chưa có")
        ELEMENTARY = "elementary", _("Sơ cấp")
        INTERMEDIATE = "intermediate", _("Trung cấp")
        ADVANCED = "advanced", _("Cao cấp")
        BACHELOR = "bachelor", _("Cử nhân")

    class StateManagement(models.TextChoices):  # quản lý nhà nước
        NONE = "", _("Chưa có")
        SPECIALIST = "specialist", _("Chuyên viên")
        PRINCIPAL = "principal", _("Chuyên viên chính")
        SENIOR = "senior", _("Chuyên viên cao cấp")

    # 1–11: identity and recruitment
    full_name = models.CharField(_("họ và tên khai sinh"), max_length=128)
    other_names = models.CharField(_("tên gọi khác"), max_length=128, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), validators=[not_in_future])
    # Retirement reads year only as 1 January (Decree 135/2020 Art. 3(3)) and month only as the
    # 1st (Decree 158/2025 Art. 12(2)); the date field then holds that day.
    birth_date_precision = models.CharField(
        _("ngày sinh ghi đến"),
        max_length=8,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.DAY,
        help_text=_("Hồ sơ chỉ ghi năm sinh: ghi ngày 01/01; chỉ ghi tháng, năm: ghi ngày 01 của tháng."),
    )
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    place_of_birth = models.CharField(_("nơi sinh"), max_length=255, blank=True)
    home_town = models.CharField(_("quê quán"), max_length=255, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=64, blank=True, default="Kinh")
    religion = models.CharField(_("tôn giáo"), max_length=64, blank=True, default="Không")
    permanent_address = models.CharField(_("nơi đăng ký thường trú"), max_length=255, blank=True)
    current_address = models.CharField(_("nơi ở hiện nay"), max_length=255, blank=True)
    citizen_id = models.CharField(_("số CCCD"), max_length=12, unique=True, validators=[citizen_id_validator])
    citizen_id_issue_date = models.DateField(_("ngày cấp CCCD"), null=True, blank=True, validators=[not_in_future])
    citizen_id_issue_place = models.CharField(_("nơi cấp CCCD"), max_length=255, blank=True)
    social_insurance_number = models.CharField(_("số sổ BHXH"), max_length=16, blank=True)
    occupation_at_recruitment = models.CharField(_("nghề nghiệp khi được tuyển dụng"), max_length=255, blank=True)
    recruitment_date = models.DateField(_("ngày tuyển dụng"), null=True, blank=True, validators=[not_in_future])
    recruiting_agency = models.CharField(_("cơ quan tuyển dụng"), max_length=255, blank=True)

    # 12–14: position, rank and salary
    position = models.ForeignKey(
        "units.Position",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
        verbose_name=_("chức vụ"),
    )
    main_duties = models.CharField(_("công việc chính được giao"), max_length=255, blank=True)
    rank_code = models.CharField(_("mã ngạch"), max_length=16, validators=[rank_code_validator])
    salary_step = models.PositiveSmallIntegerField(
        _("bậc lương"), validators=[MinValueValidator(1), MaxValueValidator(16)]
    )
    salary_coefficient = models.DecimalField(
        _("hệ số lương"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(Decimal("10.00"))],
    )
    salary_effective_date = models.DateField(_("ngày hưởng bậc lương"), null=True, blank=True)
    position_allowance = models.DecimalField(
        _("phụ cấp chức vụ (hệ số)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2.00"))],
    )
    seniority_allowance_percent = models.PositiveSmallIntegerField(
        _("phụ cấp vượt khung (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    other_allowances = models.CharField(_("phụ cấp khác"), max_length=255, blank=True)

    # 15: education
    general_education = models.CharField(_("trình độ giáo dục phổ thông"), max_length=16, blank=True, default="12/12")
    qualification = models.CharField(
        _("trình độ chuyên môn cao nhất"), max_length=16, choices=Qualification.choices, blank=True
    )
    major = models.CharField(_("chuyên ngành"), max_length=255, blank=True)
    political_theory = models.CharField(
        _("lý luận chính trị"), max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    state_management = models.CharField(
        _("quản lý nhà nước"), max_length=16, choices=StateManagement.choices, blank=True
    )
    foreign_language = models.CharField(_("ngoại ngữ"), max_length=128, blank=True)
    it_skill = models.CharField(_("tin học"), max_length=128, blank=True)

    # 16–20: Party, mass organisations, military, titles
    party_join_date = models.DateField(_("ngày vào Đảng"), null=True, blank=True, validators=[not_in_future])
    party_official_date = models.DateField(
        _("ngày chính thức vào Đảng"), null=True, blank=True, validators=[not_in_future]
    )
    mass_organisation_join_date = models.DateField(
        _("ngày tham gia tổ chức chính trị – xã hội"), null=True, blank=True, validators=[not_in_future]
    )
    mass_organisation = models.CharField(_("tổ chức chính trị – xã hội"), max_length=128, blank=True)
    military_enlist_date = models.DateField(_("ngày nhập ngũ"), null=True, blank=True, validators=[not_in_future])
    military_discharge_date = models.DateField(_("ngày xuất ngũ"), null=True, blank=True, validators=[not_in_future])
    military_rank = models.CharField(_("quân hàm cao nhất"), max_length=64, blank=True)
    honorary_title = models.CharField(_("danh hiệu được phong tặng cao nhất"), max_length=128, blank=True)
    strengths = models.CharField(_("sở trường công tác"), max_length=255, blank=True)

    # 23–24, 29: health and personal circumstances (sensitive)
    health_status = models.CharField(_("tình trạng sức khoẻ"), max_length=64, blank=True)
    height_cm = models.PositiveSmallIntegerField(
        _("chiều cao (cm)"), null=True, blank=True, validators=[MinValueValidator(100), MaxValueValidator(230)]
    )
    weight_kg = models.PositiveSmallIntegerField(
        _("cân nặng (kg)"), null=True, blank=True, validators=[MinValueValidator(30), MaxValueValidator(200)]
    )
    blood_type = models.CharField(_("nhóm máu"), max_length=4, blank=True)
    policy_status = models.CharField(_("thương binh hạng / gia đình liệt sĩ"), max_length=128, blank=True)
    personal_history = models.TextField(_("đặc điểm lịch sử bản thân"), max_length=5000, blank=True)

    employment_status = models.CharField(_("tình trạng"), max_length=16, choices=EmploymentStatus.choices)
    managing_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("đơn vị quản lý"),
        db_index=False,  # employee_unit_sort_key starts with it: one index for the lookup and the order
    )

    # Derived from full_name on every write (TrackedModel.derive_fields), never edited: the list's
    # Vietnamese order (given, middle, family name) as bytes, and the name without diacritics that
    # searches compare (tracking.vietnamese). History rows carry them too (simple-history would
    # read excluded fields back one query per row); diffs skip them, as fields not editable.
    sort_key = SortKeyField(_("khoá sắp xếp"), max_length=512, blank=True, default="", editable=False)
    search_key = models.CharField(_("khoá tìm kiếm"), max_length=255, blank=True, default="", editable=False)

    history = TrackedHistoricalRecords()

    DERIVED_FIELDS = ("sort_key", "search_key")

    # Fields an officer may propose to change through a change request. The managing unit
    # changes only through a transfer (both units approve), which is a separate request kind.
    CHANGEABLE_FIELDS = (
        "full_name",
        "other_names",
        "date_of_birth",
        "birth_date_precision",
        "sex",
        "place_of_birth",
        "home_town",
        "ethnicity",
        "religion",
        "permanent_address",
        "current_address",
        "citizen_id",
        "citizen_id_issue_date",
        "citizen_id_issue_place",
        "social_insurance_number",
        "occupation_at_recruitment",
        "recruitment_date",
        "recruiting_agency",
        "position",
        "main_duties",
        "rank_code",
        "salary_step",
        "salary_coefficient",
        "salary_effective_date",
        "position_allowance",
        "seniority_allowance_percent",
        "other_allowances",
        "general_education",
        "qualification",
        "major",
        "political_theory",
        "state_management",
        "foreign_language",
        "it_skill",
        "party_join_date",
        "party_official_date",
        "mass_organisation_join_date",
        "mass_organisation",
        "military_enlist_date",
        "military_discharge_date",
        "military_rank",
        "honorary_title",
        "strengths",
        "health_status",
        "height_cm",
        "weight_kg",
        "blood_type",
        "policy_status",
        "personal_history",
        "employment_status",
    )
    # The salary in force (item 14 of form 2C) is that of the latest salary-history row: a change
    # of rank, step or coefficient is a dated row with its decision, and the profile's copy follows
    # it (workflows.salary_changes). The import's employee sheet still carries them.
    CURRENT_SALARY_FIELDS = ("rank_code", "salary_step", "salary_coefficient", "salary_effective_date")
    # What the profile page edits: everything changeable but the salary in force.
    PROFILE_FIELDS = tuple(sorted(set(CHANGEABLE_FIELDS) - set(CURRENT_SALARY_FIELDS), key=CHANGEABLE_FIELDS.index))
    # Seen only by the managing unit and inspectors (records.permissions.can_view_sensitive):
    # identity numbers and addresses, health and personal circumstances.
    SENSITIVE_FIELDS = (
        "citizen_id",
        "citizen_id_issue_date",
        "citizen_id_issue_place",
        "social_insurance_number",
        "permanent_address",
        "current_address",
        "health_status",
        "height_cm",
        "weight_kg",
        "blood_type",
        "policy_status",
        "personal_history",
    )
    # Every date of the profile that a life puts after birth.
    DATES_AFTER_BIRTH = (
        "citizen_id_issue_date",
        "recruitment_date",
        "salary_effective_date",
        "party_join_date",
        "party_official_date",
        "mass_organisation_join_date",
        "military_enlist_date",
        "military_discharge_date",
    )
    # The form sections the profile is shown and edited in, in the order of form 2C.
    SECTIONS = (
        (
            _("Sơ yếu lý lịch"),
            (
                "full_name",
                "other_names",
                "date_of_birth",
                "birth_date_precision",
                "sex",
                "place_of_birth",
                "home_town",
                "ethnicity",
                "religion",
                "permanent_address",
                "current_address",
                "citizen_id",
                "citizen_id_issue_date",
                "citizen_id_issue_place",
                "social_insurance_number",
                "employment_status",
            ),
        ),
        (
            _("Tuyển dụng, chức vụ"),
            ("occupation_at_recruitment", "recruitment_date", "recruiting_agency", "position", "main_duties"),
        ),
        (
            _("Ngạch, bậc lương, phụ cấp"),
            (
                "rank_code",
                "salary_step",
                "salary_coefficient",
                "salary_effective_date",
                "position_allowance",
                "seniority_allowance_percent",
                "other_allowances",
            ),
        ),
        (
            _("Trình độ"),
            (
                "general_education",
                "qualification",
                "major",
                "political_theory",
                "state_management",
                "foreign_language",
                "it_skill",
            ),
        ),
        (
            _("Đảng, đoàn thể, quân ngũ"),
            (
                "party_join_date",
                "party_official_date",
                "mass_organisation",
                "mass_organisation_join_date",
                "military_enlist_date",
                "military_discharge_date",
                "military_rank",
                "honorary_title",
                "strengths",
            ),
        ),
        (
            _("Sức khoẻ, hoàn cảnh"),
            ("health_status", "height_cm", "weight_kg", "blood_type", "policy_status", "personal_history"),
        ),
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["sort_key", "id"]
        indexes = [
            # The list in Vietnamese order, ministry-wide and within the units of a scope (the
            # scope filters on the managing unit); keyset pagination continues from (sort_key, id).
            models.Index(fields=["sort_key", "id"], name="employee_sort_key"),
            models.Index(fields=["managing_unit", "sort_key", "id"], name="employee_unit_sort_key"),
            # The list's other orderings (records.list_filters.ORDERINGS), either way round.
            models.Index(fields=["date_of_birth", "id"], name="employee_birth_order"),
            models.Index(fields=["rank_code", "sort_key", "id"], name="employee_rank_order"),
            # PostgreSQL also has a trigram index on search_key (migration 0013).
            # Headcount by unit and status (the quota report's roll-up): an index-only count.
            models.Index(fields=["managing_unit", "employment_status"], name="employee_unit_status_idx"),
        ]

    def __str__(self):
        return self.full_name

    def derive_fields(self) -> None:
        self.sort_key = vietnamese.person_sort_key(self.full_name or "")[: self._meta.get_field("sort_key").max_length]
        self.search_key = vietnamese.search_key(self.full_name or "")[: self._meta.get_field("search_key").max_length]

    def describe(self):
        return (
            f"{self.full_name}, {self.date_of_birth:%d/%m/%Y}, CCCD {self.citizen_id}"
            if self.date_of_birth
            else self.full_name
        )

    def clean(self):
        errors: dict = {}
        if self.full_name and not re.search(r"\S+\s+\S+", self.full_name.strip()):
            errors["full_name"] = [_("Họ và tên phải gồm ít nhất họ và tên.")]
        born = self.date_of_birth
        if born and self.birth_date_precision == self.BirthDatePrecision.YEAR and (born.month, born.day) != (1, 1):
            errors["date_of_birth"] = [_("Chỉ có năm sinh: ghi ngày sinh là 01/01 của năm đó.")]
        elif born and self.birth_date_precision == self.BirthDatePrecision.MONTH and born.day != 1:
            errors["date_of_birth"] = [_("Chỉ có tháng, năm sinh: ghi ngày 01 của tháng đó.")]
        if self.citizen_id and len(self.citizen_id) == 12 and self.citizen_id.isascii() and self.citizen_id.isdigit():
            errors.update(check_citizen_id(self.citizen_id, sex=self.sex, born=born))
        for name in self.DATES_AFTER_BIRTH:
            value = getattr(self, name)
            if born and value and value < born:
                errors.setdefault(name, []).append(_("Ngày này không thể trước ngày sinh."))
        check_salary_date(errors, self.salary_effective_date, field="salary_effective_date")
        check_date_order(
            errors,
            self.party_join_date,
            self.party_official_date,
            end_field="party_official_date",
            message=_("Ngày chính thức phải sau ngày vào Đảng."),
        )
        check_date_order(
            errors,
            self.military_enlist_date,
            self.military_discharge_date,
            end_field="military_discharge_date",
            message=_("Ngày xuất ngũ phải sau ngày nhập ngũ."),
        )
        if self.position_id and self.managing_unit_id and self.position.unit_id != self.managing_unit_id:
            errors.setdefault("position", []).append(_("Chức vụ không thuộc đơn vị quản lý của cán bộ."))
        if self.rank_code and self.salary_step and self.salary_coefficient is not None and "rank_code" not in errors:
            from .salary import check_salary

            errors.update(
                check_salary(
                    rank_code=self.rank_code,
                    step=self.salary_step,
                    coefficient=self.salary_coefficient,
                    on=self.salary_effective_date,
                    fields=("rank_code", "salary_step", "salary_coefficient"),
                )
            )
        if errors:
            raise ValidationError(errors)
