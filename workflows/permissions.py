"""Who may view, approve or rework a change request: the single place each decision is made."""

from units.models import Role
from units.permissions import can_propose_for_unit
from units.selectors import active_grants, has_role_on_unit


def can_view_change_request(user, change_request) -> bool:
    """People who may see the unit whose data it changes or the unit receiving a transfer, and
    the people of the units it is routed to for a decision."""
    from .selectors import list_change_requests

    return list_change_requests(user=user).filter(pk=change_request.pk).exists()


def can_view_sensitive_in_request(user, change_request) -> bool:
    """Sensitive values in a request (health, family, discipline) are shown to those who see them
    in the file, and to approvers of any of the request's levels."""
    from records.permissions import can_view_sensitive

    if change_request.employee_id and can_view_sensitive(user, change_request.employee):
        return True
    if not change_request.employee_id and has_role_on_unit(user=user, unit=change_request.unit, role=Role.OFFICER):
        return True
    return any(has_role_on_unit(user=user, unit=unit, role=Role.APPROVER) for unit in change_request.approval_units())


def approval_capacity(user, change_request):
    """How `user` may decide the request's current level: None when they may not; otherwise
    (acting_for, delegation): (None, None) on their own grant, or the approver and the
    delegation they act under. The submitter never decides their own request, nobody decides
    two levels of one request, and a delegation changes neither rule."""
    from units.models import RoleGrant

    from .models import Delegation

    if not user.is_authenticated or change_request.submitted_by_id == user.pk:
        return None
    if change_request.pending_unit_id is None:
        return None
    earlier = change_request.earlier_deciders()
    if user.pk in earlier:
        return None
    if has_role_on_unit(user=user, unit=change_request.pending_unit, role=Role.APPROVER):
        return (None, None)
    for delegation in Delegation.objects.active().filter(delegate=user).select_related("delegator"):
        delegator = delegation.delegator
        if delegator.pk == change_request.submitted_by_id or delegator.pk in earlier or not delegator.is_active:
            continue
        if RoleGrant.objects.active().filter(user=delegator, unit_id=change_request.pending_unit_id, role=Role.APPROVER).exists():
            return (delegator, delegation)
    return None


def can_approve_change_request(user, change_request) -> bool:
    """An approver of the unit at the current level decides, or a colleague acting for one."""
    return approval_capacity(user, change_request) is not None


def can_delegate_approvals(user) -> bool:
    """Anyone who approves somewhere may hand their approvals to a colleague for a while."""
    return any(role == Role.APPROVER for _unit, _path, role in active_grants(user))


def can_rework_change_request(user, change_request) -> bool:
    """The submitter edits a returned request, while still an officer of the unit."""
    return change_request.submitted_by_id == user.pk and can_propose_for_unit(user, change_request.unit)


def can_manage_workflow(user) -> bool:
    """Cancelling, undoing or reviving flow tasks is a system administrator's act."""
    return user.is_authenticated and user.is_superuser


def can_withdraw_change_request(user, change_request) -> bool:
    """The submitter, while still an officer of the unit, withdraws a request no level has
    decided since it was (re)submitted, or one returned to them (workflows.lifecycle)."""
    from .lifecycle import ChangeRequestLifecycle

    return (
        user.is_authenticated
        and change_request.submitted_by_id == user.pk
        and ChangeRequestLifecycle(change_request).withdraw.can_proceed()
        and can_propose_for_unit(user, change_request.unit)
    )
