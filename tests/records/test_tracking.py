"""No path changes a tracked record without a named change context."""

import pytest

from records.models import Employee
from records.tracking import ChangeContext, UntrackedWriteError, tracked_change


def test_plain_save_is_refused(employee_kv1):
    employee_kv1.salary_step = 9
    with pytest.raises(UntrackedWriteError):
        employee_kv1.save()
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3


def test_bulk_update_and_delete_are_refused(employee_kv1, loader):
    with pytest.raises(UntrackedWriteError):
        Employee.objects.filter(pk=employee_kv1.pk).update(salary_step=9)
    with pytest.raises(UntrackedWriteError):
        Employee.objects.all().delete()
    # Even inside a change context: bulk writes skip history, so they never pass.
    with tracked_change(ChangeContext(reason="x", approved_by=loader)), pytest.raises(UntrackedWriteError):
        Employee.objects.filter(pk=employee_kv1.pk).update(salary_step=9)
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3


def test_delete_of_instance_is_refused(employee_kv1):
    with pytest.raises(UntrackedWriteError):
        employee_kv1.delete()
    assert Employee.objects.filter(pk=employee_kv1.pk).exists()


def test_change_context_requires_reason_and_actor(loader):
    with pytest.raises(ValueError):
        ChangeContext(reason="  ", approved_by=loader)
    with pytest.raises(ValueError):
        ChangeContext(reason="Lý do", approved_by=None)


def test_admin_is_read_only_for_records(admin_client, employee_kv1):
    assert admin_client.get(f"/admin/records/employee/{employee_kv1.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/records/employee/{employee_kv1.pk}/change/", {"salary_step": 9})
    assert response.status_code == 403
    assert admin_client.get("/admin/records/employee/add/").status_code == 403
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3
