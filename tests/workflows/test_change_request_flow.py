"""The whole loop through real URLs: propose → queue → approve → apply → history."""

from decimal import Decimal

from django.urls import reverse

from records.models import Employee
from tests.pages import submit_page
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest

from .conftest import decide, open_task, propose, propose_step, task_url


def queue_ids(client):
    response = client.get(reverse("changerequest:queue"))
    assert response.status_code == 200
    return {task.process.change_request.pk for task in response.context["object_list"]}


def test_officer_proposal_is_approved_applied_and_recorded(client, people, employee_kv1, submitted):
    assert submitted.status == ChangeRequest.Status.SUBMITTED
    assert submitted.operations == [
        {
            "action": "create",
            "model": "records.salaryhistory",
            "pk": None,
            "values": {
                "effective_date": "2022-01-01",
                "rank_code": "01.003",
                "salary_step": 4,
                "salary_coefficient": "3.33",
                "decision_number": "15/QĐ-CCT",
                "decision_date": None,
                "employee": employee_kv1.pk,
            },
        }
    ]
    assert submitted.unit == employee_kv1.managing_unit

    client.force_login(people["lanhdao_kv1"])
    assert submitted.pk in queue_ids(client)
    response = decide(client, submitted, "approve")
    assert response.status_code == 302

    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.APPLIED
    employee = Employee.objects.get(pk=employee_kv1.pk)
    assert employee.salary_step == 4
    assert employee.salary_coefficient == Decimal("3.33")
    assert submitted.process.status == "DONE"

    row = employee.history.latest()
    assert row.proposed_by == people["canbo_kv1"]
    assert row.approved_by == people["lanhdao_kv1"]
    assert row.history_user == people["lanhdao_kv1"]
    assert row.history_change_reason == "Nâng bậc lương thường xuyên theo QĐ 123/QĐ-CCT"
    assert row.change_request == submitted


def test_history_page_shows_old_new_proposer_approver_and_reason(client, people, employee_kv1, submitted):
    client.force_login(people["lanhdao_kv1"])
    decide(client, submitted, "approve")
    client.force_login(people["thanhtra_cuc"])
    page = client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode()
    assert "Bậc lương" in page
    assert '<td class="qlcb-old">3</td><td class="qlcb-new">4</td>' in page
    assert "canbo_kv1" in page and "lanhdao_kv1" in page
    assert "Nâng bậc lương thường xuyên theo QĐ 123/QĐ-CCT" in page
    assert reverse("changerequest:process_detail", args=[submitted.process_id]) in page


def test_other_unit_approver_does_not_see_or_take_the_task(client, people, submitted):
    client.force_login(people["lanhdao_kv2"])
    assert submitted.pk not in queue_ids(client)
    task = open_task(submitted, ChangeRequestFlow.approve)
    assert client.post(task_url(task, "assign")).status_code == 404
    assert client.get(reverse("changerequest:process_detail", args=[submitted.process_id])).status_code == 404
    assert client.get(reverse("changerequest:process_list")).context["object_list"] == []
    assert client.get(reverse("changerequest:task_list")).context["object_list"] == []


def test_upper_unit_approver_sees_but_cannot_approve(client, people, submitted):
    client.force_login(people["lanhdao_cuc"])
    assert submitted.pk not in queue_ids(client)
    assert client.get(reverse("changerequest:process_detail", args=[submitted.process_id])).status_code == 200
    task = open_task(submitted, ChangeRequestFlow.approve)
    assert client.post(task_url(task, "assign")).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.SUBMITTED


def test_upper_unit_user_cannot_propose(client, people, employee_kv1):
    client.force_login(people["lanhdao_cuc"])
    assert client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).status_code == 200
    assert propose_step(client, employee_kv1, 5, "3.66").status_code == 403
    assert not ChangeRequest.objects.exists()


def test_sibling_unit_officer_gets_404(client, people, employee_kv1):
    client.force_login(people["canbo_kv2"])
    assert client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).status_code == 404
    assert client.get(reverse("records:employee-history", args=[employee_kv1.pk])).status_code == 404
    assert propose_step(client, employee_kv1, 5, "3.66").status_code == 404
    assert not ChangeRequest.objects.exists()


def test_inspector_cannot_write(client, people, employee_kv1, submitted):
    client.force_login(people["thanhtra_cuc"])
    assert client.get(reverse("records:employee-history", args=[employee_kv1.pk])).status_code == 200
    assert propose_step(client, employee_kv1, 6, "3.99").status_code == 403
    task = open_task(submitted, ChangeRequestFlow.approve)
    assert client.post(task_url(task, "assign")).status_code == 403
    assert client.post(task_url(task, "execute"), {"decision": "approve"}).status_code == 403
    assert ChangeRequest.objects.count() == 1


