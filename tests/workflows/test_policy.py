"""Approval policy as versioned data: levels from the org tree, edited in the UI, validated,
and kept by each request from the moment it is submitted."""

import pytest
from django.urls import reverse

from tests.conftest import add_personnel_department, make_user
from units.models import Role
from workflows.flows import ChangeRequestFlow
from workflows.models import ApprovalPolicy, ChangeRequest

from .conftest import decide, open_task, propose_step, task_url

TWO_LEVELS = {"category": "salary", "unit_kind": "sub_agency", "level_1": "unit_leader", "level_2": "parent_personnel"}


@pytest.fixture
def personnel(tree, loader):
    """The Cục's personnel department (Phòng Tổ chức cán bộ) with its head as approver."""
    department = add_personnel_department(tree, loader)
    return {"unit": department, "head": make_user("truongphong_tccb", (department, Role.APPROVER))}


@pytest.fixture
def ministry_admin(tree):
    return make_user("quantri_bo", (tree["ministry"], Role.UNIT_ADMIN))


def policy_rows(client, rows, note="Quyết định 15/QĐ-BTC"):
    """POST the policy editor with exactly `rows` (replacing what the page shows)."""
    page = client.get(reverse("policy:edit"))
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {
        "rules-TOTAL_FORMS": str(len(rows) + formset.initial_form_count()),
        "rules-INITIAL_FORMS": str(formset.initial_form_count()),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "note": note,
    }
    for index, form in enumerate(formset.initial_forms):  # keep the existing rules, each as it is
        for name, value in form.initial.items():
            data[f"rules-{index}-{name}"] = value
    for offset, row in enumerate(rows):
        index = formset.initial_form_count() + offset
        for name, value in row.items():
            data[f"rules-{index}-{name}"] = value
    return client.post(reverse("policy:edit"), data)


def queue_ids(client):
    return {t.process.change_request.pk for t in client.get(reverse("changerequest:queue")).context["object_list"]}


def test_two_level_policy_routes_rank_change_to_the_cuc_personnel_department(
    client, people, tree, employee_kv1, personnel, ministry_admin
):
    client.force_login(ministry_admin)
    response = policy_rows(client, [TWO_LEVELS])
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ApprovalPolicy.objects.count() == 2

    client.force_login(people["canbo_kv1"])
    assert propose_step(client, employee_kv1, 4, "3.33").status_code == 302
    request = ChangeRequest.objects.get()
    assert request.approval_units() == [tree["kv1"], personnel["unit"]]
    assert request.policy.version == 2

    kho_bac_leader = make_user("lanhdao_kb", (tree["kho_bac"], Role.APPROVER))
    for outsider in (kho_bac_leader, people["lanhdao_kv2"]):
        client.force_login(outsider)
        assert request.pk not in queue_ids(client)

    client.force_login(people["lanhdao_kv1"])
    page = client.get(task_url(open_task(request, ChangeRequestFlow.approve), "assign"))
    decide(client, request, "approve")
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.SUBMITTED and request.pending_unit == personnel["unit"]

    client.force_login(personnel["head"])
    assert request.pk in queue_ids(client)
    task = open_task(request, ChangeRequestFlow.approve)
    client.post(task_url(task, "assign"))
    page = client.get(task_url(task, "execute")).content.decode()
    assert (
        "Bộ phận tổ chức cán bộ của đơn vị cấp trên: Phòng Tổ chức cán bộ Cục Thuế — <strong>cấp đang xét</strong>"
        in page
    )
    assert "Lãnh đạo đơn vị quản lý: Chi cục Thuế khu vực I — đã phê duyệt" in page
    for outsider in (kho_bac_leader, people["lanhdao_kv2"]):
        client.force_login(outsider)
        assert request.pk not in queue_ids(client)
    client.force_login(personnel["head"])
    client.post(task_url(task, "execute"), {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.APPLIED
    assert employee_kv1.history.latest().approved_by == personnel["head"]


def test_policy_change_affects_new_requests_only(client, people, tree, employee_kv1, personnel, ministry_admin):
    client.force_login(ministry_admin)
    policy_rows(client, [TWO_LEVELS])
    client.force_login(people["canbo_kv1"])
    propose_step(client, employee_kv1, 4, "3.33")
    first = ChangeRequest.objects.get()

    client.force_login(ministry_admin)
    page = client.get(reverse("policy:edit"))
    formset = page.context["formset"]
    rows = [f.initial for f in formset.initial_forms if f.initial.get("unit_kind") != "sub_agency"]
    data = {
        "rules-TOTAL_FORMS": str(len(rows)),
        "rules-INITIAL_FORMS": str(len(rows)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "note": "Bỏ cấp thứ hai",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"rules-{index}-{name}"] = value
    assert client.post(reverse("policy:edit"), data).status_code == 302
    assert ApprovalPolicy.objects.count() == 3

    client.force_login(people["canbo_kv1"])
    assert propose_step(client, employee_kv1, 5, "3.66").status_code == 302
    second = ChangeRequest.objects.get(pk__gt=first.pk)
    first.refresh_from_db()
    assert len(first.approval_units()) == 2 and first.policy.version == 2
    assert second.approval_units() == [tree["kv1"]] and second.policy.version == 3


def test_unreachable_level_is_refused_and_no_version_is_made(client, ministry_admin, personnel):
    client.force_login(ministry_admin)
    response = policy_rows(client, [{"category": "unit", "unit_kind": "ministry", "level_1": "parent_leader"}])
    assert response.status_code == 200
    assert "không xác định được với Bộ Tài chính" in response.content.decode()
    assert ApprovalPolicy.objects.count() == 1


def test_only_ministry_administrators_edit_the_policy(client, people, tree):
    local_admin = make_user("quantri_kv1", (tree["kv1"], Role.UNIT_ADMIN))
    for user in (people["lanhdao_cuc"], local_admin):
        client.force_login(user)
        assert client.get(reverse("policy:edit")).status_code == 403
        assert client.get(reverse("policy:index")).status_code == 200
    client.force_login(people["nobody"])
    assert client.get(reverse("policy:index")).status_code == 403
