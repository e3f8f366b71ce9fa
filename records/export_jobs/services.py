"""Starting an export, the jobs a user may open, and the download: the one moment data
leaves the system, logged in ExportLog (and the read log) as every export is."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from ..exports import log_export
from ..models import ExportJob
from ..permissions import can_open_export_job, export_jobs_q
from ..tasks import run_export
from .kinds import all_kinds, get_kind


def may_use_exports(user) -> bool:
    """Whether `user` may export anything at all: the list of their files is theirs then."""
    return any(kind.may_export(user) for kind in all_kinds())


def start_export(*, user, kind: str, data) -> ExportJob:
    """Queue an export of `kind` with the filters of a form (`data`); the task writes the file
    once the job is committed. PermissionDenied without the right, Http404 for a filter on
    something the user may not see."""
    export_kind = get_kind(kind)
    if export_kind is None:
        raise Http404
    if not export_kind.may_export(user):
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu này."))
    job = ExportJob(user=user, kind=export_kind.key, parameters=export_kind.clean(user, data))
    job.full_clean()
    with transaction.atomic():
        job.save()
        run_export.delay_on_commit(job.pk)
    return job


def list_export_jobs(*, user):
    """The user's own jobs, newest first (nobody else's: a file holds what its owner may see)."""
    return ExportJob.objects.filter(export_jobs_q(user)).order_by("-created_at", "-pk")


def get_export_job(*, user, pk) -> ExportJob:
    """One job of the user; 403 for a user who may export nothing, 404 for another's job."""
    if not may_use_exports(user):
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu."))
    job = ExportJob.objects.filter(pk=pk).first()
    if job is None or not can_open_export_job(user, job):
        raise Http404
    return job


def kind_title(job: ExportJob) -> str:
    kind = get_kind(job.kind)
    return str(kind.title) if kind else job.kind


def download_export(*, request, job: ExportJob) -> FileResponse:
    """The finished file, to its owner while they still may export this kind; logged with its
    filters and rows as every export is. 404 before the file is whole or after it is deleted."""
    kind = get_kind(job.kind)
    if kind is None or not kind.may_export(request.user):
        raise PermissionDenied(_("Bạn không còn quyền xuất dữ liệu này."))
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    log_export(
        user=request.user,
        kind=kind.log_kind,
        description=kind.describe(request.user, job.parameters),
        parameters={**job.parameters, "job": job.pk},
        row_count=job.rows_done,
        request=request,
    )
    return FileResponse(handle, as_attachment=True, filename=job.file_name, content_type=kind.content_type)
