"""Issue 8, defect 2: every page that describes a person masks what the reader may not see
exactly as the person's own page does. The CCCD ("Cán bộ: <name>, <birth date>, CCCD …") was
printed on the history page and the request page to upper-unit viewers and administrators."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.workflows.conftest import decide, open_task, propose, task_url
from units.models import Role
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ImportBatch

CCCD = "001085000001"  # employee_kv1's


@pytest.fixture
def readers(tree, people):
    """Who reads KV1's files from above (as xem.bo, xem.cucthue, quantri.bo, quantri.cucthue
    in the demo), and who reads them with the right to see identity numbers."""
    return {
        "masked": {
            "xem_bo": make_user("xem_bo", (tree["ministry"], Role.VIEWER)),
            "xem_cuc": people["xem_cuc"],
            "quantri_bo": make_user("quantri_bo", (tree["ministry"], Role.UNIT_ADMIN)),
            "quantri_cuc": make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN)),
            "lanhdao_cuc": people["lanhdao_cuc"],  # approver and officer of the Cục, not of KV1
        },
        "shown": {
            "canbo_kv1": people["canbo_kv1"],
            "lanhdao_kv1": people["lanhdao_kv1"],
            "thanhtra_cuc": people["thanhtra_cuc"],  # inspectors see their subtree's files whole
        },
    }


@pytest.fixture
def requests_about_an(client, people, employee_kv1):
    """One applied request (in the file's history) and one awaiting approval."""
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, main_duties="Kiểm tra thuế").status_code == 302
    client.force_login(people["lanhdao_kv1"])
    decide(client, ChangeRequest.objects.get(), "approve")
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, foreign_language="Tiếng Anh B2").status_code == 302
    applied, pending = ChangeRequest.objects.order_by("pk")
    assert applied.status == ChangeRequest.Status.APPLIED and pending.status == ChangeRequest.Status.SUBMITTED
    return applied, pending


def pages(employee, applied, pending):
    approval = open_task(pending, ChangeRequestFlow.approve)
    return {
        "file": reverse("records:employee-detail", args=[employee.pk]),
        "history": reverse("records:employee-history", args=[employee.pk]),
        "applied request": reverse("changerequest:process_detail", args=[applied.process_id]),
        "pending request": reverse("changerequest:process_detail", args=[pending.process_id]),
        "approval task": task_url(approval, "detail"),
    }


def test_upper_unit_readers_never_see_the_cccd_on_any_page_about_the_person(
    client, readers, employee_kv1, requests_about_an
):
    for username, user in readers["masked"].items():
        client.force_login(user)
        for name, url in pages(employee_kv1, *requests_about_an).items():
            response = client.get(url)
            assert response.status_code == 200, (username, name)
            assert CCCD not in response.content.decode(), f"{username} sees the CCCD on the {name} page"


def test_history_and_request_pages_describe_the_person_with_the_cccd_masked(
    client, readers, employee_kv1, requests_about_an
):
    client.force_login(readers["masked"]["xem_bo"])
    urls = pages(employee_kv1, *requests_about_an)
    for name in ("history", "applied request", "pending request"):
        assert "Nguyễn Văn An, 14/03/1985, CCCD •••" in client.get(urls[name]).content.decode(), name


def test_the_managing_unit_and_inspectors_still_see_it(client, readers, employee_kv1, requests_about_an):
    for username, user in readers["shown"].items():
        client.force_login(user)
        urls = pages(employee_kv1, *requests_about_an)
        for name in ("file", "history", "pending request"):
            assert CCCD in client.get(urls[name]).content.decode(), (username, name)


def test_the_import_summary_masks_the_cccds_of_the_people_it_updates(client, settings, tmp_path, tree, people, readers):
    settings.MEDIA_ROOT = str(tmp_path)
    batch = ImportBatch.objects.create(
        unit=tree["kv1"],
        uploaded_by=people["canbo_kv1"],
        file="imports/x.xlsx",
        file_name="x.xlsx",
        sha256="0" * 64,
        reason="Nhập thử",
        status=ImportBatch.Status.SUBMITTED,
        summary={
            "rows": 1,
            "people": 1,
            "sheets": [{"title": "Cán bộ", "created": 0, "updated": 1, "unchanged": 0}],
            "updated_people": [{"row": 4, "citizen_id": CCCD, "full_name": "Nguyễn Văn An", "fields": ["Bậc lương"]}],
        },
    )
    url = reverse("records:import-detail", args=[batch.pk])
    client.force_login(readers["masked"]["xem_bo"])
    page = client.get(url).content.decode()
    assert "Nguyễn Văn An" in page and CCCD not in page
    client.force_login(people["canbo_kv1"])
    assert CCCD in client.get(url).content.decode()
