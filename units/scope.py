"""The grants a user holds today, read once per request, and UnitScope: the set of units a
decision reaches, from which both of its forms are derived, the check on one unit (no query)
and the filter over many rows (a Q on the materialised path), so the two cannot disagree."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import RoleGrant

NOTHING = Q(pk__in=[])  # matches no row, whatever the model


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


def granted_unit_ids(user, roles=None) -> frozenset:
    """Units on which the user holds one of `roles` (any role when None), not their subtrees."""
    return frozenset(unit for unit, _path, role in active_grants(user) if roles is None or role in roles)


def granted_paths(user, roles=None) -> tuple[str, ...]:
    """Paths of the units on which the user holds one of `roles` (any role when None)."""
    return tuple(sorted({path for _unit, path, role in active_grants(user) if roles is None or role in roles}))


@dataclass(frozen=True)
class UnitScope:
    """Units given exactly (`unit_ids`), with everything below them (`subtrees`, by path), only
    what lies strictly below them (`below`), or all units (`everything`)."""

    unit_ids: frozenset = frozenset()
    subtrees: tuple = ()
    below: tuple = ()
    everything: bool = False

    def contains(self, unit) -> bool:
        """Whether `unit` is in the scope (no query: the unit's id and path are on the row)."""
        return self.contains_row(unit.pk, unit.path)

    def contains_row(self, unit_id, path: str) -> bool:
        """The same for a unit known only by id and path (a `values_list` row of a list)."""
        return (
            self.everything
            or unit_id in self.unit_ids
            or any(path.startswith(p) for p in self.subtrees)
            or any(path.startswith(p) and path != p for p in self.below)
        )

    def q(self, prefix: str = "") -> Q:
        """The same as a filter: `prefix` is the lookup path to the unit ("managing_unit__")."""
        if self.everything:
            return Q()
        parts = []
        if self.unit_ids:
            parts.append(Q(**{f"{prefix}pk__in": sorted(self.unit_ids)}))
        parts += [Q(**{f"{prefix}path__startswith": p}) for p in self.subtrees]
        parts += [Q(**{f"{prefix}path__startswith": p}) & ~Q(**{f"{prefix}path": p}) for p in self.below]
        return reduce(or_, parts) if parts else NOTHING

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.unit_ids or self.subtrees or self.below)
