"""The import services: upload a file for a unit, validate it and submit it as one change
request, apply it once approved (all or nothing), and read the batches a user may see."""

import hashlib
import logging
from contextlib import closing
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from records.models import Employee
from tracking.context import ChangeContext, tracked_change
from units.permissions import can_propose_for_unit
from units.selectors import list_visible_units

from ..models import ChangeRequest, ImportBatch
from ..services import finish_import_request, submit_change_request
from ..tasks import apply_import, validate_import
from .limits import check_archive, check_upload_size
from .liveness import nobody_working_on, working_on
from .plan import PlanWriter, apply_plan, discard_plan, plan_name
from .reading import FileUnreadable, Progress, check_stored_file, file_error, read_batch, summary
from .rows import CREATED, MAX_ERRORS, UPDATED, Outcome

logger = logging.getLogger("workflows.imports")


PENDING_STATUSES = (
    ImportBatch.Status.QUEUED,
    ImportBatch.Status.VALIDATING,
    ImportBatch.Status.SUBMITTED,
    ImportBatch.Status.APPLYING,
)
# A batch in one of these will never be applied: its stored file is deleted when it gets there
# (the name, hash, errors and summary stay, and the summary says when the file went).
REFUSED_STATUSES = (ImportBatch.Status.INVALID, ImportBatch.Status.FAILED, ImportBatch.Status.REJECTED)


def _discard_file(batch: ImportBatch) -> None:
    """Forget a refused batch's file (and its plan) now and delete them from storage once the
    transaction commits."""
    if not batch.file:
        return
    _discard_plan(batch)
    storage, name = batch.file.storage, batch.file.name
    batch.file = ""
    batch.summary = {**(batch.summary or {}), "file_deleted_at": timezone.now().isoformat()}
    transaction.on_commit(lambda: storage.delete(name))


def _discard_plan(batch: ImportBatch) -> None:
    """Forget the batch's plan (plan.py) now and delete it from storage once the transaction commits."""
    name = plan_name(batch)
    if name:
        storage = batch.file.storage
        batch.summary = discard_plan(batch)
        transaction.on_commit(lambda: storage.delete(name))


def _save(batch: ImportBatch) -> None:
    """Save a batch; a refused one loses its stored file in the same step."""
    with transaction.atomic():
        if batch.status in REFUSED_STATUSES:
            _discard_file(batch)
        batch.save()


def create_import_batch(*, unit, uploaded_by, upload, reason: str) -> ImportBatch:
    """An officer of the unit uploads a file; a Celery task then validates the whole of it."""
    if not can_propose_for_unit(uploaded_by, unit):
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của đơn vị được nhập dữ liệu cho đơn vị."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do nhập dữ liệu.")})
    name = PurePath(upload.name or "").name
    if not name.lower().endswith(".xlsx"):
        raise ValidationError({"file": _("Chỉ nhận tệp Excel .xlsx theo mẫu.")})
    try:
        check_upload_size(upload.size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    digest, head = hashlib.sha256(), None
    for chunk in upload.chunks():
        head = chunk[:4] if head is None else head
        digest.update(chunk)
    if head != b"PK\x03\x04":
        raise ValidationError({"file": _("Tệp không phải là tệp Excel .xlsx.")})
    upload.seek(0)
    try:
        check_archive(upload)  # the zip's directory only: the rows are counted by the task
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    sha256 = digest.hexdigest()
    for pending in ImportBatch.objects.filter(unit=unit, sha256=sha256, status__in=PENDING_STATUSES).select_related(
        "change_request"
    ):
        if sync_import_status(pending).status in PENDING_STATUSES:
            raise ValidationError(
                {
                    "file": _("Tệp này đang được xử lý ở lượt nhập #%(pk)s; hãy chờ lượt đó kết thúc.")
                    % {"pk": pending.pk}
                }
            )
    upload.seek(0)
    with transaction.atomic():
        batch = ImportBatch(unit=unit, uploaded_by=uploaded_by, file_name=name[:255], sha256=sha256, reason=reason)
        batch.file.save(name, upload, save=False)
        batch.save()
        validate_import.delay_on_commit(batch.pk)
    return batch


def validate_import_batch(*, batch_id: int) -> str:
    """Check every row of a queued batch; submit a clean file for approval as one change
    request. Safe to run twice: only a queued batch is taken, by one worker at a time."""
    with working_on(batch_id) as held:
        return _validate(batch_id) if held else ""


def _validate(batch_id: int) -> str:
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.VALIDATING, rows_done=0, errors=[]
    ):
        return ""
    batch = ImportBatch.objects.select_related("unit", "uploaded_by").get(pk=batch_id)
    progress = Progress(batch_id, inside_transaction=False)
    with translation.override(settings.LANGUAGE_CODE), closing(PlanWriter(batch)) as plan:
        try:
            outcome = read_batch(batch, apply=False, progress=progress, plan=plan)
        except FileUnreadable as exc:
            batch.status, batch.errors = ImportBatch.Status.INVALID, [file_error(exc)]
            batch.summary = {"errors_total": 1}
            _save(batch)
            return batch.status
        batch.rows_total = batch.rows_done = outcome.rows
        batch.summary = summary(outcome)
        batch.errors = outcome.errors
        if outcome.errors_total:
            batch.status = ImportBatch.Status.INVALID
        elif not outcome.changes:
            batch.status = ImportBatch.Status.APPLIED  # everything is already on file
            batch.summary["nothing_to_change"] = True
        else:
            try:
                with transaction.atomic():
                    batch.change_request = _submit(batch, outcome)
                    batch.status = ImportBatch.Status.SUBMITTED
                    batch.save()
            except (PermissionDenied, ValidationError) as exc:
                batch.status = ImportBatch.Status.FAILED
                batch.errors = [file_error(m) for m in getattr(exc, "messages", [str(exc)])]
        _save(batch)
    return batch.status


