"""The staffing-quota report (báo cáo biên chế): approved, actual and pending headcount per
unit and staff category, own and rolled up over each subtree. The page shows one level at a
time (quota_level: the roll-up grouped in SQL); the xlsx file the whole subtree (quota_report).
Both can be asked `at` a past moment: quotas, people and open requests are then read as they were,
from their history (tracking.asof); the unit tree is today's."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from records.models import Employee
from tracking.asof import as_of
from units.models import StaffingQuota, Unit
from units.permissions import visible_units_q
from workflows.models import ChangeRequest

# A quota category is the employment status of the people it counts (same stored values).
CATEGORIES = tuple(StaffingQuota.Category)
MEASURES = ("approved", "actual", "pending")


def _zero() -> dict[str, dict[str, int]]:
    return {category.value: dict.fromkeys(MEASURES, 0) for category in CATEGORIES}


@dataclass
class QuotaRow:
    unit: Unit
    depth: int  # below the report's unit, for indentation
    own: dict[str, dict[str, int]]  # category -> measure -> count, the unit alone
    subtree: dict[str, dict[str, int]]  # the same for the unit and every unit under it

    @property
    def categories(self) -> list[dict]:
        return [
            {"category": c.value, "label": c.label, "own": self.own[c.value], "subtree": self.subtree[c.value]}
            for c in CATEGORIES
        ]


def _quotas(year: int, at):
    """The staffing quotas of `year`, now or as they were `at`."""
    if at is None:
        return StaffingQuota.objects.filter(year=year)
    return as_of(StaffingQuota, at, {"year": year}, whole=True)


def _people(at):
    """The employees, now or as they were `at` (their versions then)."""
    return Employee.objects.all() if at is None else as_of(Employee, at, whole=True)


def quota_report(*, unit: Unit, year: int, at=None) -> list[QuotaRow]:
    """One row per unit of `unit`'s subtree, in tree order.

    approved: the unit's StaffingQuota for `year`; actual: employees it manages, by
    employment status; pending: open new-hire requests of the unit (by the employment status
    of each person to be created) and open transfers into it (by the person's current status).
    Subtree figures add up the units below; a transfer between two units of the same subtree
    is not pending for that subtree, since its headcount does not change.
    """
    units = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    own = {u.path: _zero() for u in units}
    subtree = {u.path: _zero() for u in units}
    path_of = {u.pk: u.path for u in units}

    quotas = _quotas(year, at).filter(unit__path__startswith=unit.path).values_list("unit_id", "category", "approved")
    headcount = (
        _people(at)
        .filter(managing_unit__path__startswith=unit.path)
        .values_list("managing_unit_id", "employment_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for measure, counts in (("approved", quotas), ("actual", headcount)):
        for unit_id, category, n in counts:
            if category in own[unit.path]:
                own[path_of[unit_id]][category][measure] += n

    for target_path, source_path, category in _pending_arrivals(unit, at):
        if category not in own[unit.path]:
            continue
        own[target_path][category]["pending"] += 1
        for ancestor in _ancestors_in_report(target_path, unit.path):
            if _arrives_in(ancestor, source_path):
                subtree[ancestor][category]["pending"] += 1

    for u in units:
        for ancestor in _ancestors_in_report(u.path, unit.path):
            for category, measures in own[u.path].items():
                for measure in ("approved", "actual"):
                    subtree[ancestor][category][measure] += measures[measure]

    return [QuotaRow(unit=u, depth=u.depth - unit.depth, own=own[u.path], subtree=subtree[u.path]) for u in units]


def _pending_arrivals(unit: Unit, at=None) -> list[tuple[str, str | None, str]]:
    """(receiving unit path, sending unit path or None for a new hire, category) of every
    person an open request would bring into `unit`'s subtree (open `at`, with the person's
    status then, when a past moment is asked)."""
    arrivals = []
    if at is None:
        requests = ChangeRequest.objects.filter(status__in=ChangeRequest.OPEN_STATUSES)
        status = "employee__employment_status"
    else:
        requests = as_of(ChangeRequest, at, {"status__in": ChangeRequest.OPEN_STATUSES}, whole=True).annotate(
            status_then=Subquery(as_of(Employee, at, {"id": OuterRef("employee_id")}).values("employment_status")[:1])
        )
        status = "status_then"
    requests = requests.filter(
        Q(kind=ChangeRequest.Kind.NEW_HIRE, unit__path__startswith=unit.path)
        | Q(kind=ChangeRequest.Kind.TRANSFER, target_unit__path__startswith=unit.path)
    ).values_list("kind", "unit__path", "target_unit__path", "operations", status)
    for kind, unit_path, target_path, operations, status in requests:
        if kind == ChangeRequest.Kind.TRANSFER:
            arrivals.append((target_path, unit_path, status))
            continue
        for op in operations or []:
            if op.get("action") == "create" and op.get("model") == "records.employee":
                arrivals.append((unit_path, None, (op.get("values") or {}).get("employment_status")))
    return arrivals


def _ancestors_in_report(path: str, root_path: str) -> list[str]:
    """The paths from the report's unit down to `path`, both included."""
    return [path[:end] for end in range(len(root_path), len(path) + 1, Unit.steplen)]


