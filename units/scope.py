"""The grants a user holds today, read once per request, and UnitScope: the set of units a
decision reaches, from which both of its forms are derived, the check on one unit (no query)
and the filter over many rows (a Q on the materialised path), so the two cannot disagree."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from .models import RoleGrant

NOTHING = Q(pk__in=[])  # matches no row, whatever the model


def grant_rows(user_id) -> list[tuple[int, str, str, object, object]]:
    """The user's grants not revoked and not yet ended, as (unit id, unit path, role, valid
    from, valid to): what a cached copy keeps, so that dates are judged when it is read."""
    return grant_rows_by_user([user_id])[user_id]


def grant_rows_by_user(user_ids) -> dict[int, list[tuple]]:
    """grant_rows of several users in one query, {user id: rows}."""
    rows = {pk: [] for pk in user_ids}
    grants = (
        RoleGrant.objects.filter(user_id__in=list(rows), revoked_at__isnull=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()))
        .values_list("user_id", "unit_id", "unit__path", "role", "valid_from", "valid_to")
    )
    for user_id, *row in grants:
        rows[user_id].append(tuple(row))
    return rows


def in_force(rows, on=None) -> list[tuple]:
    """The rows of `grant_rows` in force on `on` (today), without their dates."""
    on = on or timezone.localdate()
    return [row[:3] for row in rows if row[3] <= on and (row[4] is None or row[4] >= on)]


def remembered(user, name: str, compute):
    """`compute()`, kept on the user object as `name` (once per request: each request has its
    own user object). Through getattr/setattr, so request.user's lazy wrapper passes it on to
    the user itself, where config.user_cache may have put it already."""
    try:
        return getattr(user, name)
    except AttributeError:
        value = compute()
        setattr(user, name, value)
        return value


def preload_grants(user, rows) -> None:
    """Gives the user object its grants from `grant_rows` kept elsewhere (the per-user cache of
    config.user_cache), judged today, so active_grants asks the database nothing."""
    user._active_grants = in_force(rows)


def active_grants(user) -> list[tuple[int, str, str]]:
    """The user's grants in force today as (unit id, unit path, role), read once per user object:
    one per request, so a revoked or expired grant takes effect on the very next request."""
    if not user.is_authenticated:
        return []
    return remembered(
        user,
        "_active_grants",
        lambda: list(RoleGrant.objects.active().filter(user=user).values_list("unit_id", "unit__path", "role")),
    )


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
