"""Every write a change request makes: submit, decide (level by level), apply, resubmit, withdraw."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import Employee
from records.tracking import ChangeContext
from units.models import Unit
from units.permissions import can_propose_for_unit

from . import changesets, policy
from .models import ApprovalDecision, ChangeRequest
from .permissions import approval_capacity, can_rework_change_request


class Decision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    CHOICES = (APPROVE, RETURN, REJECT)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do thay đổi.")})
    return reason


def _allowed_fields(kind: str) -> set[str]:
    if kind in (ChangeRequest.Kind.TRANSFER, ChangeRequest.Kind.NEW_HIRE):
        return changesets.fields_with_managing_unit()
    return changesets.default_fields()


def _check_operations(*, kind, unit, operations, user):
    """Every operation must concern data of `unit`, and the whole set must apply cleanly."""
    if kind == ChangeRequest.Kind.IMPORT:
        return
    for op in operations:
        changesets.spec_for(op.get("model", ""))
        owner = changesets.owning_unit(op, refs_unit=unit)
        if owner is None or owner.pk != unit.pk:
            raise PermissionDenied(_("Yêu cầu chỉ được thay đổi dữ liệu do đơn vị %(unit)s quản lý.") % {"unit": unit})
    changesets.validate_operations(operations, user=user, allow_fields=_allowed_fields(kind))


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
    from .flows import ChangeRequestFlow

    if not can_propose_for_unit(submitted_by, unit):
        raise PermissionDenied(_("Bạn không có quyền đề xuất thay đổi dữ liệu của đơn vị này."))
    reason = _require_reason(reason)
    with transaction.atomic():
        _check_operations(kind=kind, unit=unit, operations=operations, user=submitted_by)
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
        _route(change_request)
        change_request.full_clean(exclude=["process"])
        change_request.save()
        ChangeRequestFlow.submit.run(change_request=change_request)
    return change_request


def _route(change_request: ChangeRequest) -> None:
    """Resolve the request's approval levels from its policy version and start at the first."""
    change_request.levels = policy.levels_for_request(
        policy=change_request.policy,
        kind=change_request.kind,
        operations=change_request.operations,
        unit=change_request.unit,
        target_unit=change_request.target_unit,
    )
    change_request.current_level = 0
    change_request.pending_unit = change_request.approval_units()[0]


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


def decide_change_request(*, change_request: ChangeRequest, user, decision: str, comment: str = "") -> ChangeRequest:
    """The approver of the current level approves (passing it to the next level, if any),
    returns it for rework, or rejects it. Returning or rejecting needs a comment."""
    if decision not in Decision.CHOICES:
        raise ValidationError(_("Quyết định không hợp lệ."))
    capacity = approval_capacity(user, change_request)
    if capacity is None:
        raise PermissionDenied(_("Bạn không có quyền phê duyệt yêu cầu này."))
    acting_for, delegation = capacity
    if change_request.status != ChangeRequest.Status.SUBMITTED:
        raise ValidationError(_("Yêu cầu không ở trạng thái chờ phê duyệt."))
    comment = (comment or "").strip()
    if decision != Decision.APPROVE and not comment:
        raise ValidationError({"comment": _("Phải ghi ý kiến khi trả lại hoặc từ chối.")})
    now = timezone.now()
    levels = change_request.approval_units()
    ApprovalDecision.objects.create(
        change_request=change_request,
        level=change_request.current_level,
        unit=change_request.pending_unit,
        decision=decision,
        comment=comment,
        decided_by=user,
        acting_for=acting_for,
        delegation=delegation,
        decided_at=now,
    )
    change_request.decided_by = user
    change_request.decided_for = acting_for
    change_request.decided_at = now
    change_request.decision_comment = comment
    if decision == Decision.APPROVE and change_request.current_level + 1 < len(levels):
        change_request.current_level += 1
        change_request.pending_unit = levels[change_request.current_level]
    else:
        change_request.status = {
            Decision.APPROVE: ChangeRequest.Status.APPROVED,
            Decision.RETURN: ChangeRequest.Status.RETURNED,
            Decision.REJECT: ChangeRequest.Status.REJECTED,
        }[decision]
        change_request.pending_unit = None
    change_request.save()
    return change_request


