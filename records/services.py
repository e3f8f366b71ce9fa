"""Writes to personnel records outside a change request: only initial data loading, which is
still tracked (history names the loader and the reason)."""

from django.db import transaction

from tracking.context import ChangeContext, tracked_change

from .models import Employee


def load_initial_employees(*, rows: list[dict], context: ChangeContext) -> list[Employee]:
    """Create employees from initial data (the demo loader), each with a first history row
    that names the loader and the reason. Skips people already present (matched by CCCD)."""
    created = []
    with transaction.atomic(), tracked_change(context):
        existing = set(
            Employee.objects.filter(citizen_id__in=[r["citizen_id"] for r in rows]).values_list("citizen_id", flat=True)
        )
        for row in rows:
            if row["citizen_id"] in existing:
                continue
            employee = Employee(**row)
            employee.full_clean()
            employee.save()
            created.append(employee)
    return created
