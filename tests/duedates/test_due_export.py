"""The due lists' xlsx export through the page: a background job (records.export_jobs) whose
file holds the rows the page shows, with the same filters, masking and "as of" date; refused
to those who may not export; logged when downloaded."""

import io

import openpyxl
import pytest
from django.urls import reverse

from records.export_jobs import running
from records.models import ExportJob, ExportLog
from tests.duedates.test_due_pages import staff  # noqa: F401  (the fixture)

EXPORT = "duedates:due-export"


def workbook_rows(client, job) -> list[list]:
    response = client.get(reverse("records:export-download", args=[job.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.usefixtures("staff")
def test_the_export_holds_the_filtered_rows(client_for, people, tree):
    client = client_for(people["xem_cuc"])
    response = client.post(reverse(EXPORT), {"kind": "salary_step", "unit": tree["kv2"].pk})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("records:export-detail", args=[job.pk])
    assert running.run_export_job(job_id=job.pk) == ExportJob.Status.DONE
    rows = workbook_rows(client, job)
    assert rows[0][:5] == ["STT", "Họ và tên", "Đơn vị", "Loại việc", "Đến hạn"]
    assert [(r[1], r[3], r[4]) for r in rows[1:]] == [("Trần Thị Bình", "Nâng bậc lương thường xuyên", "01/06/2027")]
    assert "Bậc hiện hưởng 2 từ ngày 01/06/2024" in rows[1][9]
    log = ExportLog.objects.get()
    assert log.kind == ExportLog.Kind.DUE_LIST and log.row_count == 1


@pytest.mark.usefixtures("staff")
def test_the_export_masks_sanctions_for_upper_units_and_follows_the_as_of_date(client_for, people):
    client = client_for(people["xem_cuc"])
    client.post(reverse(EXPORT), {"kind": "salary_step", "q": "an", "as_of": "2030-01-01", "overdue": "on"})
    job = ExportJob.objects.get()
    running.run_export_job(job_id=job.pk)
    rows = workbook_rows(client, job)
    assert [(r[1], r[4]) for r in rows[1:]] == [("Nguyễn Văn An", "14/09/2026")]
    assert "Cảnh cáo" not in rows[1][9] and "(nội dung được bảo vệ)" in rows[1][9]


@pytest.mark.usefixtures("staff")
def test_bad_filters_are_refused_with_a_vietnamese_message_and_no_job(client_for, people):
    client = client_for(people["canbo_kv1"])
    response = client.post(reverse(EXPORT), {"due_to": "32/13/2026"})
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.usefixtures("staff")
def test_an_outsider_may_not_export(client_for, people):
    assert client_for(people["nobody"]).post(reverse(EXPORT), {}).status_code == 403
    assert not ExportJob.objects.exists()
