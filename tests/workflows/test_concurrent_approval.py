"""Defect 1 of issue 8: two requests proposed against the same version of a person, approved at
the same moment by different approvers. The stale check and the write must be atomic against
each other: exactly one is applied, the other goes back for rework, one history row is written.

Needs real row locks and concurrent connections, so it runs on PostgreSQL (.ci/run stage 2)."""

import datetime
import threading

import pytest
from django.db import connections
from django.test import Client

from records.models import Employee, WorkHistory
from tests.conftest import make_user, setup_context
from units.models import Role
from workflows import changesets, services
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest

from .conftest import open_task, task_url

ROUNDS = 10

pytestmark = pytest.mark.postgres("SQLite has no row locks and one writer at a time")


def _propose(employee, officer, text, operations=None):
    return services.submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=employee.managing_unit,
        submitted_by=officer,
        operations=operations or [changesets.make_update(employee, {"main_duties": text})],
        reason=f"Giao nhiệm vụ: {text}",
        title=str(employee),
        employee=employee,
        subject_model="records.employee",
        subject_pk=employee.pk,
    )


def _approve_at_once(pairs):
    """Each (approver, request) in its own thread and connection, posting the decision together."""
    clients = []
    for approver, change_request in pairs:
        client = Client()
        client.force_login(approver)
        task = open_task(change_request, ChangeRequestFlow.approve)
        assert client.post(task_url(task, "assign")).status_code == 302
        clients.append((client, task_url(task, "execute")))
    return _post_at_once([(client, url, {"decision": "approve", "comment": ""}) for client, url in clients])


def _post_at_once(posts):
    """Each (client, url, data) posted in its own thread and connection, together; the answers'
    status codes in the order given."""
    barrier = threading.Barrier(len(posts))
    answers, errors = [None] * len(posts), []

    def post(index, client, url, data):
        try:
            barrier.wait()
            answers[index] = client.post(url, data).status_code
        except Exception as exc:  # noqa: BLE001 — reported by the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index, *each)) for index, each in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the seeded salary table
def test_concurrent_approvals_of_two_requests_on_one_version_apply_exactly_one(people, tree, employee_kv1):
    second_approver = make_user("lanhdao2_kv1", (tree["kv1"], Role.APPROVER))
    officer = people["canbo_kv1"]
    for round_number in range(ROUNDS):
        employee = Employee.objects.get(pk=employee_kv1.pk)
        history_before = employee.history.count()
        first = _propose(employee, officer, f"Vòng {round_number}: đội kiểm tra 1")
        second = _propose(employee, officer, f"Vòng {round_number}: đội kiểm tra 2")

        answers = _approve_at_once([(people["lanhdao_kv1"], first), (second_approver, second)])

        assert answers == [302, 302]
        first.refresh_from_db()
        second.refresh_from_db()
        statuses = sorted([first.status, second.status])
        assert statuses == sorted([ChangeRequest.Status.APPLIED, ChangeRequest.Status.RETURNED]), (
            round_number,
            statuses,
        )
        applied = first if first.status == ChangeRequest.Status.APPLIED else second
        returned = second if applied is first else first
        employee = Employee.objects.get(pk=employee_kv1.pk)
        assert employee.main_duties == applied.operations[0]["values"]["main_duties"]
        assert employee.history.count() == history_before + 1
        # The refused one waits for its submitter, the applied one's process is over.
        assert open_task(returned, ChangeRequestFlow.rework).owner == officer
        assert applied.process.status == "DONE"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the seeded salary table
def test_concurrent_approvals_of_two_periods_that_only_overlap_together_apply_exactly_one(
    people, tree, loader, employee_kv1
):
    """Each request changes a different work period and is valid alone; together the periods
    overlap. The overlap check reads the person's other periods, so the two must not interleave."""
    second_approver = make_user("lanhdao2_kv1", (tree["kv1"], Role.APPROVER))
    officer = people["canbo_kv1"]
    for round_number in range(ROUNDS):
        with setup_context(loader):
            for period in WorkHistory.objects.filter(employee=employee_kv1):
                period.delete()
            early = WorkHistory.objects.create(
                employee=employee_kv1,
                start_date=datetime.date(2005, 1, 1),
                end_date=datetime.date(2008, 12, 31),
                organisation="Trường Đại học Kinh tế",
                title="Giảng viên",
            )
            late = WorkHistory.objects.create(
                employee=employee_kv1,
                start_date=datetime.date(2012, 1, 1),
                organisation="Chi cục Thuế khu vực I",
                title="Chuyên viên",
            )
        longer = _propose(
            employee_kv1,
            officer,
            f"Vòng {round_number}: kéo dài",
            [changesets.make_update(early, {"end_date": datetime.date(2010, 12, 31)})],
        )
        sooner = _propose(
            employee_kv1,
            officer,
            f"Vòng {round_number}: bắt đầu sớm",
            [changesets.make_update(late, {"start_date": datetime.date(2010, 6, 1)})],
        )

        assert _approve_at_once([(people["lanhdao_kv1"], longer), (second_approver, sooner)]) == [302, 302]
        longer.refresh_from_db()
        sooner.refresh_from_db()
        statuses = sorted([longer.status, sooner.status])
        assert statuses == sorted([ChangeRequest.Status.APPLIED, ChangeRequest.Status.RETURNED]), (
            round_number,
            statuses,
        )
        returned = longer if longer.status == ChangeRequest.Status.RETURNED else sooner
        assert "chồng lấn" in returned.decision_comment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the seeded salary table
def test_two_approvers_taking_one_task_at_once_one_takes_it(people, tree, employee_kv1):
    """A take's POST reads the task with its request, under the process lock (workflows.access):
    the second taker waits for the first and finds the task taken."""
    second_approver = make_user("lanhdao2_kv1", (tree["kv1"], Role.APPROVER))
    approvers = [people["lanhdao_kv1"], second_approver]
    for round_number in range(ROUNDS):
        change_request = _propose(employee_kv1, people["canbo_kv1"], f"Vòng {round_number}")
        url = task_url(open_task(change_request, ChangeRequestFlow.approve), "assign")
        clients = []
        for approver in approvers:
            client = Client()
            client.force_login(approver)
            clients.append(client)
        answers = _post_at_once([(client, url, {}) for client in clients])
        owner = open_task(change_request, ChangeRequestFlow.approve).owner
        assert owner in approvers
        assert answers == [302 if approver == owner else 403 for approver in approvers], (
            round_number,
            answers,
        )
