"""The employee list exported by a real Celery worker on Redis: "Xuất Excel" queues the job on
commit, the worker streams the file, the job page offers it and the download is logged."""

import io

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook

from records.models import ExportJob, ExportLog
from tests.integration.test_import_worker import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_worker_writes_the_export_and_its_owner_downloads_it(
    celery_worker_process, client, people, employee_kv1, employee_kv2, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the worker's VAR_DIR is tmp_path too
    client.force_login(people["xem_cuc"])
    response = client.post(reverse("records:employee-export"), {"q": "", "unit": ""})
    assert response.status_code == 302
    job = ExportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])

    def done():
        job.refresh_from_db()
        return job.status == ExportJob.Status.DONE

    wait_for(done, celery_worker_process)
    assert (job.rows_done, job.rows_total) == (2, 2)
    status = client.get(reverse("records:export-status", args=[job.pk])).json()
    assert status["status"] == "done" and status["running"] is False
    download = client.get(reverse("records:export-download", args=[job.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted([employee_kv1.full_name, employee_kv2.full_name])
    assert ExportLog.objects.get().row_count == 2


def test_the_worker_writes_the_timeline_pdf_report_and_its_owner_downloads_it(
    celery_worker_process, client, people, employee_kv1, settings, tmp_path
):
    """The timeline's PDF report with a row filter (status): the search and the report are the
    worker's, not the request's."""
    from tests.oversight.test_timeline import approve, propose

    settings.MEDIA_ROOT = str(tmp_path / "media")
    approve(propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Thanh tra nội bộ"}), people["lanhdao_kv1"])
    propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Kiểm tra thuế"})  # waiting: filtered out
    client.force_login(people["thanhtra_cuc"])
    response = client.post(reverse("oversight:timeline-pdf"), {"status": "applied"})
    assert response.status_code == 302
    job = ExportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])

    def finished():
        job.refresh_from_db()
        return job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)

    wait_for(finished, celery_worker_process)
    assert job.status == ExportJob.Status.DONE, job.error
    assert (job.rows_done, job.rows_total) == (1, 1) and job.file_name.endswith(".pdf")
    download = client.get(reverse("records:export-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    log = ExportLog.objects.get()
    assert log.kind == ExportLog.Kind.TIMELINE_PDF and log.row_count == 1
