"""Who may do what with units, grants and the policy: each decision defined once, as a
UnitScope (units.scope) from which both of its forms come, the check on one object and the
filter over a queryset."""

from django.conf import settings
from django.db.models import Q

from .models import Role, RoleGrant, Unit
from .scope import UnitScope, active_grants, granted_paths, granted_unit_ids

# --- see a unit (and, through records and workflows, what belongs to it) ----------------------


def visible_scope(user) -> UnitScope:
    """A grant on a unit lets a user see it and everything below it (upper units read)."""
    return UnitScope(subtrees=granted_paths(user))


def can_view_unit(user, unit) -> bool:
    return visible_scope(user).contains(unit)


def visible_units_q(user, prefix: str = "") -> Q:
    return visible_scope(user).q(prefix)


# --- propose a change to a unit's data -----------------------------------------------------------


def propose_scope(user) -> UnitScope:
    """Only an officer of the unit itself proposes changes to the data it manages."""
    return UnitScope(unit_ids=granted_unit_ids(user, [Role.OFFICER]))


def can_propose_for_unit(user, unit) -> bool:
    return propose_scope(user).contains(unit)


def proposers_of_unit_q(unit) -> Q:
    """propose_scope's other side, as a filter over users: the active accounts holding an
    officer grant in force on exactly `unit` (those whose propose_scope contains it)."""
    officers = RoleGrant.objects.active().filter(unit_id=unit.pk, role=Role.OFFICER).values("user_id")
    return Q(is_active=True, pk__in=officers)


def list_proposers_of_unit(unit):
    """The accounts that may propose changes to `unit`'s data (reminders of work they owe)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(proposers_of_unit_q(unit)).order_by("pk")


def list_proposing_units(user):
    """The units whose data `user` may propose changes to (the upload form's choices)."""
    return Unit.objects.filter(propose_scope(user).q()).order_by("path")


# --- manage role grants ----------------------------------------------------------------------------


def grant_admin_scope(user, role=None) -> UnitScope:
    """Where `user` may grant or revoke `role`: superusers everywhere; unit administrators on
    their unit and below it, but a unit-admin grant only strictly below (no peers made admins)."""
    if not user.is_authenticated:
        return UnitScope()
    if user.is_superuser:
        return UnitScope(everything=True)
    paths = granted_paths(user, [Role.UNIT_ADMIN])
    return UnitScope(below=paths) if role == Role.UNIT_ADMIN else UnitScope(subtrees=paths)


def can_manage_grants(user) -> bool:
    """Whether the grants pages (and their menu entry) are for `user`."""
    return not grant_admin_scope(user).is_empty


def can_manage_grant(admin, *, unit, role, grantee) -> bool:
    """Grant or revoke `role` on `unit` for `grantee`; nobody changes their own grants."""
    if grantee is not None and grantee.pk == admin.pk:
        return False
    return grant_admin_scope(admin, role).contains(unit)


def list_managed_units(user):
    """Units whose grants `user` administers (for roles other than unit administrator)."""
    return Unit.objects.filter(grant_admin_scope(user).q())


# --- the approval policy, reports --------------------------------------------------------------------


def can_view_policy(user) -> bool:
    """The policy in force is read by everyone with a grant, and by superusers."""
    return user.is_authenticated and (user.is_superuser or bool(active_grants(user)))


def can_manage_policy(user) -> bool:
    """The approval policy is ministry-wide: superusers and administrators of a root unit."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(len(path) == Unit.steplen for path in granted_paths(user, [Role.UNIT_ADMIN]))


def can_view_quota_report(user) -> bool:
    """The staffing report defaults to the user's top unit: anyone with a grant."""
    return bool(active_grants(user))


# --- accounts ------------------------------------------------------------------------------------


def needs_second_factor(user) -> bool:
    """Staff, and holders of an approving, inspecting or administering role (any grant of one,
    so a grant starting tomorrow finds the device already enrolled), verify a TOTP code."""
    if user.is_staff or user.is_superuser:
        return True
    return RoleGrant.objects.filter(user=user, role__in=settings.OTP_REQUIRED_ROLES).exists()
