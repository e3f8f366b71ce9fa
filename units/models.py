"""The organisation tree (unit details, staffing quotas, positions), all changed only through
change requests and kept with history, and who holds which role in which unit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from tracking import vietnamese
from tracking.context import current_change
from tracking.models import TrackedHistory, TrackedModel, TrackedQuerySet, refuse_bulk

# Columns treebeard itself maintains with bulk updates when the tree grows or moves.
TREE_FIELDS = {"path", "depth", "numchild"}


class UnitQuerySet(MP_NodeQuerySet):
    """treebeard keeps its tree columns with bulk updates; those pass inside a tracked change.
    Every other bulk write would skip history and is refused. Units are closed, never deleted."""

    def update(self, **kwargs):
        if current_change() is None or set(kwargs) - TREE_FIELDS:
            refuse_bulk(self.model, "update()")
        return super().update(**kwargs)

    def delete(self, *args, **kwargs):
        refuse_bulk(self.model, "delete()")

    def bulk_create(self, *args, **kwargs):
        refuse_bulk(self.model, "bulk_create()")

    def bulk_update(self, *args, **kwargs):
        refuse_bulk(self.model, "bulk_update()")


class UnitManager(MP_NodeManager):
    def get_queryset(self):
        return UnitQuerySet(self.model).order_by("path")


class Unit(TrackedModel, MP_Node):
    """A node of the organisation tree: Bộ → Tổng cục/Cục → Chi cục …  # đơn vị"""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Bộ")
        DEPARTMENT = "department", _("Vụ")
        GENERAL_DEPARTMENT = "general_department", _("Tổng cục")
        AGENCY = "agency", _("Cục")
        SUB_AGENCY = "sub_agency", _("Chi cục")
        BRANCH = "branch", _("Chi nhánh / đơn vị trực thuộc")

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=Kind.choices)
    is_personnel_department = models.BooleanField(
        _("là bộ phận tổ chức cán bộ"),
        default=False,
        help_text=_("Vụ/Phòng Tổ chức cán bộ của đơn vị cấp trên: một cấp phê duyệt trong chính sách."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    founding_decision_number = models.CharField(_("số quyết định thành lập"), max_length=64, blank=True)
    founding_decision_date = models.DateField(_("ngày quyết định thành lập"), null=True, blank=True)
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_to = models.DateField(
        _("ngừng hoạt động từ ngày"),
        null=True,
        blank=True,
        help_text=_("Đơn vị đã giải thể, sáp nhập vẫn giữ lịch sử."),
    )

    # Derived from the name on every write (TrackedModel.derive_fields), never edited: the name
    # without diacritics that the search box compares (tracking.vietnamese.search_key).
    search_key = models.CharField(_("khoá tìm kiếm"), max_length=255, blank=True, default="", editable=False)

    objects = UnitManager()
    # The search key is derived from the name, not data of its own: kept out of the history, whose
    # rows are hash-chained (tracking.ledger) and whose table must not gain a non-null column
    # after rows were sealed (each sealed row's content would change: a false "row edited").
    history = HistoricalRecords(
        bases=[TrackedHistory], cascade_delete_history=False, excluded_fields=["numchild", "search_key"]
    )

    DERIVED_FIELDS = ("search_key",)

    node_order_by = ["code"]
    EDITABLE_FIELDS = (
        "name",
        "kind",
        "is_personnel_department",
        "address",
        "founding_decision_number",
        "founding_decision_date",
        "active_from",
        "active_to",
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        # One level of the tree in path order (a unit's children, paged by path): a range scan
        # over exactly those rows, not over the whole subtree under the parent.
        # PostgreSQL also has a trigram index on search_key (migration 0009) for the search box.
        indexes = [models.Index(fields=["depth", "path"], name="unit_level_path_idx")]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.active_to is None or self.active_to > timezone.localdate()

    def clean(self):
        errors: dict = {}
        if self.active_from and self.active_to and self.active_to < self.active_from:
            errors["active_to"] = [_("Ngày ngừng hoạt động phải sau ngày bắt đầu hoạt động.")]
        if self.founding_decision_date and self.active_from and self.active_from < self.founding_decision_date:
            errors["active_from"] = [_("Đơn vị không thể hoạt động trước ngày có quyết định thành lập.")]
        if errors:
            raise ValidationError(errors)

    def describe(self):
        return f"{self.code} {self.name}"

    def derive_fields(self) -> None:
        self.search_key = vietnamese.search_key(self.name or "")[: self._meta.get_field("search_key").max_length]


class StaffingQuota(TrackedModel):
    """Approved headcount of a unit for a year and a staff category  # biên chế"""

    class Category(models.TextChoices):
        CIVIL_SERVANT = "civil_servant", _("Công chức")
        PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
        CONTRACT = "contract", _("Hợp đồng lao động")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staffing_quotas", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000)])
    category = models.CharField(_("loại biên chế"), max_length=16, choices=Category.choices)
    approved = models.PositiveIntegerField(_("số được giao"))
    decision_number = models.CharField(_("số quyết định giao"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords(bases=[TrackedHistory], cascade_delete_history=False)
    EDITABLE_FIELDS = ("year", "category", "approved", "decision_number", "decision_date")

    class Meta:
        verbose_name = _("chỉ tiêu biên chế")
        verbose_name_plural = _("chỉ tiêu biên chế")
        ordering = ["-year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "category"], name="one_quota_per_unit_year_category")
        ]

    def __str__(self):
        return f"{self.unit} · {self.year} · {self.get_category_display()}: {self.approved}"

    def describe(self):
        return _("Biên chế %(category)s năm %(year)s: %(n)s") % {
            "category": self.get_category_display(),
            "year": self.year,
            "n": self.approved,
        }


class Position(TrackedModel):
    """A position in a unit and how many posts it has  # chức vụ"""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("đơn vị"))
    name = models.CharField(_("tên chức vụ"), max_length=128)
    posts = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    is_leadership = models.BooleanField(_("chức vụ lãnh đạo"), default=False)

    objects = TrackedQuerySet.as_manager()
    history = HistoricalRecords(bases=[TrackedHistory], cascade_delete_history=False)
    EDITABLE_FIELDS = ("name", "posts", "is_leadership")

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["unit", "-is_leadership", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_position_name_per_unit")]

    def __str__(self):
        return self.name

    def describe(self):
        return _("%(name)s: %(n)s người") % {"name": self.name, "n": self.posts}


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ tổ chức (đề xuất)")
    APPROVER = "approver", _("Lãnh đạo (phê duyệt)")
    VIEWER = "viewer", _("Xem")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị (cấp quyền)")


class RoleGrantQuerySet(models.QuerySet):
    def active(self, on=None):
        """Grants in force on `on` (today): a grant past its end date stops working at once."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on, revoked_at__isnull=True).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)
        )


def _today():
    from django.utils import timezone

    return timezone.localdate()


class RoleGrant(models.Model):
    """A user holds a role on one unit from one date to another; viewing rights extend to the
    unit's subtree. Who granted it and why is kept, with every change, in its history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    valid_from = models.DateField(_("hiệu lực từ ngày"), default=_today)
    valid_to = models.DateField(_("hiệu lực đến hết ngày"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người cấp"),
    )
    reason = models.CharField(_("căn cứ, lý do"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        indexes = [
            models.Index(fields=["user", "role"]),
            models.Index(fields=["unit", "role"]),
            # Revoked grants, newest revocation first (oversight.anomalies: short-lived grants).
            models.Index(
                fields=["revoked_at", "id"], condition=models.Q(revoked_at__isnull=False), name="grant_revoked_idx"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu.")})
        overlapping = RoleGrant.objects.filter(
            user_id=self.user_id, unit_id=self.unit_id, role=self.role, revoked_at__isnull=True
        ).exclude(pk=self.pk)
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        overlapping = overlapping.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from))
        if self.user_id and self.unit_id and overlapping.exists():
            raise ValidationError(_("Người dùng đã có vai trò này trên đơn vị này trong khoảng thời gian đó."))
