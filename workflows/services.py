"""Every write a change request makes: submit, decide, apply, resubmit, withdraw."""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import Employee
from records.permissions import can_propose_change
from records.services import apply_employee_changes
from records.tracking import ChangeContext

from .models import ChangeRequest
from .permissions import can_approve_change_request, can_rework_change_request


class Decision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    CHOICES = (APPROVE, RETURN, REJECT)


def serialize_changes(changes: dict) -> dict:
    """Field values as JSON-safe primitives (dates ISO, decimals as strings)."""
    return json.loads(json.dumps(changes, cls=DjangoJSONEncoder))


def deserialize_changes(data: dict) -> dict:
    """JSON values back to Python values of each Employee field."""
    return {name: Employee._meta.get_field(name).to_python(value) for name, value in data.items()}


def latest_version(employee):
    return employee.history.order_by("-history_date", "-history_id").first()


def _validated_changes(*, employee: Employee, changes: dict) -> dict:
    """Keep only real differences, and validate the record as it would be after them."""
    unknown = set(changes) - set(Employee.CHANGEABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Không được đề xuất thay đổi các trường: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    changed = {name: value for name, value in changes.items() if getattr(employee, name) != value}
    if not changed:
        raise ValidationError(_("Không có thay đổi nào so với hồ sơ hiện tại."))
    candidate = Employee.objects.get(pk=employee.pk)
    for name, value in changed.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    return changed


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do thay đổi.")})
    return reason


def submit_change_request(*, employee: Employee, submitted_by, changes: dict, reason: str) -> ChangeRequest:
    """An officer of the managing unit proposes new values; the approval flow starts."""
    from .flows import ChangeRequestFlow

    if not can_propose_change(submitted_by, employee):
        raise PermissionDenied(_("Bạn không có quyền đề xuất thay đổi hồ sơ này."))
    reason = _require_reason(reason)
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        changed = _validated_changes(employee=employee, changes=changes)
        change_request = ChangeRequest(
            employee=employee,
            proposed_changes=serialize_changes(changed),
            base_version=latest_version(employee),
            reason=reason,
            submitted_by=submitted_by,
            submitted_at=timezone.now(),
        )
        change_request.full_clean(exclude=["process"])
        change_request.save()
        ChangeRequestFlow.submit.run(change_request=change_request)
    return change_request


def decide_change_request(*, change_request: ChangeRequest, user, decision: str, comment: str = "") -> ChangeRequest:
    """The approver approves, returns for rework, or rejects. Returning or rejecting needs a comment."""
    if decision not in Decision.CHOICES:
        raise ValidationError(_("Quyết định không hợp lệ."))
    if not can_approve_change_request(user, change_request):
        raise PermissionDenied(_("Bạn không có quyền phê duyệt yêu cầu này."))
    if change_request.status != ChangeRequest.Status.SUBMITTED:
        raise ValidationError(_("Yêu cầu không ở trạng thái chờ phê duyệt."))
    comment = (comment or "").strip()
    if decision != Decision.APPROVE and not comment:
        raise ValidationError({"comment": _("Phải ghi ý kiến khi trả lại hoặc từ chối.")})
    change_request.status = {
        Decision.APPROVE: ChangeRequest.Status.APPROVED,
        Decision.RETURN: ChangeRequest.Status.RETURNED,
        Decision.REJECT: ChangeRequest.Status.REJECTED,
    }[decision]
    change_request.decided_by = user
    change_request.decided_at = timezone.now()
    change_request.decision_comment = comment
    change_request.save()
    return change_request


def apply_change_request(*, change_request: ChangeRequest) -> bool:
    """Write an approved request into the record, in one transaction with the row locked.

    Refuses, and returns the request for rework, when the record changed since the
    version the request was proposed against. Returns whether the change was applied.
    """
    if change_request.status != ChangeRequest.Status.APPROVED:
        raise ValidationError(_("Chỉ áp dụng được yêu cầu đã phê duyệt."))
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=change_request.employee_id)
        if latest_version(employee).pk != change_request.base_version_id:
            change_request.status = ChangeRequest.Status.RETURNED
            change_request.decision_comment = _(
                "Hồ sơ đã được thay đổi sau khi gửi đề xuất này; đề xuất không được áp dụng. "
                "Vui lòng kiểm tra lại giá trị hiện tại và gửi lại."
            )
            change_request.save()
            return False
        apply_employee_changes(
            employee=employee,
            changes=deserialize_changes(change_request.proposed_changes),
            context=ChangeContext(
                reason=change_request.reason,
                proposed_by=change_request.submitted_by,
                approved_by=change_request.decided_by,
                change_request=change_request,
            ),
        )
        change_request.status = ChangeRequest.Status.APPLIED
        change_request.applied_at = timezone.now()
        change_request.save()
    return True


def resubmit_change_request(*, change_request: ChangeRequest, user, changes: dict, reason: str) -> ChangeRequest:
    """The submitter edits a returned request against the record as it is now, and sends it again."""
    if not can_rework_change_request(user, change_request):
        raise PermissionDenied(_("Bạn không có quyền chỉnh sửa yêu cầu này."))
    if change_request.status != ChangeRequest.Status.RETURNED:
        raise ValidationError(_("Yêu cầu không ở trạng thái trả lại để chỉnh sửa."))
    reason = _require_reason(reason)
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=change_request.employee_id)
        changed = _validated_changes(employee=employee, changes=changes)
        change_request.proposed_changes = serialize_changes(changed)
        change_request.base_version = latest_version(employee)
        change_request.reason = reason
        change_request.status = ChangeRequest.Status.SUBMITTED
        change_request.submitted_at = timezone.now()
        change_request.decided_by = None
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