def _submit(batch: ImportBatch, outcome: Outcome) -> ChangeRequest:
    employees = outcome.counts.get(capfirst(str(Employee._meta.verbose_name)), {})
    reason = "\n".join(
        [
            batch.reason,
            _(
                "Tệp %(file)s (SHA-256 %(sha)s): %(rows)s dòng; %(created)s cán bộ mới, %(updated)s cán bộ cập "
                "nhật, %(changes)s dòng thay đổi."
            )
            % {
                "file": batch.file_name,
                "sha": batch.sha256[:12],
                "rows": outcome.rows,
                "created": employees.get(CREATED, 0),
                "updated": employees.get(UPDATED, 0),
                "changes": outcome.changes,
            },
        ]
    )
    return submit_change_request(
        kind=ChangeRequest.Kind.IMPORT,
        unit=batch.unit,
        submitted_by=batch.uploaded_by,
        operations=[],
        reason=reason,
        title=_("Nhập tệp %(file)s: %(n)s cán bộ") % {"file": batch.file_name, "n": outcome.people},
    )


def history_reason(batch: ImportBatch) -> str:
    """The reason on every history row the import writes: the file, then why (history keeps 100 characters)."""
    text = _("Nhập tệp %(file)s: %(reason)s") % {"file": batch.file_name, "reason": " ".join(batch.reason.split())}
    return text if len(text) <= 100 else text[:99] + "…"


def queue_import_apply(*, change_request: ChangeRequest) -> None:
    """The flow's step once an import request is approved: apply its file in the background."""
    apply_import.delay_on_commit(change_request.import_batch.pk)


class _Refused(Exception):
    def __init__(self, errors, message):
        super().__init__(message)
        self.errors, self.message = errors, message


def apply_import_batch(*, batch_id: int) -> str:
    """Write an approved batch in one transaction, with history naming the request and the
    file; on any problem write nothing and return the request to its submitter. Either way
    the waiting flow is resumed. Safe to run twice: only a submitted batch is taken, by one
    worker at a time."""
    with working_on(batch_id) as held:
        return _apply(batch_id) if held else ""


def _apply(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related(
        "unit", "change_request__submitted_by", "change_request__decided_by"
    ).get(pk=batch_id)
    change_request = batch.change_request
    if change_request is None or change_request.status != ChangeRequest.Status.APPROVED:
        return batch.status
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.SUBMITTED).update(
        status=ImportBatch.Status.APPLYING, rows_done=0
    ):
        return batch.status
    batch.status = ImportBatch.Status.APPLYING
    context = ChangeContext(
        reason=history_reason(batch),
        proposed_by=change_request.submitted_by,
        approved_by=change_request.decided_by,
        change_request=change_request,
    )
    progress = Progress(batch_id, inside_transaction=True)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                with tracked_change(context):
                    check_stored_file(batch)
                    # Written from the validation's plan unless the data it read may have changed:
                    # then the whole file is checked again, and must do what the approvers saw.
                    found = (
                        discard_plan(batch) if apply_plan(batch, progress=progress) else _apply_file(batch, progress)
                    )
                _discard_plan(batch)
                batch.status = ImportBatch.Status.APPLIED
                batch.rows_total = batch.rows_done = found["rows"]
                batch.summary = {**found, "applied_at": timezone.now().isoformat()}
                batch.save()
                finish_import_request(change_request=change_request, applied=True)
        except _Refused as refused:
            _refuse(batch, change_request, refused.errors, refused.message)
        except FileUnreadable as exc:
            _refuse(batch, change_request, [file_error(exc)], str(exc))
        except Exception:
            logger.exception("Import batch %s failed while applying", batch_id)
            message = _("lỗi hệ thống khi ghi dữ liệu")
            _refuse(
                batch,
                change_request,
                [file_error(_("Lỗi hệ thống khi ghi dữ liệu; không có dữ liệu nào được ghi."))],
                message,
            )
        finally:
            progress.close()
    return batch.status


