"""The engine's new inputs change only through requests: a non-counted period proposed on the
employee's page, approved, written with its history, and read by the next refresh."""

import datetime

from duedates.models import DueItem
from duedates.services import refresh_changed
from records.models import Employee, NonCountedPeriod
from tests.workflows.conftest import decide, propose
from workflows.models import ChangeRequest

D = datetime.date


def test_non_counted_period_and_birth_precision_through_a_request(client, people, employee_kv1, loader):
    from tests.conftest import setup_context

    with setup_context(loader):
        employee_kv1.salary_effective_date = D(2023, 3, 14)
        employee_kv1.save()
    refresh_changed(as_of=D(2026, 12, 1))
    assert DueItem.objects.get(employee=employee_kv1, kind="salary_step").due_date == D(2026, 3, 14)

    client.force_login(people["canbo_kv1"])
    leave = {"kind": "unpaid_leave", "start_date": "2024-09-02", "end_date": "2024-11-01", "decision_number": "5/QĐ"}
    response = propose(
        client,
        employee_kv1,
        reason="Bổ sung thời gian nghỉ không lương",
        add={"noncountedperiod": [leave]},
        birth_date_precision="month",
        date_of_birth="1985-03-01",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not NonCountedPeriod.objects.exists()  # nothing written before approval
    client.logout()
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, ChangeRequest.objects.get(), "approve").status_code == 302
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPLIED

    period = NonCountedPeriod.objects.get(employee=employee_kv1)
    assert period.history.count() == 1
    assert Employee.objects.get(pk=employee_kv1.pk).birth_date_precision == "month"
    run = refresh_changed(as_of=D(2026, 12, 1))
    assert (run.examined, run.recomputed) == (1, 1)
    # 36 months + 2 whole months not counted (2 Sep – 1 Nov 2024).
    assert DueItem.objects.get(employee=employee_kv1, kind="salary_step").due_date == D(2026, 5, 14)


def test_month_precision_needs_the_first_of_the_month(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, reason="Sửa ngày sinh", birth_date_precision="month")
    assert response.status_code == 200
    assert "Chỉ có tháng, năm sinh: ghi ngày 01 của tháng đó." in response.content.decode()
    assert not ChangeRequest.objects.exists()
