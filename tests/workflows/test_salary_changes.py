"""A salary change is a dated salary-history row (effective date, decision): the profile's
current salary (rank, step, coefficient, effective date) is that of the latest row, so the
profile, its salary history and form 2C never disagree (issue 8, defect 3)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from records.exports import form_2c_context
from records.models import Employee, SalaryHistory
from tests.conftest import give_salary_history
from tests.pages import submit_page
from workflows import changesets, services
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest

from .conftest import decide, open_task, propose, propose_step, salary_row, task_url

SALARY_FIELDS = ("rank_code", "salary_step", "salary_coefficient", "salary_effective_date")


def current_salary(employee):
    employee = Employee.objects.get(pk=employee.pk)
    return tuple(getattr(employee, name) for name in SALARY_FIELDS)


def latest_row(employee):
    row = SalaryHistory.objects.filter(employee=employee).order_by("effective_date", "pk").last()
    return (row.rank_code, row.salary_step, row.salary_coefficient, row.effective_date)


@pytest.fixture
def with_history(employee_kv1, loader):
    """Employee KV1 at step 3 since 01/01/2019, as their salary history says."""
    return give_salary_history(employee_kv1, loader)


def approve(client, people, change_request):
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, change_request, "approve").status_code == 302
    change_request.refresh_from_db()
    return change_request


def test_approved_step_raise_is_a_dated_history_row_and_the_profile_follows_it(
    client, people, employee_kv1, with_history
):
    client.force_login(people["canbo_kv1"])
    row = salary_row(4, "3.33", on="2022-01-01", decision="15/QĐ-CCT")
    assert propose(client, employee_kv1, add={"salaryhistory": [row]}).status_code == 302
    change_request = approve(client, people, ChangeRequest.objects.get())
    assert change_request.status == ChangeRequest.Status.APPLIED

    expected = ("01.003", 4, Decimal("3.33"), datetime.date(2022, 1, 1))
    assert current_salary(employee_kv1) == latest_row(employee_kv1) == expected
    added = SalaryHistory.objects.get(employee=employee_kv1, salary_step=4)
    assert added.decision_number == "15/QĐ-CCT" and added.history.get().change_request == change_request
    profile_row = Employee.objects.get(pk=employee_kv1.pk).history.latest()
    assert profile_row.change_request == change_request and profile_row.approved_by == people["lanhdao_kv1"]

    # Form 2C prints the same salary in item 14 and as the last line of the salary history.
    context = form_2c_context(Employee.objects.get(pk=employee_kv1.pk), sensitive=True)
    item_14 = dict(next(line["parts"] for line in context["lines"] if line["parts"][0][0].startswith("14)")))
    assert (item_14["Bậc lương"], item_14["Hệ số"], item_14["Ngày hưởng"]) == ("4", "3,33", "01/01/2022")
    assert context["salaries"][-1] == ["01/2022", "01.003/4", "3,33", "15/QĐ-CCT"]


def test_the_profile_page_offers_the_salary_as_a_history_row_prefilled_with_the_next_step(
    client, people, employee_kv1, with_history
):
    client.force_login(people["canbo_kv1"])
    form = client.get(reverse("records:employee-propose", args=[employee_kv1.pk])).context["form"]
    assert not set(SALARY_FIELDS) & set(form.root_form.fields)
    assert "position_allowance" in form.root_form.fields
    salary = next(formset for formset in form.formsets if formset.prefix == "salaryhistory")
    (new_row,) = salary.extra_forms
    assert new_row.initial == {
        "rank_code": "01.003",
        "salary_step": 4,
        "salary_coefficient": Decimal("3.33"),
        "effective_date": datetime.date(2022, 1, 1),  # step 3 from 01/01/2019 + 36 months
    }
    # Left as offered, the prefilled row proposes nothing.
    response = propose(client, employee_kv1)
    assert "Không có thay đổi nào" in response.content.decode()
    # Given its decision, it is the raise.
    response = propose(client, employee_kv1, add={"salaryhistory": [{"decision_number": "20/QĐ-CCT"}]})
    assert response.status_code == 302
    (operation,) = ChangeRequest.objects.get().operations
    assert operation["model"] == "records.salaryhistory" and operation["values"]["salary_step"] == 4


def test_a_request_setting_the_profile_salary_directly_is_refused_in_vietnamese(people, employee_kv1, with_history):
    operations = [changesets.make_update(employee_kv1, {"salary_step": 4, "salary_coefficient": Decimal("3.33")})]
    with pytest.raises(ValidationError) as refused:
        services.submit_change_request(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=employee_kv1.managing_unit,
            submitted_by=people["canbo_kv1"],
            operations=operations,
            reason="Nâng bậc",
            title=str(employee_kv1),
            employee=employee_kv1,
        )
    assert any("Diễn biến lương" in message for message in refused.value.messages), refused.value.messages
    assert not ChangeRequest.objects.exists()


def test_editing_the_latest_row_moves_the_profile_and_a_back_dated_row_does_not(
    client, people, employee_kv1, with_history
):
    client.force_login(people["canbo_kv1"])
    response = propose(
        client, employee_kv1, edit={"salaryhistory": {with_history.pk: {"effective_date": "2019-04-01"}}}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    approve(client, people, ChangeRequest.objects.get())
    assert current_salary(employee_kv1) == ("01.003", 3, Decimal("3.00"), datetime.date(2019, 4, 1))

    client.force_login(people["canbo_kv1"])
    earlier = salary_row(1, "2.34", on="2013-01-01", decision="3/QĐ-CCT")
    assert propose(client, employee_kv1, add={"salaryhistory": [earlier]}).status_code == 302
    approve(client, people, ChangeRequest.objects.latest("pk"))
    assert current_salary(employee_kv1) == ("01.003", 3, Decimal("3.00"), datetime.date(2019, 4, 1))
    assert SalaryHistory.objects.filter(employee=employee_kv1).count() == 3


def test_removing_the_latest_row_falls_back_to_the_one_before_and_the_last_one_cannot_go(
    client, people, employee_kv1, with_history
):
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, remove={"salaryhistory": [with_history.pk]}).status_code == 302
    approve(client, people, ChangeRequest.objects.get())
    assert current_salary(employee_kv1) == ("01.003", 2, Decimal("2.67"), datetime.date(2016, 1, 1))

    client.force_login(people["canbo_kv1"])
    (only,) = SalaryHistory.objects.filter(employee=employee_kv1)
    response = propose(client, employee_kv1, remove={"salaryhistory": [only.pk]})
    assert response.status_code == 200
    assert "ít nhất một dòng diễn biến lương" in response.content.decode()
    assert ChangeRequest.objects.count() == 1


def test_the_approver_sees_the_current_salary_old_and_new(client, people, employee_kv1, with_history):
    client.force_login(people["canbo_kv1"])
    propose_step(client, employee_kv1, 4, "3.33")
    change_request = ChangeRequest.objects.get()
    client.force_login(people["lanhdao_kv1"])
    task = open_task(change_request, ChangeRequestFlow.approve)
    client.post(task_url(task, "assign"))
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Ngạch 01.003 bậc 4, hệ số 3,33" in page  # the row added
    assert '<td class="qlcb-old">3</td><td class="qlcb-new">4</td>' in page  # the profile it moves
    assert '<td class="qlcb-old">3,00</td><td class="qlcb-new">3,33</td>' in page


def test_a_returned_raise_is_resubmitted_with_its_row(client, people, employee_kv1, with_history):
    client.force_login(people["canbo_kv1"])
    propose_step(client, employee_kv1, 4, "3.33")
    change_request = ChangeRequest.objects.get()
    client.force_login(people["lanhdao_kv1"])
    decide(client, change_request, "return", "Ghi rõ ngày quyết định")
    rework = open_task(change_request, ChangeRequestFlow.rework)

    client.force_login(people["canbo_kv1"])
    response = submit_page(client, task_url(rework, "execute"), reason="Bổ sung ngày quyết định")
    assert response.status_code == 302, response.content.decode()[:3000]
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.SUBMITTED
    assert [op["model"] for op in change_request.operations] == ["records.salaryhistory"]
    approve(client, people, change_request)
    assert current_salary(employee_kv1)[:3] == ("01.003", 4, Decimal("3.33"))


NEW_HIRE = {
    "full_name": "Hoàng Minh Đức",
    "date_of_birth": "1995-07-20",
    "sex": "male",
    "citizen_id": "001095000777",
    "employment_status": "civil_servant",
}


def test_a_new_hire_takes_the_salary_of_their_salary_row(client, people, tree):
    client.force_login(people["canbo_kv1"])
    url = reverse("records:employee-new", args=[tree["kv1"].pk])
    form = client.get(url).context["form"]
    assert not set(SALARY_FIELDS) & set(form.root_form.fields)

    response = submit_page(client, url, reason="Tiếp nhận theo QĐ 45/QĐ-CT", fields=NEW_HIRE)
    assert response.status_code == 200
    assert "ít nhất một dòng diễn biến lương" in response.content.decode()

    row = salary_row(1, "2.34", on="2024-03-01", decision="45/QĐ-CT")
    response = submit_page(
        client, url, reason="Tiếp nhận theo QĐ 45/QĐ-CT", fields=NEW_HIRE, add={"salaryhistory": [row]}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    approve(client, people, ChangeRequest.objects.get())
    hired = Employee.objects.get(citizen_id="001095000777")
    assert current_salary(hired) == latest_row(hired) == ("01.003", 1, Decimal("2.34"), datetime.date(2024, 3, 1))
