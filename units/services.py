"""Writes to role grants: granting and revoking, by administrators of an ancestor unit, each
recorded with who did it and why (RoleGrant.history)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import RoleGrant
from .permissions import can_manage_grant


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu căn cứ, lý do.")})
    return reason


def grant_role(*, admin, user, unit, role: str, valid_from=None, valid_to=None, reason: str) -> RoleGrant:
    """Give `user` a role on `unit` for a period; the admin must manage that unit."""
    if not can_manage_grant(admin, unit=unit, role=role, grantee=user):
        raise PermissionDenied(_("Bạn không được cấp quyền trên đơn vị này."))
    reason = _require_reason(reason)
    grant = RoleGrant(
        user=user,
        unit=unit,
        role=role,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        granted_by=admin,
        reason=reason,
    )
    grant.full_clean()
    with transaction.atomic():
        grant._history_user = admin
        grant._change_reason = reason
        grant.save()
    return grant


def revoke_grant(*, admin, grant: RoleGrant, reason: str) -> RoleGrant:
    """End a grant now: it stops working on the user's very next request."""
    if not can_manage_grant(admin, unit=grant.unit, role=grant.role, grantee=grant.user):
        raise PermissionDenied(_("Bạn không được thu hồi quyền trên đơn vị này."))
    reason = _require_reason(reason)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant._history_user = admin
        grant._change_reason = reason
        grant.save()
    return grant
