"""Every write a change request makes: submit, decide (level by level), apply, resubmit, withdraw.
Each changes the status through workflows.lifecycle and moves the viewflow process on in the
same transaction, whoever calls it (a page, a shell, a Celery task)."""

import copy
import threading
from contextlib import contextmanager, nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowRuntimeError

from accounts.names import display_name
from records.models import Employee
from tracking.context import ChangeContext
from units.models import Unit
from units.permissions import can_propose_for_unit

from . import changesets, policy, signals
from .lifecycle import ChangeRequestLifecycle
from .models import ApprovalDecision, ChangeRequest, Decision, Delegation, read_under_lock
from .permissions import (
    approval_capacity,
    can_delegate_approvals,
    can_delegate_to,
    can_manage_workflow,
    can_revoke_delegation,
    can_rework_change_request,
    can_withdraw_change_request,
)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do thay đổi.")})
    return reason


def _allowed_fields(kind: str) -> set[str]:
    if kind in (ChangeRequest.Kind.TRANSFER, ChangeRequest.Kind.NEW_HIRE):
        return changesets.fields_with_managing_unit()
    return changesets.default_fields()


def _check_operations(*, kind, unit, operations, user, known=()):
    """Every operation must concern data of `unit`, and the whole set must apply cleanly."""
    if kind == ChangeRequest.Kind.IMPORT:
        return
    for op in operations:
        changesets.spec_for(op.get("model", ""))
        owner = changesets.owning_unit(op, refs_unit=unit, known=known)
        if owner is None or owner.pk != unit.pk:
            raise PermissionDenied(_("Yêu cầu chỉ được thay đổi dữ liệu do đơn vị %(unit)s quản lý.") % {"unit": unit})
    changesets.validate_operations(operations, user=user, allow_fields=_allowed_fields(kind), known=known)


def submit_change_request(
    *,
    kind: str,
    unit: Unit,
    submitted_by,
    operations: list[dict],
    reason: str,
    title: str,
    employee: Employee | None = None,
    target_unit: Unit | None = None,
    subject_model: str = "",
    subject_pk: int | None = None,
) -> ChangeRequest:
    """An officer of the unit proposes a set of changes; the approval flow starts."""
    if not can_propose_for_unit(submitted_by, unit):
        raise PermissionDenied(_("Bạn không có quyền đề xuất thay đổi dữ liệu của đơn vị này."))
    reason = _require_reason(reason)
    with transaction.atomic():
        known = (employee,) if employee is not None else ()
        _check_operations(kind=kind, unit=unit, operations=operations, user=submitted_by, known=known)
        change_request = ChangeRequest(
            kind=kind,
            unit=unit,
            target_unit=target_unit,
            employee=employee,
            title=title[:255],
            subject_model=subject_model,
            subject_pk=subject_pk,
            operations=operations,
            reason=reason,
            submitted_by=submitted_by,
            submitted_at=timezone.now(),
        )
        change_request.policy = policy.current_policy()
        change_request.levels = _levels_for(change_request)
        change_request.know_approval_units([unit, target_unit])
        change_request.pending_unit = change_request.approval_units()[0]
        change_request.pending_since = change_request.submitted_at
        # The related rows are objects in hand (checked above): no query to see that they exist.
        # The one constraint (pending_since_iff_submitted) holds by the two lines above and the
        # database enforces it: not asked again in a savepoint of its own.
        change_request.full_clean(exclude=["process", *_RELATED_IN_HAND], validate_constraints=False)
        # Saved once, by the flow's start, already linked to its process.
        _flows().ChangeRequestFlow.submit.run(change_request=change_request)
        _announce(change_request, signals.SUBMITTED, actor=submitted_by)
    return change_request


