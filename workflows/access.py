"""Fetch and authorise a change request in one step: 404 unless the user may see it, and the
read log written when its page shows a person (records.access)."""

from django.db.models import Exists, FilteredRelation, OuterRef, Q
from django.shortcuts import get_object_or_404

from records.access import note_read
from records.models import AccessLog

from .models import ApprovalDecision, ChangeRequest, ChangeRequestTask, note_read_under_lock
from .selectors import list_change_requests


def access_change_request(request, *, pk=None, process_pk=None, task_pk=None, locked=False) -> ChangeRequest:
    """The request (by id, or by its process's id, and then only if `task_pk` is a task of that
    process) if `request.user` may see it; its pages show the person it is about (name, birth
    date, CCCD as the reader may see it, the values changed), so reading one is logged like
    reading the file. Read with what those pages show of it (and whether any level has decided
    it: `has_decisions`), and kept on the request (`request.accessed_change_request`) for the
    page.

    `locked`: read under a row lock by a caller holding its process's flow lock (a task page's
    POST), so the transition the page makes need not read it again (workflows.services); the
    task `task_pk` is read in the same statement, with the process (accessed_task)."""
    lookup = {"pk": pk} if pk is not None else {"process_id": process_pk}
    shown = (
        list_change_requests(user=request.user)
        .select_related("employee__managing_unit", "unit", "submitted_by")
        .annotate(has_decisions=Exists(ApprovalDecision.objects.filter(change_request=OuterRef("pk"))))
    )
    if locked and task_pk is not None:
        # The task joined on its id, as the lookup below would, and read with the request: the
        # flow lock held already, no other transaction can change it before this one ends.
        shown = shown.annotate(
            accessed_task=FilteredRelation("process__task", condition=Q(process__task__pk=task_pk))
        ).select_related("process", "accessed_task")
        lookup["accessed_task__isnull"] = False
    elif task_pk is not None:
        lookup["process__task"] = task_pk
    if locked:
        shown = shown.select_for_update(of=("self",))
    change_request = get_object_or_404(shown, **lookup)
    if locked:
        note_read_under_lock(change_request)
    request.accessed_change_request = change_request
    if change_request.employee_id is not None:
        note_read(request, kind=AccessLog.Kind.VIEW, employee=change_request.employee)
    elif change_request.kind == ChangeRequest.Kind.NEW_HIRE:
        note_read(request, kind=AccessLog.Kind.VIEW, name=_proposed_name(change_request))
    return change_request


def accessed_task(request, task_pk) -> ChangeRequestTask | None:
    """The task `task_pk` as access_change_request read it with its request (a task page's POST,
    under the flow lock), its process knowing the request; None if it was not read so."""
    change_request = getattr(request, "accessed_change_request", None)
    task = getattr(change_request, "accessed_task", None)
    if task is None or task.pk != task_pk:
        return None
    fields = [field.attname for field in ChangeRequestTask._meta.concrete_fields]
    task = ChangeRequestTask.from_db(task._state.db, fields, [getattr(task, name) for name in fields])
    process = change_request.process
    task.process = process
    ChangeRequest.process.field.remote_field.set_cached_value(process, change_request)
    return task


def _proposed_name(change_request) -> str:
    """The name of the person a new-hire request would put on file."""
    for op in change_request.operations:
        if op.get("model") == "records.employee" and op.get("action") == "create":
            return str((op.get("values") or {}).get("full_name", ""))
    return ""
