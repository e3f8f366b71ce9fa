"""Drivers for the change-request loop through the real URLs."""

import pytest
from django.urls import reverse

from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask


def form_data(employee, *, reason, **changes):
    """The proposal form as a person would submit it: current values, some changed, a reason."""
    return {
        "full_name": employee.full_name,
        "date_of_birth": employee.date_of_birth.isoformat(),
        "sex": employee.sex,
        "citizen_id": employee.citizen_id,
        "rank_code": employee.rank_code,
        "salary_step": employee.salary_step,
        "salary_coefficient": str(employee.salary_coefficient),
        "position": employee.position,
        "employment_status": employee.employment_status,
        "reason": reason,
        **changes,
    }


def propose(client, employee, *, reason="Nâng bậc lương thường xuyên theo QĐ 123/QĐ-CCT", **changes):
    """POST the propose form with the employee's current values overridden by `changes`."""
    data = form_data(employee, reason=reason, **changes)
    return client.post(reverse("records:employee-propose", args=[employee.pk]), data)


def open_task(change_request, node):
    return ChangeRequestTask.objects.get(
        process=change_request.process, flow_task=node, finished__isnull=True
    )


def task_url(task, action):
    return reverse(f"changerequest:{task.flow_task.name}:{action}", args=[task.process_id, task.pk])


def decide(client, change_request, decision="approve", comment=""):
    """Take the approval task from the queue and execute it with a decision."""
    task = open_task(change_request, ChangeRequestFlow.approve)
    assign = client.post(task_url(task, "assign"))
    if assign.status_code != 302:
        return assign
    return client.post(task_url(task, "execute"), {"decision": decision, "comment": comment})


@pytest.fixture
def submitted(people, employee_kv1, client):
    """A request by KV1's officer raising the salary step 3 → 4, awaiting approval."""
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, salary_step=4, salary_coefficient="3.33")
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return ChangeRequest.objects.get(employee=employee_kv1)
