"""Import pages: who may upload and see batches, progress polling, the error report and the
employee file's query bound (split from test_import.py)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from records.models import Employee, Evaluation, ExportLog, FamilyMember, Training, WorkHistory
from tests.records.test_import import (  # noqa: F401 (fixtures and helpers)
    REASON,
    approve,
    cccd,
    people_rows,
    person,
    upload,
    xlsx,
)
from workflows import imports
from workflows.models import ImportBatch


def test_only_officers_of_the_unit_upload(client, tree, people):
    client.force_login(people["xem_cuc"])
    assert client.get(reverse("records:import-new")).status_code == 403
    client.force_login(people["canbo_kv2"])
    response = client.post(
        reverse("records:import-new"), {"unit": tree["kv1"].pk, "file": xlsx(people_rows(1)), "reason": REASON}
    )
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    with pytest.raises(PermissionDenied):
        imports.create_import_batch(
            unit=tree["kv1"], uploaded_by=people["lanhdao_kv1"], upload=xlsx(people_rows(1)), reason=REASON
        )


def test_batch_pages_are_visible_to_users_who_see_the_unit_and_404_to_others(
    officer, client, tree, people, django_capture_on_commit_callbacks
):
    rows = people_rows(2)
    rows[Employee][0]["sex"] = "Không rõ"
    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)
    urls = [reverse(f"records:{name}", args=[batch.pk]) for name in ("import-detail", "import-status", "import-errors")]

    client.force_login(people["xem_cuc"])
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    assert batch.pk in [b.pk for b in client.get(reverse("records:import-list")).context["page"]]
    client.force_login(people["canbo_kv2"])
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert len(client.get(reverse("records:import-list")).context["page"]) == 0


def test_status_endpoint_reports_progress_and_the_error_report_is_logged(
    officer, tree, people, django_capture_on_commit_callbacks
):
    rows = people_rows(2)
    rows[Employee][1]["citizen_id"] = "12345"
    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)

    status = officer.get(reverse("records:import-status", args=[batch.pk])).json()
    assert status == {
        "status": "invalid",
        "label": "Có lỗi, không nhập",
        "rows_done": 10,
        "rows_total": 10,
        "percent": 100,
        "running": False,
    }

    response = officer.get(reverse("records:import-errors", args=[batch.pk]))
    assert response.status_code == 200
    report = load_workbook(io.BytesIO(response.getvalue())).active
    assert ("Cán bộ", 4, "Số CCCD", "A4", "Số CCCD phải gồm đúng 12 chữ số.") in list(
        report.iter_rows(values_only=True)
    )
    log = ExportLog.objects.get()
    # The sub-records of that person now name a CCCD found nowhere: four more rows.
    assert log.kind == ExportLog.Kind.IMPORT_REPORT and log.user == people["canbo_kv1"] and log.row_count == 5


def test_a_queued_batch_page_polls_its_status(officer, tree, people):
    batch = imports.create_import_batch(
        unit=tree["kv1"], uploaded_by=people["canbo_kv1"], upload=xlsx(people_rows(1)), reason=REASON
    )
    # The validation task is queued on commit, which the test transaction never reaches.
    page = officer.get(reverse("records:import-detail", args=[batch.pk])).content.decode()
    assert reverse("records:import-status", args=[batch.pk]) in page and "<progress" in page
    assert officer.get(reverse("records:import-status", args=[batch.pk])).json()["running"] is True


# --- speed ----------------------------------------------------------------------------------


def test_employee_file_page_takes_the_same_few_queries_whatever_the_number_of_rows(
    officer, client, tree, people, django_capture_on_commit_callbacks
):
    rows = {
        Employee: [person(1), person(2)],
        WorkHistory: [
            {
                "citizen_id": cccd(2),
                "start_date": datetime.date(1990 + i, 1, 1),
                "end_date": datetime.date(1990 + i, 12, 31),
                "organisation": f"Đơn vị {i}",
                "title": "Chuyên viên",
            }
            for i in range(30)
        ]
        + [{"citizen_id": cccd(1), "start_date": "01/01/2000", "organisation": "Đơn vị", "title": "Chuyên viên"}],
        Training: [
            {
                "citizen_id": c,
                "kind": "Bồi dưỡng",
                "name": f"Khoá {i}",
                "start_date": datetime.date(2000 + i, 1, 1),
                "end_date": datetime.date(2000 + i, 2, 1),
            }
            for c, n in ((cccd(2), 20), (cccd(1), 1))
            for i in range(n)
        ],
        Evaluation: [
            {"citizen_id": c, "year": 2000 + i, "rating": "Hoàn thành nhiệm vụ"}
            for c, n in ((cccd(2), 25), (cccd(1), 1))
            for i in range(n)
        ],
        FamilyMember: [
            {"citizen_id": c, "relation": "Con", "full_name": f"Nguyễn Văn Con {i}", "birth_year": 2000 + i}
            for c, n in ((cccd(2), 10), (cccd(1), 1))
            for i in range(n)
        ],
    }
    approve(
        client,
        people["lanhdao_kv1"],
        upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks),
        capture=django_capture_on_commit_callbacks,
    )
    counts = {}
    client.force_login(people["canbo_kv1"])
    client.get(reverse("notifications:index"))  # the bell's figure read once, then kept (issue 10)
    for n in (1, 2):
        pk = Employee.objects.get(citizen_id=cccd(n)).pk
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("records:employee-detail", args=[pk])).status_code == 200
        counts[n] = len(queries)
    assert counts[1] == counts[2] <= 15


def test_officers_reach_the_import_from_the_employee_list_and_the_unit_page(officer, client, tree, people):
    new = reverse("records:import-new") + f"?unit={tree['kv1'].pk}"
    assert reverse("records:import-list") in officer.get(reverse("records:employee-list")).content.decode()
    assert new in officer.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).content.decode()
    assert officer.get(new).context["form"]["unit"].value() == str(tree["kv1"].pk)
    client.force_login(people["xem_cuc"])
    assert new not in client.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).content.decode()
