"""Background exports (records.export_jobs): the job, its progress and failure, who may open
and download it, the sweeps, and a writer whose memory does not grow with the rows."""

import datetime
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from records.export_jobs import kinds, running, services
from records.export_jobs.employees import EMPLOYEE_LIST
from records.models import ExportJob, ExportLog
from tests.conftest import setup_context


class SyntheticExport(kinds.ExportKind):
    """A kind made in the test: `n` rows of ten cells from no table, optionally failing after
    `fail_after` rows, or calling `during` while the rows are written."""

    key = "test_synthetic"
    title = "Thử"
    log_kind = ExportLog.Kind.EMPLOYEE_LIST
    sheet_title = "Thử"
    file_prefix = "thu"

    def __init__(self, n=10, fail_after=None, during=None):
        self.n, self.fail_after, self.during = n, fail_after, during

    def may_export(self, user):
        return True

    def clean(self, user, data):
        return {}

    def describe(self, user, parameters):
        return "Thử"

    def header(self):
        return [f"Cột {i}" for i in range(10)]

    def count(self, user, parameters):
        return self.n

    def rows(self, user, parameters):
        for i in range(self.n):
            if self.fail_after is not None and i == self.fail_after:
                raise RuntimeError("the database went away")
            if self.during is not None and i == self.n // 2:
                self.during()
            yield [i, f"Nguyễn Văn {i}", datetime.date(1985, 3, 14), 3.0, "Chi cục Thuế", "", None, i * 2, "x" * 20, i]


@pytest.fixture
def synthetic():
    """Register a SyntheticExport for the test (reconfigured through the returned object)."""
    kind = kinds.register(SyntheticExport())
    yield kind
    kinds._KINDS.pop(kind.key)


@pytest.fixture
def staff(tree, loader, employee_kv1, employee_kv2):
    return [employee_kv1, employee_kv2]


def exported_files(settings) -> list:
    return [p for p in (Path(settings.MEDIA_ROOT) / "exports").rglob("*") if p.is_file()]


def start(user, kind, capture, **data):
    with capture(execute=True):
        job = services.start_export(user=user, kind=kind, data=data)
    job.refresh_from_db()
    return job


# --- progress and failure ------------------------------------------------------------------


def test_progress_is_written_once_per_chunk_and_the_job_ends_done(
    people, synthetic, monkeypatch, django_capture_on_commit_callbacks
):
    synthetic.n = 10
    monkeypatch.setattr(running, "PROGRESS_EVERY", 3)
    with CaptureQueriesContext(connection) as queries:
        job = start(people["canbo_kv1"], synthetic.key, django_capture_on_commit_callbacks)
    progress = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and '"rows_done" = 3' in q["sql"]]
    assert len(progress) == 1  # rows 3, 6, 9: one UPDATE each, then the final one
    updates = [q for q in queries if q["sql"].startswith("UPDATE") and "records_exportjob" in q["sql"]]
    assert len(updates) == 1 + 1 + 3 + 1  # taken, total, three chunks, done
    assert job.status == ExportJob.Status.DONE
    assert (job.rows_done, job.rows_total, job.progress_percent) == (10, 10, 100)
    assert job.file.name.startswith("exports/") and job.file_name.startswith("thu-")
    assert job.finished_at is not None and not job.error


def test_a_failure_marks_the_job_failed_with_a_message_and_offers_no_file(
    client, people, synthetic, settings, django_capture_on_commit_callbacks
):
    synthetic.n, synthetic.fail_after = 5000, 3000
    job = start(people["canbo_kv1"], synthetic.key, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED
    assert job.error.startswith("Có lỗi khi ghi tệp") and not job.file
    assert job.rows_done == 2000  # the last progress written before the failure
    assert exported_files(settings) == []
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("records:export-detail", args=[job.pk])).content.decode()
    assert "Có lỗi khi ghi tệp" in page and reverse("records:export-download", args=[job.pk]) not in page
    assert client.get(reverse("records:export-download", args=[job.pk])).status_code == 404
    assert not ExportLog.objects.exists()