def _return_for_rework(change_request: ChangeRequest, message: str) -> bool:
    change_request.status = ChangeRequest.Status.RETURNED
    change_request.decision_comment = message
    change_request.save()
    return False


def apply_change_request(*, change_request: ChangeRequest) -> bool:
    """Write an approved request into the records, in one transaction.

    Refuses, and returns the request for rework, when a row changed since the version the
    request was proposed against, or when the set no longer applies cleanly. Returns
    whether the change was applied.
    """
    if change_request.status != ChangeRequest.Status.APPROVED:
        raise ValidationError(_("Chỉ áp dụng được yêu cầu đã phê duyệt."))
    operations = change_request.operations
    with transaction.atomic():
        if changesets.stale_operations(operations):
            return _return_for_rework(
                change_request,
                _(
                    "Dữ liệu đã được thay đổi sau khi gửi đề xuất này; đề xuất không được áp dụng. "
                    "Vui lòng kiểm tra lại giá trị hiện tại và gửi lại."
                ),
            )
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
            )
        except changesets.ChangeSetInvalid as exc:
            return _return_for_rework(
                change_request, _("Không áp dụng được: %(errors)s") % {"errors": " ".join(exc.messages)}
            )
        if change_request.kind == ChangeRequest.Kind.NEW_HIRE and "employee" in refs:
            change_request.employee = refs["employee"]
        change_request.status = ChangeRequest.Status.APPLIED
        change_request.applied_at = timezone.now()
        change_request.save()
    return True


def resubmit_change_request(*, change_request: ChangeRequest, user, operations: list[dict], reason: str) -> ChangeRequest:
    """The submitter edits a returned request against the data as it is now, and sends it again
    from the first approval level."""
    if not can_rework_change_request(user, change_request):
        raise PermissionDenied(_("Bạn không có quyền chỉnh sửa yêu cầu này."))
    if change_request.status != ChangeRequest.Status.RETURNED:
        raise ValidationError(_("Yêu cầu không ở trạng thái trả lại để chỉnh sửa."))
    reason = _require_reason(reason)
    with transaction.atomic():
        _check_operations(kind=change_request.kind, unit=change_request.unit, operations=operations, user=user)
        change_request.operations = operations
        change_request.reason = reason
        change_request.status = ChangeRequest.Status.SUBMITTED
        change_request.submitted_at = timezone.now()
        _route(change_request)
        change_request.decided_by = None
        change_request.decided_for = None
        change_request.decided_at = None
        change_request.decision_comment = ""
        change_request.save()
    return change_request


def withdraw_change_request(*, change_request: ChangeRequest, user) -> ChangeRequest:
    """The submitter abandons a returned request."""
    if change_request.submitted_by_id != user.pk:
        raise PermissionDenied(_("Chỉ người đề xuất được rút yêu cầu."))
    if change_request.status != ChangeRequest.Status.RETURNED:
        raise ValidationError(_("Yêu cầu không ở trạng thái trả lại để chỉnh sửa."))
    change_request.status = ChangeRequest.Status.WITHDRAWN
    change_request.save()
    return change_request


def create_delegation(*, delegator, delegate, valid_from, valid_to, reason: str):
    """An approver hands their approvals to a colleague (someone with a grant on a unit where
    the approver approves) for a date range starting today or later."""
    from units.models import RoleGrant, Role

    from .models import Delegation
    from .permissions import can_delegate_approvals

    if not can_delegate_approvals(delegator):
        raise PermissionDenied(_("Chỉ người có quyền phê duyệt mới được uỷ quyền."))
    if valid_from and valid_from < timezone.localdate():
        raise ValidationError({"valid_from": _("Không uỷ quyền cho ngày đã qua.")})
    approver_units = RoleGrant.objects.active().filter(user=delegator, role=Role.APPROVER).values("unit_id")
    if not RoleGrant.objects.active().filter(user=delegate, unit_id__in=approver_units).exists():
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
    if delegation.delegator_id != user.pk and not user.is_superuser:
        raise PermissionDenied(_("Chỉ người uỷ quyền được thu hồi."))
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation._history_user = user
        delegation.save()
    return delegation
