"""Reads over the unit tree: which units a user's grants reach (the grants themselves are read
once per request by units.scope)."""

from django.db.models import Q, QuerySet

from .models import Unit
from .permissions import visible_units_q
from .scope import UnitScope, active_grants, granted_paths, granted_unit_ids

__all__ = [
    "active_grants",
    "has_any_grant",
    "has_grant_covering",
    "has_role_on_unit",
    "list_granted_units",
    "list_visible_units",
    "subtree_q",
]


def list_granted_units(*, user, roles=None) -> QuerySet:
    """Units on which `user` holds one of `roles` (any role when None), not their subtrees."""
    return Unit.objects.filter(UnitScope(unit_ids=granted_unit_ids(user, roles)).q())


def subtree_q(*, user, prefix: str = "", roles=None) -> Q:
    """A Q matching units inside the subtree of any unit the user holds a grant on (of one of
    `roles`, any when None). `prefix` is the lookup path to the Unit (e.g. "managing_unit__");
    the test is an indexed `LIKE 'path%'` on the materialised path."""
    return UnitScope(subtrees=granted_paths(user, roles)).q(prefix)


def list_visible_units(*, user) -> QuerySet:
    """Every unit the user may see: the subtrees of all their grants (units.permissions)."""
    return Unit.objects.filter(visible_units_q(user)).order_by("path")


def has_role_on_unit(*, user, unit, role) -> bool:
    """Whether the user holds `role` on exactly this unit."""
    return unit.pk in granted_unit_ids(user, [role])


def has_any_grant(*, user, unit=None) -> bool:
    """Whether the user holds any grant (on `unit` exactly, when given)."""
    ids = granted_unit_ids(user)
    return bool(ids) if unit is None else unit.pk in ids


def has_grant_covering(*, user, unit, roles=None) -> bool:
    """Whether any grant of the user (of one of `roles`, any when None) is on `unit` or one of
    its ancestors."""
    return UnitScope(subtrees=granted_paths(user, roles)).contains(unit)
