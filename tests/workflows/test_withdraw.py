"""Issue 8, defect 11: an officer may withdraw their own request while no level has decided it,
from the request's page; the button is shown exactly when the withdrawal is allowed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import make_user
from units.models import Role
from workflows.models import ChangeRequest, ChangeRequestTask, Decision
from workflows.services import (
    decide_change_request,
    submit_transfer,
    withdraw_change_request,
)

WITHDRAW_BUTTON = "qlcb-withdraw"


def request_page(client, change_request) -> str:
    response = client.get(reverse("changerequest:process_detail", args=[change_request.process_id]))
    assert response.status_code == 200
    return response.content.decode()


def withdraw_url(change_request) -> str:
    return reverse("changerequest:withdraw", args=[change_request.process_id])


@pytest.fixture
def transfer(people, tree, employee_kv1):
    """KV1 → KV2, awaiting KV1's head (level 1 of 2)."""
    return submit_transfer(
        employee=employee_kv1, target_unit=tree["kv2"], submitted_by=people["canbo_kv1"], reason="Điều động"
    )


def test_submitter_withdraws_before_any_decision_and_the_flow_ends(client, people, transfer):
    client.force_login(people["canbo_kv1"])
    page = request_page(client, transfer)
    assert WITHDRAW_BUTTON in page and withdraw_url(transfer) in page
    assert client.get(withdraw_url(transfer)).status_code == 200

    response = client.post(withdraw_url(transfer))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.WITHDRAWN
    assert transfer.process.status == "DONE"
    last = ChangeRequestTask.objects.filter(process_id=transfer.process_id).latest("pk")
    assert last.flow_task.name == "withdrawn" and last.status == "DONE"
    # Over: no button, and the page refuses a second withdrawal.
    assert WITHDRAW_BUTTON not in request_page(client, transfer)
    assert client.post(withdraw_url(transfer)).status_code == 403


def test_no_withdrawal_once_a_level_has_approved(client, people, transfer):
    decide_change_request(change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    client.force_login(people["canbo_kv1"])
    assert WITHDRAW_BUTTON not in request_page(client, transfer)
    assert client.get(withdraw_url(transfer)).status_code == 403
    assert client.post(withdraw_url(transfer)).status_code == 403
    with pytest.raises(ValidationError, match="đã được phê duyệt ở ít nhất một cấp"):
        withdraw_change_request(change_request=transfer, user=people["canbo_kv1"])
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.SUBMITTED and transfer.current_level == 1


def test_a_returned_request_may_be_withdrawn_from_its_page(client, people, transfer):
    decide_change_request(
        change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.RETURN, comment="Bổ sung"
    )
    client.force_login(people["canbo_kv1"])
    assert WITHDRAW_BUTTON in request_page(client, transfer)
    assert client.post(withdraw_url(transfer)).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.WITHDRAWN and transfer.process.status == "DONE"


def test_nobody_but_the_submitter_withdraws(client, people, tree, transfer):
    colleague = make_user("canbo2_kv1", (tree["kv1"], Role.OFFICER))
    for user in (colleague, people["lanhdao_kv1"], people["lanhdao_cuc"]):
        client.force_login(user)
        assert WITHDRAW_BUTTON not in request_page(client, transfer), user
        assert client.get(withdraw_url(transfer)).status_code == 403, user
        assert client.post(withdraw_url(transfer)).status_code == 403, user
    client.force_login(people["canbo_kb"])  # cannot see the request at all
    assert client.post(withdraw_url(transfer)).status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.SUBMITTED
