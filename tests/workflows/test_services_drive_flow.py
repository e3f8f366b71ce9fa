"""Issue 8, part 3: every service moves the viewflow process on by itself, in the transaction
that changes the request, so calling it from a shell or a Celery task (no page, as here) leaves
the process where the request is."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from records.models import Employee
from tests.conftest import make_employee, make_user
from units.models import Role
from workflows import changesets, imports
from workflows.flows import ChangeRequestFlow, complete_human_task, finished_in_this_block, open_task
from workflows.models import ChangeRequest, ChangeRequestTask, Decision
from workflows.services import (
    apply_change_request,
    decide_change_request,
    resubmit_change_request,
    submit_change_request,
    submit_transfer,
    withdraw_change_request,
)

S = ChangeRequest.Status


def steps(change_request):
    """The process's tasks in order: (node, status, owner)."""
    tasks = (
        ChangeRequestTask.objects.filter(process_id=change_request.process_id).select_related("owner").order_by("pk")
    )
    return [(t.flow_task.name, t.status, t.owner.username if t.owner else None) for t in tasks]


def process_status(change_request):
    change_request.process.refresh_from_db()
    return change_request.process.status


def propose_duties(employee, officer, text="Đội trưởng đội kiểm tra"):
    return submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=employee.managing_unit,
        submitted_by=officer,
        operations=[changesets.make_update(employee, {"main_duties": text})],
        reason="Giao nhiệm vụ",
        title=str(employee),
        employee=employee,
        subject_model="records.employee",
        subject_pk=employee.pk,
    )


@pytest.fixture
def transfer(people, tree, employee_kv1):
    """KV1 → KV2: two levels, KV1's head then KV2's head."""
    return submit_transfer(
        employee=employee_kv1, target_unit=tree["kv2"], submitted_by=people["canbo_kv1"], reason="Điều động"
    )


def test_submit_starts_the_process_at_the_first_approval(transfer):
    assert steps(transfer) == [("submit", "DONE", "canbo_kv1"), ("approve", "NEW", None)]
    assert process_status(transfer) == "NEW"


