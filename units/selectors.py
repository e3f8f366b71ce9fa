"""Reads over the unit tree: which units a user's grants reach."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from .models import Role, RoleGrant, Unit


def list_granted_units(*, user, roles=None) -> QuerySet:
    """Units on which `user` holds one of `roles` (any role when None), not their subtrees."""
    if not user.is_authenticated:
        return Unit.objects.none()
    grants = RoleGrant.objects.filter(user=user)
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


def _granted_paths(user, roles) -> list[str]:
    """The paths of the user's granted units, read once per user object (one per request, so
    a revoked grant still takes effect on the very next request)."""
    cache = user.__dict__.setdefault("_granted_paths", {})
    key = tuple(sorted(roles)) if roles is not None else None
    if key not in cache:
        cache[key] = list(list_granted_units(user=user, roles=roles).values_list("path", flat=True))
    return cache[key]


def list_visible_units(*, user) -> QuerySet:
    """Every unit the user may see: the subtrees of all their grants."""
    return Unit.objects.filter(subtree_q(user=user)).order_by("path")


def has_role_on_unit(*, user, unit, role: Role) -> bool:
    """Whether the user holds `role` on exactly this unit."""
    return user.is_authenticated and RoleGrant.objects.filter(user=user, unit=unit, role=role).exists()


def has_grant_covering(*, user, unit, roles=None) -> bool:
    """Whether any grant of the user (of one of `roles`, any when None) is on `unit` or one of
    its ancestors."""
    if not user.is_authenticated:
        return False
    ancestor_paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    grants = RoleGrant.objects.filter(user=user, unit__path__in=ancestor_paths)
    if roles is not None:
        grants = grants.filter(role__in=list(roles))
    return grants.exists()