def _announce(change_request: ChangeRequest, event: str, *, actor=None, decision=None) -> None:
    """Tell the layers above (notifications, campaigns) what happened, inside the transition's
    transaction: each event at once (change_request_event), and all the events of the
    transition together at its end (change_request_events)."""
    signals.change_request_event.send(
        sender=ChangeRequest, change_request=change_request, event=event, actor=actor, decision=decision
    )
    pending = getattr(_announcements, "pending", None)
    if pending is None:
        told = {"change_request": change_request, "event": event, "actor": actor, "decision": decision}
        signals.change_request_events.send(sender=ChangeRequest, events=[told])
    else:
        # the request as it is at this event (a later one of the transition changes it further)
        told = {"change_request": copy.copy(change_request), "event": event, "actor": actor, "decision": decision}
        pending.append(told)


_announcements = threading.local()


@contextmanager
def _announced_together():
    """Collect the events announced inside, and send them together when the block ends without
    an error (nested blocks: the outermost sends); an error discards them."""
    if getattr(_announcements, "pending", None) is not None:
        yield
        return
    _announcements.pending = pending = []
    try:
        yield
    finally:
        _announcements.pending = None
    if pending:
        signals.change_request_events.send(sender=ChangeRequest, events=pending)


_AFTER_DECISION = {
    ChangeRequest.Status.SUBMITTED: signals.SUBMITTED,  # on to the next level's approvers
    ChangeRequest.Status.APPROVED: signals.APPROVED,
    ChangeRequest.Status.RETURNED: signals.RETURNED,
    ChangeRequest.Status.REJECTED: signals.REJECTED,
}


_RELATED_IN_HAND = ("unit", "target_unit", "employee", "policy", "pending_unit", "submitted_by")


def _levels_for(change_request: ChangeRequest) -> list[dict]:
    """The request's approval levels, resolved from its policy version (at each submission)."""
    return policy.levels_for_request(
        policy=change_request.policy,
        kind=change_request.kind,
        operations=change_request.operations,
        unit=change_request.unit,
        target_unit=change_request.target_unit,
    )


def submit_transfer(*, employee: Employee, target_unit: Unit, submitted_by, reason: str) -> ChangeRequest:
    """Move an employee's file to another unit; the sending and the receiving unit both approve."""
    if target_unit.pk == employee.managing_unit_id:
        raise ValidationError({"target_unit": _("Đơn vị tiếp nhận phải khác đơn vị đang quản lý.")})
    if not target_unit.is_active:
        raise ValidationError({"target_unit": _("Đơn vị tiếp nhận đã ngừng hoạt động.")})
    values = {"managing_unit": target_unit.pk}
    if employee.position_id:
        values["position"] = None  # a position belongs to the old unit
    return submit_change_request(
        kind=ChangeRequest.Kind.TRANSFER,
        unit=employee.managing_unit,
        target_unit=target_unit,
        employee=employee,
        submitted_by=submitted_by,
        operations=[changesets.make_update(employee, values)],
        reason=reason,
        title=_("Chuyển %(name)s sang %(unit)s") % {"name": employee.full_name, "unit": target_unit},
    )


def _flows():
    """workflows.flows, imported when used: flows → views → services."""
    from . import flows

    return flows


@contextmanager
def _transition(change_request: ChangeRequest, *, savepoint: bool = True):
    """One transition of a request: in a transaction, holding its process's flow lock, with the
    request re-read under a row lock, so two people acting on one request act one after the
    other and the second sees what the first did. Yields the request's state machine.

    `savepoint=False`: inside a caller's transaction, no savepoint of its own; for a transition
    that refuses before it writes and raises its refusal after the block (decide), so an error
    escaping it is one the caller's whole transaction must roll back anyway."""
    with transaction.atomic(savepoint=savepoint), _flows().ChangeRequestFlow.lock(change_request.process_id):
        if not read_under_lock(change_request):  # a task page's POST read it under the lock
            locked = ChangeRequest.objects.select_for_update(of=("self",)).select_related("submitted_by", "unit")
            change_request.refresh_from_db(from_queryset=locked)
        with _announced_together():
            yield ChangeRequestLifecycle(change_request)


