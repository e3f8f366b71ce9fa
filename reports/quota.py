"""The staffing-quota report (báo cáo biên chế): approved, actual and pending headcount per
unit and staff category over a unit's subtree, in four queries whatever the tree's size."""

from dataclasses import dataclass

from django.db.models import Count, Q

from records.models import Employee
from units.models import StaffingQuota, Unit
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


def quota_report(*, unit: Unit, year: int) -> list[QuotaRow]:
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

    quotas = StaffingQuota.objects.filter(unit__path__startswith=unit.path, year=year).values_list(
        "unit_id", "category", "approved"
    )
    headcount = (
        Employee.objects.filter(managing_unit__path__startswith=unit.path)
        .values_list("managing_unit_id", "employment_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for measure, counts in (("approved", quotas), ("actual", headcount)):
        for unit_id, category, n in counts:
            if category in own[unit.path]:
                own[path_of[unit_id]][category][measure] += n

    for target_path, source_path, category in _pending_arrivals(unit):
        if category not in own[unit.path]:
            continue
        own[target_path][category]["pending"] += 1
        for ancestor in _ancestors_in_report(target_path, unit.path):
            if source_path is None or not source_path.startswith(ancestor):
                subtree[ancestor][category]["pending"] += 1

    for u in units:
        for ancestor in _ancestors_in_report(u.path, unit.path):
            for category, measures in own[u.path].items():
                for measure in ("approved", "actual"):
                    subtree[ancestor][category][measure] += measures[measure]

    return [QuotaRow(unit=u, depth=u.depth - unit.depth, own=own[u.path], subtree=subtree[u.path]) for u in units]


def _pending_arrivals(unit: Unit) -> list[tuple[str, str | None, str]]:
    """(receiving unit path, sending unit path or None for a new hire, category) of every
    person an open request would bring into `unit`'s subtree."""
    arrivals = []
    requests = (
        ChangeRequest.objects.filter(status__in=ChangeRequest.OPEN_STATUSES)
        .filter(
            Q(kind=ChangeRequest.Kind.NEW_HIRE, unit__path__startswith=unit.path)
            | Q(kind=ChangeRequest.Kind.TRANSFER, target_unit__path__startswith=unit.path)
        )
        .values_list("kind", "unit__path", "target_unit__path", "operations", "employee__employment_status")
    )
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
