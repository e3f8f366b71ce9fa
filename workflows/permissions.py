"""Who may view, approve or rework a change request: the single place each decision is made."""

from records.permissions import can_propose_change, can_view_employee
from units.models import Role
from units.selectors import has_role_on_unit


def can_view_change_request(user, change_request) -> bool:
    return can_view_employee(user, change_request.employee)


def can_approve_change_request(user, change_request) -> bool:
    """An approver of the managing unit decides; the submitter never approves their own request."""
    if not user.is_authenticated or change_request.submitted_by_id == user.pk:
        return False
    return has_role_on_unit(user=user, unit=change_request.employee.managing_unit, role=Role.APPROVER)


def can_rework_change_request(user, change_request) -> bool:
    """The submitter edits a returned request, while still an officer of the managing unit."""
    return change_request.submitted_by_id == user.pk and can_propose_change(user, change_request.employee)


def can_manage_workflow(user) -> bool:
    """Cancelling, undoing or reviving flow tasks is a system administrator's act."""
    return user.is_authenticated and user.is_superuser
