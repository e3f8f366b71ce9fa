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


def link_employee_account(*, admin, user, employee: Employee, reason: str):
    """Record that the account `user` is held by the person of `employee` (records.EmployeeAccount),
    as an administrator (or the demo loader) sets it: with who and why in its history. Linking
    an account already linked to that person changes nothing."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import EmployeeAccount

    if not reason.strip():
        raise ValidationError(_("Cần nêu căn cứ, lý do liên kết tài khoản với hồ sơ."))
    with transaction.atomic():
        link = EmployeeAccount.objects.select_for_update().filter(user=user).first()
        if link is not None and link.employee_id == employee.pk:
            return link
        if link is None:
            link = EmployeeAccount(user=user)
        link.employee = employee
        link.linked_by = admin
        link.reason = reason.strip()
        link._history_user = admin
        link.full_clean()
        link.save()
        return link
