"""Reads over the unit tree: which units a user's grants reach."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from .models import Role, RoleGrant, Unit


def list_granted_units(*, user, roles=None) -> QuerySet:
    """Units on which `user` holds one of `roles` (any role when None), not their subtrees."""
    if not user.is_authenticated:
        return Unit.objects.none()
    grants = RoleGrant.objects.active().filter(user=user)
    if roles is not None:
        grants = grants.filter(role__in=list(roles))
    return Unit.objects.filter(pk__in=grants.values("unit_id"))


def subtree_q(*, user, prefix: str = "", roles=None) -> Q:
    """A Q matching units inside the subtree of any unit the user holds a grant on.

    `prefix` is the lookup path to the Unit (e.g. "managing_unit__"). Uses the
    materialised path, so the test is an indexed `LIKE 'path%'`.
    """
    paths = _granted_paths(user, roles)
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": path}) for path in paths))


def active_grants(user) -> list[tuple[int, str, str]]:
    """The user's grants in force today as (unit id, unit path, role), read once per user object:
    one per request, so a revoked or expired grant takes effect on the very next request."""
    if not user.is_authenticated:
        return []
    if "_active_grants" not in user.__dict__:
        user.__dict__["_active_grants"] = list(
            RoleGrant.objects.active().filter(user=user).values_list("unit_id", "unit__path", "role")
        )
    return user.__dict__["_active_grants"]


def _granted_paths(user, roles) -> list[str]:
    return sorted({path for _unit, path, role in active_grants(user) if roles is None or role in roles})


def list_visible_units(*, user) -> QuerySet:
    """Every unit the user may see: the subtrees of all their grants."""
    return Unit.objects.filter(subtree_q(user=user)).order_by("path")


def has_role_on_unit(*, user, unit, role: Role) -> bool:
    """Whether the user holds `role` on exactly this unit."""
    return any(unit_id == unit.pk and granted == role for unit_id, _path, granted in active_grants(user))


def has_any_grant(*, user, unit=None) -> bool:
    """Whether the user holds any grant (on `unit` exactly, when given)."""
    return any(unit is None or unit_id == unit.pk for unit_id, _path, _role in active_grants(user))


def has_grant_covering(*, user, unit, roles=None) -> bool:
    """Whether any grant of the user (of one of `roles`, any when None) is on `unit` or one of
    its ancestors."""
    return any(unit.path.startswith(path) for path in _granted_paths(user, roles))
