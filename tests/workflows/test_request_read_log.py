"""Issue 8, defect 9: the request pages show a person (name, birth date, CCCD as the reader may
see it, the values changed), so opening one is a read of that person, logged like opening the
file; a task taken or a decision posted (answered by a redirect) is not a second read."""

from django.urls import reverse

from records.audit import list_access_log
from records.models import AccessLog
from tests.conftest import rewriting_history
from tests.pages import submit_page
from tests.workflows.conftest import open_task, propose, salary_row, task_url
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest


def _submitted(client, people, employee):
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee, main_duties="Kiểm tra thuế").status_code == 302
    with rewriting_history():
        AccessLog.objects.all().delete()  # the officer's own reads while proposing
    return ChangeRequest.objects.get()


def test_opening_a_request_page_is_a_logged_read_of_its_person(client, people, employee_kv1):
    change_request = _submitted(client, people, employee_kv1)
    url = reverse("changerequest:process_detail", args=[change_request.process_id])
    client.force_login(people["xem_cuc"])
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.employee, entry.employee_name) == (people["xem_cuc"], employee_kv1, "Nguyễn Văn An")
    assert entry.kind == AccessLog.Kind.VIEW and entry.path == url and entry.ip_address == "192.0.2.7"
    # and the inspector above finds it in the access log
    assert list(list_access_log(user=people["thanhtra_cuc"])) == [entry]


def test_task_pages_are_logged_when_shown_but_taking_the_task_is_not_a_read(client, people, employee_kv1):
    change_request = _submitted(client, people, employee_kv1)
    task = open_task(change_request, ChangeRequestFlow.approve)
    client.force_login(people["lanhdao_kv1"])
    assert client.get(task_url(task, "detail")).status_code == 200
    assert client.post(task_url(task, "assign")).status_code == 302
    assert client.get(task_url(task, "execute")).status_code == 200
    logged = list(AccessLog.objects.order_by("pk").values_list("path", flat=True))
    assert logged == [task_url(task, "detail"), task_url(task, "execute")]
    assert all(e.employee == employee_kv1 for e in AccessLog.objects.all())


def test_a_request_out_of_scope_is_not_found_and_not_logged(client, people, employee_kv1):
    change_request = _submitted(client, people, employee_kv1)
    client.force_login(people["canbo_kv2"])
    assert client.get(reverse("changerequest:process_detail", args=[change_request.process_id])).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_new_hire_request_is_logged_under_the_proposed_name(client, people, tree):
    client.force_login(people["canbo_kv1"])
    response = submit_page(
        client,
        reverse("records:employee-new", args=[tree["kv1"].pk]),
        reason="Tiếp nhận theo QĐ 45/QĐ-CT",
        fields={
            "full_name": "Hoàng Minh Đức",
            "date_of_birth": "1995-07-20",
            "sex": "male",
            "citizen_id": "001095000777",
            "employment_status": "civil_servant",
        },
        # A new hire's salary is the salary-history row proposed with them.
        add={"salaryhistory": [salary_row(1, "2.34", on="2024-03-01", decision="45/QĐ-CT")]},
    )
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    client.force_login(people["xem_cuc"])
    page = client.get(reverse("changerequest:process_detail", args=[change_request.process_id])).content.decode()
    assert "001095000777" not in page  # masked for the reader above, as in a file
    entry = AccessLog.objects.get()
    assert entry.employee is None and entry.employee_name == "Hoàng Minh Đức" and entry.row_count == 1


def test_the_transfer_page_is_logged_like_the_change_page(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    assert client.get(reverse("records:employee-transfer", args=[employee_kv1.pk])).status_code == 200
    entry = AccessLog.objects.get()
    assert entry.kind == AccessLog.Kind.PROPOSE and entry.employee == employee_kv1
