"""The organisation tree as a materialised path, and who holds which role in which unit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Unit(MP_Node):
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

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ tổ chức (đề xuất)")
    APPROVER = "approver", _("Lãnh đạo (phê duyệt)")
    VIEWER = "viewer", _("Xem")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra")


class RoleGrant(models.Model):
    """A user holds a role on one unit; viewing rights extend to the unit's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("người dùng")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_grant")]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