def _complete(change_request: ChangeRequest, node, user, *, take_over: bool = False) -> None:
    """Finish the human task the transition ends (approve, rework), as `user`."""
    flows = _flows()
    try:
        flows.complete_human_task(change_request, node, user, take_over=take_over)
    except flows.TaskHeldByOther as exc:
        raise _held_by_other(exc.task) from exc


def _held_by_other(task) -> ValidationError:
    owner = task.owner
    return ValidationError(
        _("Công việc này đang do %(who)s nhận xử lý; người đó phải trả lại công việc trước.")
        % {"who": display_name(owner)}
    )


def _decision_refused(change_request: ChangeRequest, lifecycle, user, decision: str, comment: str):
    """(capacity, None) when `user` may decide the request now, else (None, the refusal)."""
    capacity = approval_capacity(user, change_request)
    if capacity is None:
        return None, PermissionDenied(_("Bạn không có quyền phê duyệt yêu cầu này."))
    if not lifecycle.decide.can_proceed():
        return None, ValidationError(_("Yêu cầu không ở trạng thái chờ phê duyệt."))
    if decision != Decision.APPROVE and not comment:
        return None, ValidationError({"comment": _("Phải ghi ý kiến khi trả lại hoặc từ chối.")})
    task = _flows().open_task(change_request, _flows().ChangeRequestFlow.approve)
    if task.owner_id is not None and task.owner_id != user.pk:
        return None, _held_by_other(task)
    return capacity, None


def decide_change_request(*, change_request: ChangeRequest, user, decision: str, comment: str = "") -> ChangeRequest:
    """The approver of the current level approves (passing it to the next level, or, at the
    last, applying it), returns it for rework, or rejects it. Returning or rejecting needs a
    comment. The flow moves on in the same transaction."""
    if decision not in Decision.values:
        raise ValidationError(_("Quyết định không hợp lệ."))
    comment = (comment or "").strip()
    # Refused before anything is written and raised once the block has ended, so the caller's
    # transaction (a task page's, which shows the form again) stays usable without a savepoint.
    with _transition(change_request, savepoint=False) as lifecycle:
        capacity, refusal = _decision_refused(change_request, lifecycle, user, decision, comment)
        if refusal is None:
            _decide(change_request, lifecycle, user, decision, comment, capacity)
    if refusal is not None:
        raise refusal
    return change_request


def _decide(change_request: ChangeRequest, lifecycle, user, decision: str, comment: str, capacity) -> None:
    """decide_change_request once it is allowed: the decision row, the request, the flow, the
    events, and at the last level the apply."""
    acting_for, delegation = capacity
    record = ApprovalDecision.objects.create(
        change_request=change_request,
        level=change_request.current_level,
        unit_id=change_request.pending_unit_id,
        decision=decision,
        comment=comment,
        decided_by=user,
        acting_for=acting_for,
        delegation=delegation,
        decided_at=timezone.now(),
    )
    lifecycle.decide(record)
    applies = (
        change_request.status == ChangeRequest.Status.APPROVED and change_request.kind != ChangeRequest.Kind.IMPORT
    )
    if not applies:
        change_request.save()
    # else saved once by _apply, approved and applied (or sent back): the decision row keeps
    # who approved it and when, the request's history its state once this transaction ends.
    # The apply step the approval leads to is finished here too: its task written once, done.
    flow = _flows().ChangeRequestFlow
    with _flows().finished_in_this_block(flow.apply) if applies else nullcontext():
        _complete(change_request, flow.approve, user)
        _announce(change_request, _AFTER_DECISION[change_request.status], actor=user, decision=record)
        if applies:
            _apply(change_request, lifecycle)  # imports: the flow queued the import task


