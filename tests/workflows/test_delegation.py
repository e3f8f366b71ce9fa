"""Dated delegation: the delegate acts for the approver during the range only, history says
"acting for", and neither delegation nor extra grants let anyone approve their own request or
two levels of one request."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from units.models import Role, RoleGrant
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, Delegation
from workflows.services import create_delegation

from .conftest import decide, open_task, propose_step, task_url


def queue_ids(client):
    return {t.process.change_request.pk for t in client.get(reverse("changerequest:queue")).context["object_list"]}


@pytest.fixture
def deputy(tree):
    """A deputy head of KV1: a viewer there, to whom the head may delegate."""
    return make_user("phophong_kv1", (tree["kv1"], Role.VIEWER))


def test_delegation_for_next_week_works_only_during_its_range(client, people, employee_kv1, deputy):
    today = timezone.localdate()
    client.force_login(people["lanhdao_kv1"])
    response = client.post(
        reverse("delegations:index"),
        {
            "delegate": deputy.pk,
            "valid_from": (today + datetime.timedelta(days=7)).isoformat(),
            "valid_to": (today + datetime.timedelta(days=11)).isoformat(),
            "reason": "Đi công tác",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(people["canbo_kv1"])
    propose_step(client, employee_kv1, 4, "3.33")
    request = ChangeRequest.objects.get()

    client.force_login(deputy)
    assert request.pk not in queue_ids(client)  # today: nothing
    assert decide(client, request, "approve").status_code == 403

    with time_machine.travel(today + datetime.timedelta(days=8), tick=False):
        client.force_login(deputy)
        assert request.pk in queue_ids(client)
        task = open_task(request, ChangeRequestFlow.approve)
        client.post(task_url(task, "assign"))
        page = client.get(task_url(task, "execute")).content.decode()
        assert "Bạn quyết định thay cho" in page and "lanhdao_kv1" in page
        assert client.post(task_url(task, "execute"), {"decision": "approve"}).status_code == 302
        request.refresh_from_db()
        assert request.status == ChangeRequest.Status.APPLIED
        row = employee_kv1.history.latest()
        assert row.approved_by == deputy and row.approved_for == people["lanhdao_kv1"]
        history = client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode()
        assert "thay cho lanhdao_kv1, theo uỷ quyền" in history
        decision = request.decisions.get()
        assert decision.acting_for == people["lanhdao_kv1"]

    with time_machine.travel(today + datetime.timedelta(days=12), tick=False):
        client.force_login(people["canbo_kv1"])
        propose_step(client, employee_kv1, 5, "3.66")
        later = ChangeRequest.objects.latest("pk")
        client.force_login(deputy)
        assert later.pk not in queue_ids(client)  # expired by itself
        assert decide(client, later, "approve").status_code == 403


def test_delegation_never_lets_anyone_approve_their_own_request(client, people, tree, employee_kv1):
    officer = people["canbo_kv1"]
    create_delegation(
        delegator=people["lanhdao_kv1"],
        delegate=officer,
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate(),
        reason="Nghỉ phép",
    )
    client.force_login(officer)
    propose_step(client, employee_kv1, 4, "3.33")
    request = ChangeRequest.objects.get()
    assert request.pk not in queue_ids(client)
    assert decide(client, request, "approve").status_code == 403
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.SUBMITTED


def test_one_person_never_approves_two_levels_even_with_grants_or_delegation(
    client, people, tree, employee_kv1, deputy
):
    leader = people["lanhdao_kv1"]
    RoleGrant.objects.create(user=leader, unit=tree["kv2"], role=Role.APPROVER)  # also approves KV2
    client.force_login(people["canbo_kv1"])
    client.post(
        reverse("records:employee-transfer", args=[employee_kv1.pk]),
        {"target_unit": tree["kv2"].pk, "reason": "Điều động"},
    )
    transfer = ChangeRequest.objects.get()

    client.force_login(leader)
    assert decide(client, transfer, "approve").status_code == 302  # level 1 (KV1)
    transfer.refresh_from_db()
    assert transfer.pending_unit == tree["kv2"]
    assert transfer.pk not in queue_ids(client)
    assert decide(client, transfer, "approve").status_code == 403  # not level 2 as well

    # Nor through someone acting for them: KV2's head delegates to the KV1 leader.
    create_delegation(
        delegator=people["lanhdao_kv2"],
        delegate=leader,
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate(),
        reason="Đi học",
    )
    assert decide(client, transfer, "approve").status_code == 403
    # And a delegate may not act for the approver who already decided level 1.
    create_delegation(
        delegator=leader, delegate=deputy, valid_from=timezone.localdate(), valid_to=timezone.localdate(), reason="Vắng"
    )
    client.force_login(deputy)
    assert transfer.pk not in queue_ids(client)

    client.force_login(people["lanhdao_kv2"])
    assert decide(client, transfer, "approve").status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.APPLIED


def test_delegate_must_be_a_colleague_and_dates_must_make_sense(client, people, tree):
    client.force_login(people["lanhdao_kv1"])
    today = timezone.localdate()
    outsider = people["canbo_kv2"]
    response = client.post(
        reverse("delegations:index"),
        {"delegate": outsider.pk, "valid_from": today.isoformat(), "valid_to": today.isoformat(), "reason": "x"},
    )
    assert response.status_code == 200 and not Delegation.objects.exists()
    response = client.post(
        reverse("delegations:index"),
        {
            "delegate": people["canbo_kv1"].pk,
            "valid_from": today.isoformat(),
            "valid_to": (today - datetime.timedelta(days=1)).isoformat(),
            "reason": "x",
        },
    )
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    client.force_login(people["canbo_kv1"])  # not an approver: cannot delegate
    assert client.get(reverse("delegations:index")).status_code == 403


def test_the_delegation_services_ask_the_same_rules_as_the_page(people, deputy):
    """create_delegation and revoke_delegation ask workflows.permissions (can_delegate_to,
    can_revoke_delegation): a disabled colleague is no candidate, and a delegation is revoked by
    the approver who gave it or a superuser, never by another approver."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from workflows.services import revoke_delegation

    today = timezone.localdate()
    deputy.is_active = False
    deputy.save()
    with pytest.raises(ValidationError):
        create_delegation(
            delegator=people["lanhdao_kv1"], delegate=deputy, valid_from=today, valid_to=today, reason="Nghỉ phép"
        )
    deputy.is_active = True
    deputy.save()
    delegation = create_delegation(
        delegator=people["lanhdao_kv1"], delegate=deputy, valid_from=today, valid_to=today, reason="Nghỉ phép"
    )
    with pytest.raises(PermissionDenied):
        revoke_delegation(delegation=delegation, user=people["lanhdao_kv2"])
    admin = make_user("quantri_he_thong")
    admin.is_superuser = True
    admin.save()
    revoke_delegation(delegation=delegation, user=admin)
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