def _arrives_in(subtree_path: str, source_path: str | None) -> bool:
    """Whether a person coming from `source_path` (None: a new hire) adds to the headcount of the
    subtree at `subtree_path` (whose receiving unit lies inside it): not if they come from inside."""
    return source_path is None or not source_path.startswith(subtree_path)


def quota_level(*, user, parent: Unit, children: list[Unit], year: int, at=None) -> tuple[QuotaRow, list[QuotaRow]]:
    """`parent` and `children` (a page of its children), each with its own and its subtree's
    figures, in three queries whatever the subtree's size: people and quotas are summed in SQL
    by the child subtree they fall in (their unit's path cut one level below `parent`), and
    only over units the user may see (units.permissions); pending arrivals as quota_report."""
    level = len(parent.path) + Unit.steplen
    shown = [parent, *children]
    own = {u.path: _zero() for u in shown}
    subtree = {u.path: _zero() for u in shown}
    quotas = _quotas(year, at)
    people = _people(at)
    for measure, rows in (
        (
            "approved",
            _by_child_subtree(quotas, "unit", user=user, parent=parent, column="category", total=Sum("approved")),
        ),
        (
            "actual",
            _by_child_subtree(
                people, "managing_unit", user=user, parent=parent, column="employment_status", total=Count("*")
            ),
        ),
    ):
        for prefix, alone, category, n in rows:
            if category not in own[parent.path]:
                continue
            subtree[parent.path][category][measure] += n
            if prefix == parent.path:
                own[prefix][category][measure] += n
            elif prefix in own:  # a child on this page
                subtree[prefix][category][measure] += n
                own[prefix][category][measure] += n if alone else 0

    for target_path, source_path, category in _pending_arrivals(parent, at):
        if category not in own[parent.path]:
            continue
        for path in {parent.path, target_path[:level]} & own.keys():
            own[path][category]["pending"] += int(target_path == path)
            subtree[path][category]["pending"] += int(_arrives_in(path, source_path))

    rows = [QuotaRow(unit=u, depth=u.depth - parent.depth, own=own[u.path], subtree=subtree[u.path]) for u in shown]
    return rows[0], rows[1:]


def _by_child_subtree(queryset, unit: str, *, user, parent: Unit, column: str, total):
    """(child path, whether the row's unit is that child itself, `column`, `total`) over the
    rows of `queryset` whose `unit` lies in `parent`'s subtree and is visible to the user: one
    GROUP BY on the unit's path cut one level below `parent` (`parent`'s own rows keep its path)."""
    return (
        queryset.filter(**{f"{unit}__path__startswith": parent.path})
        .filter(visible_units_q(user, prefix=f"{unit}__"))
        .annotate(
            prefix=Substr(f"{unit}__path", 1, len(parent.path) + Unit.steplen),
            alone=ExpressionWrapper(Q(**{f"{unit}__depth__lte": parent.depth + 1}), output_field=BooleanField()),
        )
        .values_list("prefix", "alone", column)
        .annotate(total=total)
        .order_by()
    )
