"""Drivers for the change-request loop through the real URLs."""

import pytest
from django.urls import reverse

from tests.pages import submit_page
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask


def propose(
    client,
    employee,
    *,
    reason="Nâng bậc lương thường xuyên theo QĐ 123/QĐ-CCT",
    add=None,
    remove=None,
    edit=None,
    **fields,
):
    """Submit the employee's change page with `fields` changed (and rows added/removed/edited)."""
    return submit_page(
        client,
        reverse("records:employee-propose", args=[employee.pk]),
        reason=reason,
        fields=fields,
        add=add,
        remove=remove,
        edit=edit,
    )


def salary_row(step, coefficient, *, rank="01.003", on=None, decision="15/QĐ-CCT") -> dict:
    """A salary-history row as the page takes it: how a change of rank, step or coefficient is proposed."""
    return {
        "effective_date": on or f"{2010 + 3 * step}-01-01",
        "rank_code": rank,
        "salary_step": str(step),
        "salary_coefficient": coefficient,
        "decision_number": decision,
    }


def propose_step(client, employee, step, coefficient, **kwargs):
    """Propose moving `employee` to `step` of their rank, with a dated salary-history row."""
    return propose(client, employee, add={"salaryhistory": [salary_row(step, coefficient)]}, **kwargs)


def open_task(change_request, node):
    return ChangeRequestTask.objects.get(process=change_request.process, flow_task=node, finished__isnull=True)


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
    response = propose_step(client, employee_kv1, 4, "3.33")
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return ChangeRequest.objects.get(employee=employee_kv1)
