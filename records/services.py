"""Writes to personnel records. Each runs inside a tracked change, so history names who,
who approved, why and which request."""

from django.db import transaction

from .models import Employee
from .tracking import ChangeContext, tracked_change


def apply_employee_changes(*, employee: Employee, changes: dict, context: ChangeContext) -> Employee:
    """Set the given field values on the employee, validate, and save one history version."""
    unknown = set(changes) - set(Employee.CHANGEABLE_FIELDS)
    if unknown:
        raise ValueError(f"Fields not changeable by request: {sorted(unknown)}")
    with transaction.atomic(), tracked_change(context):
        for name, value in changes.items():
            setattr(employee, name, value)
        employee.full_clean()
        employee.save()
    return employee


def load_initial_employees(*, rows: list[dict], context: ChangeContext) -> list[Employee]:
    """Create employees from initial data (the demo loader), each with a first history row
    that names the loader and the reason. Skips people already present (matched by CCCD)."""
    created = []
    with transaction.atomic(), tracked_change(context):
        existing = set(
            Employee.objects.filter(citizen_id__in=[r["citizen_id"] for r in rows]).values_list(
                "citizen_id", flat=True
            )
        )
        for row in rows:
            if row["citizen_id"] in existing:
                continue
            employee = Employee(**row)
            employee.full_clean()
            employee.save()
            created.append(employee)
    return created
