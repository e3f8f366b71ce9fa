"""The task's work: stream a job's rows into an xlsx file (openpyxl write-only: rows go to disk
as they are appended), record progress once per chunk, store the file only when it is whole;
and the sweeps: jobs whose worker died, files past their keeping time."""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..exports import new_sheet, xlsx_cell, xlsx_row
from ..models import ExportJob
from .kinds import get_kind

logger = logging.getLogger(__name__)

# Progress is written once per this many rows: one UPDATE, a few a second at full speed.
PROGRESS_EVERY = 2000


class ExportRefused(Exception):
    """The job may not run (any more): the user lost the right, or the unit left their scope.
    The message is shown on the job page."""


def run_export_job(*, job_id: int) -> str:
    """Write the file of a queued job and offer it. Safe to run twice: only a queued job is
    taken. Any failure marks the job failed with a message and stores no file."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, rows_done=0, updated_at=timezone.now()
    ):
        return ""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            stored = _write(job)
        except ExportRefused as exc:
            return _fail(job, str(exc))
        except Exception:
            logger.exception("Export job %s failed", job_id)
            return _fail(job, _("Có lỗi khi ghi tệp nên không có tệp nào được tạo. Hãy xuất lại sau ít phút."))
    # The sweep may have given the job up meanwhile (fail_stale_export_jobs): then it stays
    # failed and the file goes.
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE,
        file=stored["name"],
        file_name=stored["file_name"],
        rows_done=stored["rows"],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    ):
        ExportJob.file.field.storage.delete(stored["name"])
        return ExportJob.Status.FAILED
    return ExportJob.Status.DONE


def _write(job: ExportJob) -> dict:
    """Stream the rows into a temporary file, then store it: a half-written file is never in
    storage. Returns the stored name, the download name and the number of rows."""
    kind = get_kind(job.kind)
    if kind is None or not kind.may_export(job.user):
        raise ExportRefused(_("Bạn không còn quyền xuất dữ liệu này."))
    try:
        _progress(job.pk, rows_total=kind.count(job.user, job.parameters))
        with tempfile.TemporaryFile(suffix=f".{kind.extension}") as spool:
            rows = kind.write(job, spool, lambda done: _progress(job.pk, rows_done=done))
            if rows is None:
                rows = write_xlsx(kind, job, spool)
            spool.seek(0)
            file_name = f"{kind.file_prefix}-{timezone.localdate():%Y%m%d}.{kind.extension}"
            name = ExportJob.file.field.generate_filename(job, file_name)
            name = ExportJob.file.field.storage.save(name, File(spool, name=file_name), max_length=100)
    except Http404 as exc:  # a filter the user may no longer use
        raise ExportRefused(_("Đơn vị đã chọn không còn trong phạm vi bạn được xem.")) from exc
    return {"name": name, "file_name": file_name, "rows": rows}


def write_xlsx(kind, job: ExportJob, target) -> int:
    """The header and every row of `kind` for the job's user into `target`; how many rows."""
    workbook, sheet = new_sheet(str(kind.sheet_title))
    if kind.freeze_panes:
        sheet.freeze_panes = kind.freeze_panes
    sheet.append([xlsx_cell(sheet, value, bold=True) for value in kind.header_for(job.parameters)])
    done = 0
    for done, row in enumerate(kind.rows(job.user, job.parameters), start=1):
        sheet.append(xlsx_row(sheet, row))
        if done % PROGRESS_EVERY == 0:
            _progress(job.pk, rows_done=done)
    workbook.save(target)
    return done


def _progress(job_id: int, **values) -> None:
    """One UPDATE; it also moves updated_at, which tells the sweep the worker is alive."""
    ExportJob.objects.filter(pk=job_id).update(updated_at=timezone.now(), **values)


def _fail(job: ExportJob, message: str) -> str:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now(), updated_at=timezone.now()
    )
    return ExportJob.Status.FAILED


# --- sweeps ------------------------------------------------------------------------------------


def fail_stale_export_jobs() -> int:
    """Mark failed the jobs that have not moved for EXPORT_STALE_MINUTES: their worker died
    (or their message was lost). Not requeued: a job that killed its worker would kill the
    next one too; the page tells the user to export again. Returns how many."""
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Quá trình xuất bị gián đoạn nên không có tệp nào được tạo. Hãy xuất lại.")
    return ExportJob.objects.filter(
        status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING),
        updated_at__lt=now - timedelta(minutes=settings.EXPORT_STALE_MINUTES),
    ).update(status=ExportJob.Status.FAILED, error=message, finished_at=now, updated_at=now)


def purge_old_export_files() -> int:
    """Delete the files of jobs finished more than EXPORT_KEEP_DAYS ago (the daily sweep); the
    job stays in its owner's list as expired. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS)
    count = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, finished_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status", "updated_at"])
        count += 1
    return count