def _apply_file(batch: ImportBatch, progress: Progress) -> dict:
    """Check and write the whole file again (in the caller's transaction and change context); it
    must be still valid and do what the approvers saw. Returns its summary."""
    outcome = read_batch(batch, apply=True, progress=progress)
    if outcome.errors_total:
        raise _Refused(outcome.errors, _("tệp không còn hợp lệ với dữ liệu hiện tại"))
    if outcome.digest != batch.summary.get("digest"):
        raise _Refused(
            [
                file_error(
                    _(
                        "Dữ liệu của đơn vị đã thay đổi sau khi tệp được kiểm tra, nên kết quả "
                        "nhập sẽ khác "
                        "với nội dung đã được phê duyệt. Hãy tải tệp lên lại để kiểm tra và gửi "
                        "phê duyệt lại."
                    )
                )
            ],
            _("dữ liệu của đơn vị đã thay đổi sau khi tệp được kiểm tra"),
        )
    return summary(outcome)


def _refuse(batch: ImportBatch, change_request: ChangeRequest, errors: list, reason: str):
    with transaction.atomic():
        batch.status = ImportBatch.Status.FAILED
        batch.errors = errors[:MAX_ERRORS]
        batch.summary = {**batch.summary, "errors_total": max(len(errors), batch.summary.get("errors_total") or 0)}
        _save(batch)
        message = _(
            "Không nhập được tệp %(file)s: %(reason)s. Không có dữ liệu nào được ghi; xem báo cáo lỗi ở lượt "
            "nhập #%(pk)s."
        ) % {"file": batch.file_name, "reason": reason, "pk": batch.pk}
        finish_import_request(change_request=change_request, applied=False, message=message)


def sync_import_status(batch: ImportBatch) -> ImportBatch:
    """A batch whose request ended unapplied (rejected, withdrawn, cancelled) is marked as not
    approved (lazily, when read)."""
    change_request = batch.change_request
    if (
        batch.status == ImportBatch.Status.SUBMITTED
        and change_request is not None
        and change_request.status in ChangeRequest.ENDED_UNAPPLIED
    ):
        with transaction.atomic():
            if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.SUBMITTED).update(
                status=ImportBatch.Status.REJECTED
            ):
                _discard_file(batch)
                ImportBatch.objects.filter(pk=batch.pk).update(file="", summary=batch.summary)
        batch.status = ImportBatch.Status.REJECTED
    return batch


def purge_refused_import_files() -> int:
    """Delete the files of batches that will never be applied: requests ended unapplied
    while nobody opened the batch, and files an earlier version kept. Returns how many."""
    count = 0
    waiting = ImportBatch.objects.filter(
        status=ImportBatch.Status.SUBMITTED,
        change_request__status__in=ChangeRequest.ENDED_UNAPPLIED,
    ).select_related("change_request")
    for batch in waiting:
        sync_import_status(batch)
        count += 1
    for batch in ImportBatch.objects.filter(status__in=REFUSED_STATUSES).exclude(file=""):
        _save(batch)
        count += 1
    return count


# --- reads -----------------------------------------------------------------------------------


def list_import_batches(*, user):
    """Batches of the units the user may see, newest first."""
    return ImportBatch.objects.filter(unit__in=list_visible_units(user=user)).select_related(
        "unit", "uploaded_by", "change_request"
    )


def get_import_batch(*, user, pk) -> ImportBatch:
    """One batch of a unit the user may see; 404 otherwise, so existence is not disclosed."""
    batch = list_import_batches(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return sync_import_status(batch)


def recover_interrupted_imports() -> int:
    """Close the batches left in progress by a worker that died (a sweep: beat, every ten
    minutes). Not run again: a file that killed its worker would kill the next one too. A
    validation is failed, its file dropped; an apply (its transaction rolled back with the
    worker, nothing written) is failed and its request returned to the submitter, as any failed
    apply. Returns how many."""
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "Việc xử lý tệp bị gián đoạn (máy chủ xử lý dừng giữa chừng); không có dữ liệu nào được ghi. "
            "Hãy tải tệp lên lại."
        )
        in_progress = (ImportBatch.Status.VALIDATING, ImportBatch.Status.APPLYING)
        for batch_id in ImportBatch.objects.filter(status__in=in_progress).values_list("pk", flat=True):
            with transaction.atomic():
                if not nobody_working_on(batch_id):
                    continue
                batch = ImportBatch.objects.select_related("change_request").filter(pk=batch_id).first()
                if batch is None or batch.status not in in_progress:
                    continue
                if batch.status == ImportBatch.Status.APPLYING and batch.change_request is not None:
                    _refuse(batch, batch.change_request, [file_error(message)], _("việc nhập bị gián đoạn"))
                else:
                    batch.status, batch.errors = ImportBatch.Status.FAILED, [file_error(message)]
                    _save(batch)
                count += 1
    return count