def test_approving_every_level_applies_the_change_and_ends_the_process(people, tree, employee_kv1, transfer):
    decide_change_request(change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    assert transfer.status == S.SUBMITTED and transfer.pending_unit == tree["kv2"]
    assert steps(transfer)[1:] == [
        ("approve", "DONE", "lanhdao_kv1"),
        ("approve", "NEW", None),
    ]

    decide_change_request(change_request=transfer, user=people["lanhdao_kv2"], decision=Decision.APPROVE)
    transfer.refresh_from_db()
    assert transfer.status == S.APPLIED and transfer.applied_at is not None
    assert Employee.objects.get(pk=employee_kv1.pk).managing_unit == tree["kv2"]
    assert steps(transfer)[2:] == [
        ("approve", "DONE", "lanhdao_kv2"),
        ("apply", "DONE", None),
        ("end", "DONE", None),
    ]
    assert process_status(transfer) == "DONE"


def test_return_gives_the_submitter_a_rework_task_and_resubmit_starts_again_at_level_one(
    people, tree, employee_kv1, transfer
):
    decide_change_request(change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    decide_change_request(
        change_request=transfer, user=people["lanhdao_kv2"], decision=Decision.RETURN, comment="Thiếu quyết định"
    )
    assert transfer.status == S.RETURNED
    assert steps(transfer)[-1] == ("rework", "ASSIGNED", "canbo_kv1")

    operations = [changesets.make_update(Employee.objects.get(pk=employee_kv1.pk), {"managing_unit": tree["kv2"].pk})]
    resubmit_change_request(
        change_request=transfer, user=people["canbo_kv1"], operations=operations, reason="Điều động theo QĐ 7"
    )
    assert transfer.status == S.SUBMITTED and transfer.current_level == 0 and transfer.pending_unit == tree["kv1"]
    assert steps(transfer)[-2:] == [
        ("rework", "DONE", "canbo_kv1"),
        ("approve", "NEW", None),
    ]
    # The second round goes through the same levels.
    decide_change_request(change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    decide_change_request(change_request=transfer, user=people["lanhdao_kv2"], decision=Decision.APPROVE)
    assert transfer.status == S.APPLIED and process_status(transfer) == "DONE"


@pytest.mark.parametrize("level", [0, 1])
def test_reject_at_any_level_ends_the_process_at_rejected(people, employee_kv1, transfer, level):
    approvers = [people["lanhdao_kv1"], people["lanhdao_kv2"]]
    if level == 1:
        decide_change_request(change_request=transfer, user=approvers[0], decision=Decision.APPROVE)
    decide_change_request(
        change_request=transfer, user=approvers[level], decision=Decision.REJECT, comment="Không đủ căn cứ"
    )
    assert transfer.status == S.REJECTED
    assert steps(transfer)[-1] == ("rejected", "DONE", None)
    assert process_status(transfer) == "DONE"
    assert Employee.objects.get(pk=employee_kv1.pk).managing_unit == employee_kv1.managing_unit


def test_withdraw_before_any_decision_ends_the_process_at_withdrawn(people, transfer):
    # An approver took the task from the queue but has not decided: the submitter may still withdraw.
    with transaction.atomic(), ChangeRequestFlow.lock(transfer.process_id):
        task = ChangeRequestTask.objects.get(process_id=transfer.process_id, flow_task=ChangeRequestFlow.approve)
        ChangeRequestFlow.approve.activation_class(task).assign(people["lanhdao_kv1"])

    withdraw_change_request(change_request=transfer, user=people["canbo_kv1"])
    assert transfer.status == S.WITHDRAWN and transfer.pending_unit is None
    assert steps(transfer)[1:] == [
        ("approve", "DONE", "canbo_kv1"),
        ("withdrawn", "DONE", None),
    ]
    assert process_status(transfer) == "DONE"


def test_withdraw_of_a_returned_request_ends_the_process_at_withdrawn(people, transfer):
    decide_change_request(
        change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.RETURN, comment="Bổ sung"
    )
    withdraw_change_request(change_request=transfer, user=people["canbo_kv1"])
    assert transfer.status == S.WITHDRAWN
    assert steps(transfer)[-2:] == [
        ("rework", "DONE", "canbo_kv1"),
        ("withdrawn", "DONE", None),
    ]
    assert process_status(transfer) == "DONE"


def test_a_stale_request_is_sent_back_by_the_apply_service_and_waits_for_rework(people, employee_kv1):
    first = propose_duties(employee_kv1, people["canbo_kv1"], "Đội 1")
    second = propose_duties(employee_kv1, people["canbo_kv1"], "Đội 2")
    decide_change_request(change_request=first, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    decide_change_request(change_request=second, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    assert first.status == S.APPLIED and second.status == S.RETURNED
    assert "Dữ liệu đã được thay đổi" in second.decision_comment
    assert steps(second)[-2:] == [
        ("apply", "DONE", None),
        ("rework", "ASSIGNED", "canbo_kv1"),
    ]
    assert Employee.objects.get(pk=employee_kv1.pk).main_duties == "Đội 1"


def test_a_single_update_refused_at_apply_time_goes_back_with_nothing_written(people, employee_kv1):
    """One update that nothing checks once written is checked, then written without a savepoint
    (changesets._refused_before_writing): refused at apply time, it goes back for rework with
    its decision kept, and nothing is written."""
    change_request = propose_duties(employee_kv1, people["canbo_kv1"])
    # what the apply's checks refuse now, as a rule changed since the submit would
    change_request.operations = [changesets.make_update(employee_kv1, {"full_name": "An"})]
    change_request.save(update_fields=["operations"])
    versions = Employee.history.filter(id=employee_kv1.pk).count()
    decide_change_request(change_request=change_request, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    assert change_request.status == S.RETURNED
    assert "Không áp dụng được" in change_request.decision_comment
    assert "Họ và tên phải gồm ít nhất họ và tên." in change_request.decision_comment
    employee = Employee.objects.get(pk=employee_kv1.pk)
    assert (employee.full_name, employee.main_duties) == (employee_kv1.full_name, employee_kv1.main_duties)
    assert Employee.history.filter(id=employee_kv1.pk).count() == versions
    assert change_request.decisions.get().decided_by == people["lanhdao_kv1"]
    assert steps(change_request)[-3:] == [
        ("approve", "DONE", "lanhdao_kv1"),
        ("apply", "DONE", None),
        ("rework", "ASSIGNED", "canbo_kv1"),
    ]
    # the apply task, written once, done, follows the approval, and the rework follows it
    approve, apply, rework = ChangeRequestTask.objects.filter(process_id=change_request.process_id).order_by("pk")[1:]
    assert list(apply.previous.all()) == [approve] and list(rework.previous.all()) == [apply]


def test_an_apply_step_its_block_does_not_finish_is_written_waiting(people, employee_kv1):
    """finished_in_this_block writes the apply task once it is done; should the block end before,
    the task is written then, waiting, linked to the approval, as viewflow would have."""
    change_request = propose_duties(employee_kv1, people["canbo_kv1"])
    flow = ChangeRequestFlow
    approve = open_task(change_request, flow.approve)
    with transaction.atomic(), flow.lock(change_request.process_id):
        change_request.status = S.APPROVED  # as the last approval leaves it: the flow goes to apply
        with finished_in_this_block(flow.apply):
            complete_human_task(change_request, flow.approve, people["lanhdao_kv1"])
            assert not ChangeRequestTask.objects.filter(process_id=change_request.process_id, flow_task=flow.apply)
    apply = ChangeRequestTask.objects.get(process_id=change_request.process_id, flow_task=flow.apply)
    assert apply.status == "NEW" and apply.finished is None
    assert list(apply.previous.all()) == [approve]


def test_services_refuse_what_the_state_or_the_task_does_not_allow(people, tree, employee_kv1, transfer):
    with pytest.raises(ValidationError):  # only an approved request is applied
        apply_change_request(change_request=transfer)
    # A second approver of KV1 may not decide a task the first one has taken.
    colleague = make_user("lanhdao2_kv1", (tree["kv1"], Role.APPROVER))
    with transaction.atomic(), ChangeRequestFlow.lock(transfer.process_id):
        task = ChangeRequestTask.objects.get(process_id=transfer.process_id, flow_task=ChangeRequestFlow.approve)
        ChangeRequestFlow.approve.activation_class(task).assign(people["lanhdao_kv1"])
    with pytest.raises(ValidationError, match="lanhdao_kv1"):
        decide_change_request(change_request=transfer, user=colleague, decision=Decision.APPROVE)
    with pytest.raises(ValidationError):  # not returned: nothing to resubmit
        resubmit_change_request(
            change_request=transfer, user=people["canbo_kv1"], operations=transfer.operations, reason="x"
        )
    with pytest.raises(PermissionDenied):
        withdraw_change_request(change_request=transfer, user=people["canbo_kv2"])
    transfer.refresh_from_db()
    assert transfer.status == S.SUBMITTED and not transfer.decisions.exists()
    assert steps(transfer)[-1] == ("approve", "ASSIGNED", "lanhdao_kv1")


# --- the import path: approved, then applied (or refused) by the import task's service ----------


@pytest.fixture
def approved_import(people, tree, settings, tmp_path):
    """A valid one-person file for KV1, validated and approved; the flow waits on the import."""
    settings.MEDIA_ROOT = str(tmp_path)
    row = {
        "citizen_id": "001085000099",
        "full_name": "Lê Văn Nhập",
        "date_of_birth": datetime.date(1985, 5, 5),
        "sex": "Nam",
        "rank_code": "01.003",
        "salary_step": 3,
        "salary_coefficient": Decimal("3.00"),
        "employment_status": "Công chức",
    }
    buffer = io.BytesIO()
    imports.build_workbook(rows={Employee: [row]}).save(buffer)
    upload = SimpleUploadedFile("nhap.xlsx", buffer.getvalue())
    batch = imports.create_import_batch(
        unit=tree["kv1"], uploaded_by=people["canbo_kv1"], upload=upload, reason="Nhập hồ sơ"
    )
    imports.validate_import_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    decide_change_request(change_request=batch.change_request, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    assert batch.change_request.status == S.APPROVED
    assert steps(batch.change_request)[-2:] == [("queue_import", "DONE", None), ("wait_import", "NEW", None)]
    return batch


def test_the_import_service_applies_the_file_and_ends_the_process(approved_import):
    imports.apply_import_batch(batch_id=approved_import.pk)
    change_request = ChangeRequest.objects.get(pk=approved_import.change_request_id)
    assert change_request.status == S.APPLIED and change_request.applied_at is not None
    assert Employee.objects.filter(citizen_id="001085000099").exists()
    assert steps(change_request)[-2:] == [
        ("wait_import", "DONE", None),
        ("end", "DONE", None),
    ]
    assert process_status(change_request) == "DONE"


def test_a_refused_import_goes_back_to_the_submitter_with_a_rework_task(approved_import, tree, loader):
    # Hired by another unit while the file waited: the import no longer applies as approved.
    make_employee(
        tree["kv2"], loader, citizen_id="001085000099", full_name="Lê Văn Nhập", date_of_birth=datetime.date(1985, 5, 5)
    )
    imports.apply_import_batch(batch_id=approved_import.pk)
    change_request = ChangeRequest.objects.get(pk=approved_import.change_request_id)
    assert change_request.status == S.RETURNED and "nhap.xlsx" in change_request.decision_comment
    assert steps(change_request)[-2:] == [
        ("wait_import", "DONE", None),
        ("rework", "ASSIGNED", "canbo_kv1"),
    ]


def test_the_flow_keeps_one_task_open_at_a_time():
    """ChangeRequestFlow.one_task_at_a_time lets an end skip asking whether other tasks are open: true
    only while no node opens a parallel path (a split, a join waiting for several, a boundary
    event beside a task), and every node leads to one next task at a time."""
    from viewflow.workflow.nodes import Join, Split
    from viewflow.workflow.nodes.boundary import BoundaryEventMixin

    assert ChangeRequestFlow.one_task_at_a_time
    for node in ChangeRequestFlow.instance.nodes():
        assert not isinstance(node, (Split, Join, BoundaryEventMixin)), node.name


def test_steps_route_by_the_request_and_the_former_gateways_still_name_nodes():
    """approve, apply, wait_import and rework choose their next step themselves (no gateway
    task is written: the tests above list every task); the gateways that stood between them
    stay nodes of the flow, reached by no step, so tasks recorded through them still load."""
    flow = ChangeRequestFlow.instance
    approve = ChangeRequestFlow.approve
    assert [node.name for node, _condition in approve._routes] == [
        "queue_import",
        "apply",
        "approve",
        "rework",
        "withdrawn",
        "rejected",
    ]
    assert {edge.dst.name for edge in ChangeRequestFlow.apply._outgoing()} == {"end", "rework"}
    assert {edge.dst.name for edge in ChangeRequestFlow.rework._outgoing()} == {"approve", "withdrawn"}
    reached = {edge.dst.name for node in flow.nodes() for edge in node._outgoing()}
    for name in ("route_decision", "check_applied", "route_resubmission"):
        assert flow.node(name, no_obsolete=True) is not None
        assert name not in reached
