"""The account ↔ person link (records.EmployeeAccount) behind the "own file" signal: set by a
superuser in the admin, kept with who set it; nobody else may set it there."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from records.models import EmployeeAccount


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="quantri_ht", password="Test-password-2026")


def test_a_superuser_links_an_account_to_a_file_in_the_admin(client, superuser, people, employee_kv1):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:records_employeeaccount_add"),
        {"user": people["canbo_kv1"].pk, "employee": employee_kv1.pk, "reason": "Quyết định số 5"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = EmployeeAccount.objects.get(user=people["canbo_kv1"])
    assert link.employee == employee_kv1 and link.linked_by == superuser
    (row,) = EmployeeAccount.history.filter(id=link.pk)
    assert row.history_user == superuser


def test_staff_who_are_not_superusers_cannot_link_accounts(client, people, employee_kv1):
    staff = people["lanhdao_kv1"]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    response = client.post(
        reverse("admin:records_employeeaccount_add"),
        {"user": staff.pk, "employee": employee_kv1.pk, "reason": "Tự liên kết"},
    )
    assert response.status_code == 403
    assert not EmployeeAccount.objects.exists()
