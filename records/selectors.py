"""Reads of personnel records, always scoped to what the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.selectors import subtree_q

from .models import Employee


def list_employees(*, user, search: str = "") -> QuerySet:
    """Employees under the subtrees of the user's grants, optionally filtered by name or CCCD."""
    queryset = Employee.objects.filter(subtree_q(user=user, prefix="managing_unit__")).select_related(
        "managing_unit"
    )
    search = (search or "").strip()
    if search:
        if search.isdigit():
            queryset = queryset.filter(citizen_id__startswith=search)
        else:
            queryset = queryset.filter(full_name__icontains=search)
    return queryset


def get_employee(*, user, pk) -> Employee:
    """One employee the user may see; 404 otherwise, so existence is not disclosed."""
    return get_object_or_404(list_employees(user=user), pk=pk)


def display_value(field, value):
    """A field value as a person reads it: choice labels, dd/mm/yyyy dates, '—' for empty."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def list_employee_versions(*, employee) -> list[dict]:
    """Every version of the record, newest first, each with its field diff against the one before."""
    rows = list(
        employee.history.select_related("proposed_by", "approved_by", "change_request", "history_user").order_by(
            "history_date", "history_id"
        )
    )
    versions = []
    previous = None
    for row in rows:
        changes = []
        if previous is not None:
            delta = row.diff_against(previous, foreign_keys_are_objs=True)
            for change in delta.changes:
                field = Employee._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": display_value(field, change.old),
                        "new": display_value(field, change.new),
                    }
                )
        versions.append({"row": row, "changes": changes, "created": previous is None})
        previous = row
    versions.reverse()
    return versions