def test_submitter_cannot_approve_own_request(client, tree, people, employee_kv1):
    from units.models import Role, RoleGrant

    officer = people["canbo_kv1"]
    RoleGrant.objects.create(user=officer, unit=tree["kv1"], role=Role.APPROVER)
    client.force_login(officer)
    assert propose_step(client, employee_kv1, 4, "3.33").status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.pk not in queue_ids(client)
    assert decide(client, change_request, "approve").status_code == 403
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.SUBMITTED
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3


def test_stale_base_is_refused_and_returned_for_rework(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    propose_step(client, employee_kv1, 4, "3.33", reason="Nâng bậc")
    propose(client, employee_kv1, main_duties="Đội trưởng đội kiểm tra", reason="Giao nhiệm vụ")
    first, second = ChangeRequest.objects.order_by("pk")

    client.force_login(people["lanhdao_kv1"])
    decide(client, first, "approve")
    decide(client, second, "approve")

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ChangeRequest.Status.APPLIED
    assert second.status == ChangeRequest.Status.RETURNED
    employee = Employee.objects.get(pk=employee_kv1.pk)
    assert employee.main_duties == ""  # the stale proposal was not applied
    rework = open_task(second, ChangeRequestFlow.rework)
    assert rework.owner == people["canbo_kv1"]

    # The submitter re-proposes against the current record and it goes through.
    client.force_login(people["canbo_kv1"])
    inbox = client.get(reverse("changerequest:inbox")).context["object_list"]
    assert rework.pk in {t.pk for t in inbox}
    response = submit_page(client, task_url(rework, "execute"), reason="Giao nhiệm vụ (gửi lại)")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == ChangeRequest.Status.SUBMITTED
    assert second.operations[0]["base"] == employee.history.latest().history_id
    assert second.operations[0]["values"] == {"main_duties": "Đội trưởng đội kiểm tra"}

    client.force_login(people["lanhdao_kv1"])
    decide(client, second, "approve")
    assert Employee.objects.get(pk=employee_kv1.pk).main_duties == "Đội trưởng đội kiểm tra"


def test_returned_request_goes_back_to_submitter_and_can_be_withdrawn(client, people, submitted):
    client.force_login(people["lanhdao_kv1"])
    response = decide(client, submitted, "return", "")
    assert response.status_code == 200  # a comment is required to return
    assert "Phải ghi ý kiến" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.SUBMITTED

    response = client.post(
        task_url(open_task(submitted, ChangeRequestFlow.approve), "execute"),
        {"decision": "return", "comment": "Thiếu số quyết định"},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.RETURNED

    rework = open_task(submitted, ChangeRequestFlow.rework)
    client.force_login(people["lanhdao_kv1"])
    assert client.post(task_url(rework, "execute"), {"_withdraw": "1"}).status_code == 403
    client.force_login(people["canbo_kv1"])
    assert client.post(task_url(rework, "execute"), {"_withdraw": "1"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.WITHDRAWN
    assert submitted.process.status == "DONE"


def test_rejected_request_changes_nothing(client, people, employee_kv1, submitted):
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, submitted, "reject", "Không đủ điều kiện nâng bậc").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.REJECTED
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3
    assert employee_kv1.history.count() == 1


def test_invalid_proposal_shows_vietnamese_errors_and_saves_nothing(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, citizen_id="12345")
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số." in response.content.decode()
    response = propose(client, employee_kv1, reason="")
    assert response.status_code == 200
    assert not ChangeRequest.objects.exists()


def test_proposal_without_any_change_is_refused(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1)
    assert response.status_code == 200
    assert "Không có thay đổi nào" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_task_pages_render_for_the_approver(client, people, submitted):
    client.force_login(people["lanhdao_kv1"])
    task = open_task(submitted, ChangeRequestFlow.approve)
    client.post(task_url(task, "assign"))
    page = client.get(task_url(task, "execute")).content.decode()
    assert "Nâng bậc lương thường xuyên" in page
    assert '<td class="qlcb-old">3</td><td class="qlcb-new">4</td>' in page
    assert client.get(reverse("changerequest:process_detail", args=[submitted.process_id])).status_code == 200
    assert client.get(reverse("changerequest:index")).status_code == 200
    assert client.get(reverse("changerequest:inbox")).status_code == 200
