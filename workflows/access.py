"""Fetch and authorise a change request in one step: 404 unless the user may see it, and the
read log written when its page shows a person (records.access)."""

from django.db.models import Exists, FilteredRelation, OuterRef, Q
from django.shortcuts import get_object_or_404

from records.access import note_read
from records.models import AccessLog

from .models import ApprovalDecision, ChangeRequest, ChangeRequestTask, note_read_under_lock
from .selectors import list_change_requests

# What the request's pages show of it, read with it.
SHOWN_WITH = ("employee__managing_unit", "unit", "submitted_by")


def _decided(request_ref: str) -> Exists:
    """Whether any level has decided the request (`has_decisions`: its decisions are read only then)."""
    return Exists(ApprovalDecision.objects.filter(change_request=OuterRef(request_ref)))


def access_change_request(request, *, pk=None, process_pk=None, task_pk=None, locked=False) -> ChangeRequest:
    """The request (by id, or by its process's id, and then only if `task_pk` is a task of that
    process) if `request.user` may see it; its pages show the person it is about (name, birth
    date, CCCD as the reader may see it, the values changed), so reading one is logged like
    reading the file. Read with what those pages show of it (and whether any level has decided
    it: `has_decisions`), and kept on the request (`request.accessed_change_request`) for the
    page.

    `locked`: read under a row lock by a caller holding its process's flow lock (a task page's
    POST), so the transition the page makes need not read it again (workflows.services); the
    task `task_pk` is read in the same statement, with the process. Otherwise a task page's
    request is read with its task, in one statement. Either way the task is kept for the page
    (accessed_task)."""
    if task_pk is not None and not locked:
        change_request = _access_through_task(request, process_pk=process_pk, task_pk=task_pk)
    else:
        lookup = {"pk": pk} if pk is not None else {"process_id": process_pk}
        shown = list_change_requests(user=request.user).select_related(*SHOWN_WITH)
        shown = shown.annotate(has_decisions=_decided("pk"))
        if task_pk is not None:
            # The task joined on its id, as a lookup would, and read with the request: the flow
            # lock held already, no other transaction can change it before this one ends.
            shown = shown.annotate(
                accessed_task=FilteredRelation("process__task", condition=Q(process__task__pk=task_pk))
            ).select_related("process", "accessed_task")
            lookup["accessed_task__isnull"] = False
        if locked:
            shown = shown.select_for_update(of=("self",))
        change_request = get_object_or_404(shown, **lookup)
        if locked:
            note_read_under_lock(change_request)
        if task_pk is not None:
            request.accessed_task = _task_of(change_request)
    request.accessed_change_request = change_request
    if change_request.employee_id is not None:
        note_read(request, kind=AccessLog.Kind.VIEW, employee=change_request.employee)
    elif change_request.kind == ChangeRequest.Kind.NEW_HIRE:
        note_read(request, kind=AccessLog.Kind.VIEW, name=_proposed_name(change_request))
    return change_request


def _task_of(change_request) -> ChangeRequestTask:
    """The task read with `change_request` (its `accessed_task` join) as a task of the flow, its
    process knowing the request."""
    task = change_request.accessed_task
    fields = [field.attname for field in ChangeRequestTask._meta.concrete_fields]
    task = ChangeRequestTask.from_db(task._state.db, fields, [getattr(task, name) for name in fields])
    process = change_request.process
    task.process = process
    ChangeRequest.process.field.remote_field.set_cached_value(process, change_request)
    return task


def _access_through_task(request, *, process_pk, task_pk) -> ChangeRequest:
    """The request of task `task_pk` of process `process_pk`, read with the task (the task's
    join to its request, the visibility rule asked of that request): 404 as for the request."""
    tasks = (
        ChangeRequestTask._default_manager.select_related(*(f"process__change_request__{name}" for name in SHOWN_WITH))
        .annotate(has_decisions=_decided("process__change_request"))
        .filter(Exists(list_change_requests(user=request.user).filter(pk=OuterRef("process__change_request"))))
    )
    task = get_object_or_404(tasks, pk=task_pk, process_id=process_pk)
    change_request = task.process.change_request
    change_request.has_decisions = task.has_decisions
    request.accessed_task = task
    return change_request


def accessed_task(request, task_pk):
    """The task `task_pk` as the page's access check read it (with its process and request), or
    None when it did not."""
    task = getattr(request, "accessed_task", None)
    return task if task is not None and task.pk == task_pk else None


def _proposed_name(change_request) -> str:
    """The name of the person a new-hire request would put on file."""
    for op in change_request.operations:
        if op.get("model") == "records.employee" and op.get("action") == "create":
            return str((op.get("values") or {}).get("full_name", ""))
    return ""
