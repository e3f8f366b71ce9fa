"""Reads over the unit tree: which units a user's grants reach (the grants themselves are read
once per request by units.scope)."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tracking.asof import instances_at
from tracking.keyset import KeysetPage, paginate
from tracking.vietnamese import search_words, word_start_q

from .models import Position, StaffingQuota, Unit
from .permissions import visible_scope, visible_units_q
from .scope import UnitScope, active_grants, granted_paths, granted_unit_ids

__all__ = [
    "active_grants",
    "has_any_grant",
    "has_grant_covering",
    "has_role_on_unit",
    "list_child_units",
    "list_granted_units",
    "list_top_visible_units",
    "list_visible_ancestors",
    "list_visible_units",
    "page_of_units",
    "search_units",
    "subtree_q",
    "unit_as_of",
    "with_staff_count",
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


def search_units(*, user, search: str) -> QuerySet:
    """Units the user may see whose name has, for every word typed, a word beginning with it
    (diacritics and case ignored: "chi cuc thue" finds "Chi cục Thuế"), or whose code begins
    with what was typed; in tree order (the unique path, so keyset pagination needs no tie)."""
    words = search_words(search)
    if not words:
        return Unit.objects.none()
    by_name = Q()
    for word in words:
        by_name &= word_start_q("search_key", word)
    by_code = Q(code__istartswith=search.strip())
    return Unit.objects.filter(visible_units_q(user)).filter(by_name | by_code).order_by("path")


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


CHILDREN_PER_PAGE = 50


def _ancestor_paths(path: str) -> list[str]:
    """The materialised paths of every unit above `path`, from the root down."""
    return [path[:end] for end in range(Unit.steplen, len(path), Unit.steplen)]


def list_top_visible_units(*, user) -> QuerySet:
    """The units at the top of what the user may see: those of their grants that lie under no
    other unit they may see (usually one), in tree order. The scope is asked, not re-derived."""
    scope = visible_scope(user)
    tops = [p for p in granted_paths(user) if not any(scope.contains_row(None, a) for a in _ancestor_paths(p))]
    return Unit.objects.filter(path__in=tops).filter(visible_units_q(user)).order_by("path")


def list_visible_ancestors(*, user, unit) -> QuerySet:
    """The units above `unit` that the user may see, from the top down (the breadcrumbs)."""
    return Unit.objects.filter(path__in=_ancestor_paths(unit.path)).filter(visible_units_q(user)).order_by("path")


def list_child_units(*, user, parent) -> QuerySet:
    """The children of `parent` that the user may see, in tree order (their paths sort as their
    codes); callers page it by path (page_of_units), so a unit with many children pages cheaply."""
    first, last = (parent.path + digit * Unit.steplen for digit in (Unit.alphabet[0], Unit.alphabet[-1]))
    children = Unit.objects.filter(depth=parent.depth + 1, path__range=(first, last))  # (depth, path) index
    return children.filter(visible_units_q(user)).order_by("path")


def page_of_units(units: QuerySet, params) -> KeysetPage:
    """The page of `units` (in path order) that the cursor in `params` (request.GET) points at:
    a keyset on the unique, indexed path (tracking.keyset), so no OFFSET and no COUNT."""
    return paginate(units.order_by("path"), params, per_page=CHILDREN_PER_PAGE)


def with_staff_count(units: QuerySet) -> QuerySet:
    """`units` with `staff`: the people each unit manages itself (not its subtree), counted per
    unit shown (an index-only count each), not by joining every person. The people are records'
    (Employee.managing_unit, related name "employees"), reached through the relation so this
    layer imports nothing from records."""
    people = Unit._meta.get_field("employees").related_model.objects.filter(managing_unit=OuterRef("pk"))
    count = people.order_by().values("managing_unit").annotate(n=Count("*")).values("n")
    return units.annotate(staff=Coalesce(Subquery(count), 0))


def unit_as_of(unit, at) -> tuple:
    """`unit` as it was at `at`, read from the history (tracking.asof): the unit then (None
    before it existed), its staffing quotas and its positions then; three queries (and one for
    the tree columns history does not keep)."""
    return unit_at(unit, [at])[0]


def unit_at(unit, moments: list) -> list[tuple]:
    """unit_as_of at each of `moments` (a comparison's two dates): one query per history table for
    all the moments together (tracking.asof.instances_at)."""
    found = instances_at(Unit, moments, {"id": unit.pk})
    quotas = instances_at(StaffingQuota, moments, {"unit_id": unit.pk})
    positions = instances_at(Position, moments, {"unit_id": unit.pk})
    return [
        (
            found[i][0] if found[i] else None,
            sorted(quotas[i], key=lambda q: (-q.year, q.category)),
            sorted(positions[i], key=lambda p: (not p.is_leadership, p.name)),
        )
        for i in range(len(moments))
    ]