def test_a_job_the_sweep_gave_up_while_it_ran_stays_failed_and_keeps_no_file(
    people, synthetic, settings, django_capture_on_commit_callbacks
):
    def sweep_now():
        settings.EXPORT_STALE_MINUTES = 5
        ExportJob.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=6))
        assert running.fail_stale_export_jobs() == 1

    synthetic.during = sweep_now
    job = start(people["canbo_kv1"], synthetic.key, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.FAILED and "gián đoạn" in job.error
    assert not job.file and exported_files(settings) == []


def test_the_sweep_fails_only_jobs_that_stopped_moving(people, settings):
    settings.EXPORT_STALE_MINUTES = 30
    user = people["canbo_kv1"]
    stale = ExportJob.objects.create(user=user, kind=EMPLOYEE_LIST.key, status=ExportJob.Status.RUNNING)
    lost = ExportJob.objects.create(user=user, kind=EMPLOYEE_LIST.key)  # its message never arrived
    fresh = ExportJob.objects.create(user=user, kind=EMPLOYEE_LIST.key, status=ExportJob.Status.RUNNING)
    ExportJob.objects.filter(pk__in=[stale.pk, lost.pk]).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert running.fail_stale_export_jobs() == 2
    statuses = dict(ExportJob.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: "failed", lost.pk: "failed", fresh.pk: "running"}
    # A worker that picks up the lost message later does nothing: only a queued job is taken.
    assert running.run_export_job(job_id=lost.pk) == ""


def test_the_daily_sweep_deletes_files_past_their_keeping_time(
    people, synthetic, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_KEEP_DAYS = 7
    old = start(people["canbo_kv1"], synthetic.key, django_capture_on_commit_callbacks)
    recent = start(people["canbo_kv1"], synthetic.key, django_capture_on_commit_callbacks)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    assert len(exported_files(settings)) == 2
    assert running.purge_old_export_files() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == ExportJob.Status.EXPIRED and not old.file
    assert recent.status == ExportJob.Status.DONE and recent.file
    assert [p.name for p in exported_files(settings)] == [Path(recent.file.name).name]


# --- pages: progress, and nobody but the owner --------------------------------------------


def test_the_job_page_shows_progress_until_done_then_the_download(client, people, staff):
    client.force_login(people["canbo_kv1"])
    response = client.post(reverse("records:employee-export"), {"q": "", "unit": ""})  # not run: no commit
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("records:export-detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "data-export-progress" in page and reverse("records:export-status", args=[job.pk]) in page
    assert "<script" not in page.split("</header>")[-1]  # the polling is in static/qlcb/qlcb.js
    status = client.get(reverse("records:export-status", args=[job.pk])).json()
    assert status == {
        "status": "queued",
        "label": "Đang chờ",
        "rows_done": 0,
        "rows_total": 0,
        "percent": 0,
        "running": True,
    }
    running.run_export_job(job_id=job.pk)
    page = client.get(response["Location"]).content.decode()
    assert "data-export-progress" not in page
    assert reverse("records:export-download", args=[job.pk]) in page
    assert client.get(reverse("records:export-status", args=[job.pk])).json()["running"] is False
    listing = client.get(reverse("records:export-list")).content.decode()
    assert reverse("records:export-detail", args=[job.pk]) in listing and "Danh sách cán bộ" in listing


def test_nobody_but_the_owner_sees_or_downloads_a_job(client, people, staff, django_capture_on_commit_callbacks):
    job = start(people["xem_cuc"], EMPLOYEE_LIST.key, django_capture_on_commit_callbacks)
    assert job.status == ExportJob.Status.DONE
    urls = [reverse(f"records:export-{page}", args=[job.pk]) for page in ("detail", "status", "download")]
    for other in ("canbo_kv1", "thanhtra_cuc"):  # may export, but not this job: it does not exist for them
        client.force_login(people[other])
        assert [client.get(url).status_code for url in urls] == [404] * 3, other
        assert urls[0] not in client.get(reverse("records:export-list")).content.decode()
    client.force_login(people["nobody"])  # may export nothing
    assert [client.get(url).status_code for url in urls] == [403] * 3
    assert not ExportLog.objects.exists()


def test_the_owner_who_lost_the_right_to_export_may_not_download(
    client, people, staff, loader, django_capture_on_commit_callbacks
):
    owner = people["xem_cuc"]
    job = start(owner, EMPLOYEE_LIST.key, django_capture_on_commit_callbacks)
    with setup_context(loader):
        owner.role_grants.get().delete()
    client.force_login(owner)
    assert client.get(reverse("records:export-download", args=[job.pk])).status_code == 403
    assert not ExportLog.objects.exists()


def test_a_job_whose_owner_lost_the_right_before_it_ran_fails(client, people, staff, loader):
    owner = people["xem_cuc"]
    job = services.start_export(user=owner, kind=EMPLOYEE_LIST.key, data={})  # queued, not yet run
    with setup_context(loader):
        owner.role_grants.get().delete()
    running.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error == "Bạn không còn quyền xuất dữ liệu này."


# --- bounded memory ------------------------------------------------------------------------


def _peak_bytes(kind, user, n) -> int:
    kind.n = n
    job = ExportJob(pk=0, user=user, kind=kind.key)
    with open("/dev/null", "wb") as sink:
        tracemalloc.start()
        try:
            assert running.write_xlsx(kind, job, sink) == n
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_the_writer_streams_rows_to_disk_so_memory_does_not_grow_with_them(people, synthetic, monkeypatch):
    monkeypatch.setattr(running, "PROGRESS_EVERY", 10**9)  # no job row to update here
    small = _peak_bytes(synthetic, people["canbo_kv1"], 2_000)
    large = _peak_bytes(synthetic, people["canbo_kv1"], 8_000)
    # Measured: 0.44 MB and 0.40 MB; an in-memory workbook takes 6.2 MB and 25 MB.
    assert large < small * 1.5, (small, large)  # four times the rows, not four times the memory


def test_the_employee_rows_are_streamed_from_the_database(people, staff, monkeypatch):
    """The rows come from a chunked iterator, not a list of every row."""
    seen = {}
    original = type(EMPLOYEE_LIST._queryset(people["xem_cuc"], {"q": "", "unit": None})).iterator

    def spy(queryset, chunk_size=None):
        seen["chunk_size"] = chunk_size
        return original(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(type(EMPLOYEE_LIST._queryset(people["xem_cuc"], {"q": "", "unit": None})), "iterator", spy)
    rows = EMPLOYEE_LIST.rows(people["xem_cuc"], {"q": "", "unit": None})
    assert not seen  # a generator: nothing is read before the writer asks
    assert len(list(rows)) == 2 and seen["chunk_size"] == 2000
