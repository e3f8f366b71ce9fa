"""Issue 8 (layers): the employee page's panel of open requests is a workflows template tag (records
may not import workflows); the page still lists the person's open requests, as the reader may see them."""

from django.urls import reverse

from tests.workflows.conftest import propose
from workflows.models import ChangeRequest


def test_the_employee_page_lists_the_open_requests_about_the_person(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, main_duties="Kiểm tra thuế").status_code == 302
    change_request = ChangeRequest.objects.get()
    page = client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).content.decode()
    assert "Yêu cầu đang xử lý" in page
    assert reverse("changerequest:process_detail", args=[change_request.process_id]) in page


def test_without_open_requests_the_panel_is_not_shown(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).content.decode()
    assert "Yêu cầu đang xử lý" not in page