def apply_change_request(*, change_request: ChangeRequest) -> bool:
    """Write an approved request into the records, in one transaction, and move its flow on.

    Refuses, and returns the request for rework, when a row changed since the version the
    request was proposed against (checked with those rows locked, so a concurrent request
    cannot slip in between), or when the set no longer applies cleanly. Returns whether the
    change was applied.
    """
    with _transition(change_request) as lifecycle:
        _apply(change_request, lifecycle)
    return change_request.status == ChangeRequest.Status.APPLIED


def _apply(change_request: ChangeRequest, lifecycle: ChangeRequestLifecycle) -> None:
    """apply_change_request inside a transition already open (the last approval's own)."""
    if not lifecycle.apply.can_proceed():
        raise ValidationError(_("Chỉ áp dụng được yêu cầu đã phê duyệt."))
    if change_request.kind == ChangeRequest.Kind.IMPORT:
        raise ValidationError(_("Yêu cầu nhập tệp được ghi vào hồ sơ bởi lượt nhập của nó."))
    operations = change_request.operations
    rows = {}  # read under their locks by the stale check, written by the apply
    if changesets.stale_operations(operations, rows=rows):
        lifecycle.send_back(
            _(
                "Dữ liệu đã được thay đổi sau khi gửi đề xuất này; đề xuất không được áp dụng. "
                "Vui lòng kiểm tra lại giá trị hiện tại và gửi lại."
            )
        )
    else:
        try:
            refs = changesets.apply_operations(
                operations,
                context=ChangeContext(
                    reason=change_request.reason,
                    proposed_by=change_request.submitted_by,
                    approved_by=change_request.decided_by,
                    change_request=change_request,
                    acting_for=change_request.decided_for,
                ),
                allow_fields=_allowed_fields(change_request.kind),
                rows=rows,
            )
        except changesets.ChangeSetInvalid as exc:
            lifecycle.send_back(_("Không áp dụng được: %(errors)s") % {"errors": " ".join(exc.messages)})
        else:
            if change_request.kind == ChangeRequest.Kind.NEW_HIRE and "employee" in refs:
                change_request.employee = refs["employee"]
            lifecycle.apply()
    change_request.save()
    _flows().resume(change_request, _flows().ChangeRequestFlow.apply)
    _announce(change_request, _after_apply(change_request))


def _after_apply(change_request: ChangeRequest) -> str:
    return signals.APPLIED if change_request.status == ChangeRequest.Status.APPLIED else signals.RETURNED


def finish_import_request(*, change_request: ChangeRequest, applied: bool, message: str = "") -> None:
    """The import task's last step for an approved import request: it is in the records, or it
    goes back to the submitter saying why; the flow waiting on the import moves on. Call in the
    transaction that wrote (or refused) the batch."""
    with _transition(change_request) as lifecycle:
        if change_request.kind != ChangeRequest.Kind.IMPORT or not lifecycle.apply.can_proceed():
            raise ValidationError(_("Chỉ ghi nhận kết quả nhập cho yêu cầu nhập tệp đã phê duyệt."))
        if applied:
            lifecycle.apply()
        else:
            lifecycle.send_back(message)
        change_request.save()
        _flows().resume(change_request, _flows().ChangeRequestFlow.wait_import)
        _announce(change_request, _after_apply(change_request))


def resubmit_change_request(
    *, change_request: ChangeRequest, user, operations: list[dict], reason: str
) -> ChangeRequest:
    """The submitter edits a returned request against the data as it is now, and sends it again
    from the first approval level."""
    if not can_rework_change_request(user, change_request):
        raise PermissionDenied(_("Bạn không có quyền chỉnh sửa yêu cầu này."))
    reason = _require_reason(reason)
    with _transition(change_request) as lifecycle:
        if not lifecycle.resubmit.can_proceed():
            raise ValidationError(_("Yêu cầu không ở trạng thái trả lại để chỉnh sửa."))
        _check_operations(kind=change_request.kind, unit=change_request.unit, operations=operations, user=user)
        change_request.operations = operations
        change_request.reason = reason
        lifecycle.resubmit(levels=_levels_for(change_request))
        change_request.save()
        _complete(change_request, _flows().ChangeRequestFlow.rework, user)
        _announce(change_request, signals.SUBMITTED, actor=user)
    return change_request


