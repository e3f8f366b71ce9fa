"""The personnel record of a civil servant or public employee, with full history."""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .tracking import TrackedModel

citizen_id_validator = RegexValidator(
    regex=r"^\d{12}$", message=_("Số CCCD phải gồm đúng 12 chữ số."), code="invalid_citizen_id"
)
rank_code_validator = RegexValidator(
    regex=r"^(V\.)?\d{2}(\.\d{2,3}){1,2}[a-zA-Z]?$",
    message=_("Mã ngạch không đúng định dạng (ví dụ: 01.003 hoặc V.07.01.03)."),
    code="invalid_rank_code",
)


class TrackedHistory(models.Model):
    """Columns every history row of a tracked record carries: who proposed, who approved,
    and which change request caused it (the reason is simple-history's change_reason)."""

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đề xuất"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người phê duyệt"),
    )
    change_request = models.ForeignKey(
        "workflows.ChangeRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("yêu cầu thay đổi"),
    )

    class Meta:
        abstract = True


class Employee(TrackedModel):
    """A civil servant, public employee or contract worker (cán bộ, công chức, viên chức)."""

    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class EmploymentStatus(models.TextChoices):
        CIVIL_SERVANT = "civil_servant", _("Công chức")
        PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
        CONTRACT = "contract", _("Hợp đồng lao động")

    full_name = models.CharField(_("họ và tên"), max_length=128)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    citizen_id = models.CharField(
        _("số CCCD"), max_length=12, unique=True, validators=[citizen_id_validator]
    )
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
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)
    employment_status = models.CharField(
        _("tình trạng"), max_length=16, choices=EmploymentStatus.choices
    )
    managing_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="employees", verbose_name=_("đơn vị quản lý")
    )

    history = HistoricalRecords(bases=[TrackedHistory], cascade_delete_history=False)

    # Fields an officer may propose to change through a change request. The managing unit
    # changes only through a transfer (both units approve), which is a separate process.
    CHANGEABLE_FIELDS = (
        "full_name",
        "date_of_birth",
        "sex",
        "citizen_id",
        "rank_code",
        "salary_step",
        "salary_coefficient",
        "position",
        "employment_status",
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name", "pk"]
        indexes = [models.Index(fields=["managing_unit", "full_name"])]

    def __str__(self):
        return self.full_name

    def clean(self):
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("Ngày sinh không được ở tương lai.")})
        if self.full_name and not re.search(r"\S+\s+\S+", self.full_name.strip()):
            raise ValidationError({"full_name": _("Họ và tên phải gồm ít nhất họ và tên.")})