def withdraw_change_request(*, change_request: ChangeRequest, user) -> ChangeRequest:
    """The submitter abandons their request while no level has decided it, or once it has been
    returned to them; the flow ends at `withdrawn`."""
    with _transition(change_request) as lifecycle:
        if change_request.submitted_by_id != user.pk:
            raise PermissionDenied(_("Chỉ người đề xuất được rút yêu cầu."))
        if not lifecycle.withdraw.can_proceed():
            raise ValidationError(
                _("Yêu cầu đã được phê duyệt ở ít nhất một cấp hoặc đã kết thúc; không rút được nữa.")
            )
        if not can_withdraw_change_request(user, change_request):
            raise PermissionDenied(_("Bạn không còn là cán bộ tổ chức của đơn vị nên không rút được yêu cầu."))
        flow = _flows().ChangeRequestFlow
        step = flow.rework if change_request.status == ChangeRequest.Status.RETURNED else flow.approve
        lifecycle.withdraw()
        change_request.save()
        # An approver may have taken the task without deciding: the withdrawal ends it all the same.
        _complete(change_request, step, user, take_over=True)
    return change_request


def cancel_change_request(*, change_request: ChangeRequest, user, reason: str) -> ChangeRequest:
    """A system administrator ends an open request without applying it (a request that can no
    longer be worked, a mistake nobody else can undo): the request is `cancelled`, saying who and
    why, its viewflow process and open tasks are cancelled, and the submitter is told. All in one
    transaction: a request is never left open behind a cancelled process."""
    if not can_manage_workflow(user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được huỷ quy trình."))
    reason = _require_reason(reason)
    with _transition(change_request) as lifecycle:
        if not lifecycle.cancel.can_proceed():
            raise ValidationError(_("Yêu cầu đã kết thúc; không huỷ được nữa."))
        lifecycle.cancel(user=user, reason=reason)
        change_request._history_user = user
        change_request._change_reason = reason
        change_request.save()
        try:
            _flows().ChangeRequestFlow.instance.cancel(change_request.process)
        except FlowRuntimeError as exc:  # a step is being carried out right now: everything rolls back
            raise ValidationError(_("Một bước của quy trình đang được thực hiện; hãy thử lại sau.")) from exc
        _announce(change_request, signals.CANCELLED, actor=user)
    return change_request


def create_delegation(*, delegator, delegate, valid_from, valid_to, reason: str):
    """An approver hands their approvals to a colleague (someone with a grant on a unit where
    the approver approves) for a date range starting today or later."""
    if not can_delegate_approvals(delegator):
        raise PermissionDenied(_("Chỉ người có quyền phê duyệt mới được uỷ quyền."))
    if valid_from and valid_from < timezone.localdate():
        raise ValidationError({"valid_from": _("Không uỷ quyền cho ngày đã qua.")})
    if not can_delegate_to(delegator, delegate):
        raise ValidationError({"delegate": _("Chỉ uỷ quyền cho người cùng đơn vị mà bạn phê duyệt.")})
    delegation = Delegation(
        delegator=delegator, delegate=delegate, valid_from=valid_from, valid_to=valid_to, reason=(reason or "").strip()
    )
    delegation.full_clean()
    delegation._history_user = delegator
    delegation.save()
    return delegation


def revoke_delegation(*, delegation, user):
    """The approver ends a delegation early; it stops working at once."""
    if not can_revoke_delegation(user, delegation):
        raise PermissionDenied(_("Chỉ người uỷ quyền được thu hồi."))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation._history_user = user
        delegation.save()
    return delegation
