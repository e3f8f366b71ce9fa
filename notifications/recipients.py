"""Who a change request's event is for: the approvers of its current level (the queue's own rule,
workflows.permissions.can_approve_change_request, asked of each candidate: approvers of the level's
unit and the colleagues they delegated to), or its submitter."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from units.models import Role, RoleGrant
from workflows.models import Delegation
from workflows.permissions import can_approve_change_request, preload_approval_capacities


def current_level_approvers(change_request) -> list:
    if change_request.pending_unit_id is None:
        return []
    approvers = RoleGrant.objects.active().filter(unit_id=change_request.pending_unit_id, role=Role.APPROVER)
    approver_ids = approvers.values("user_id")
    delegates = Delegation.objects.active().filter(delegator_id__in=approver_ids).values("delegate_id")
    candidates = get_user_model().objects.filter(Q(pk__in=approver_ids) | Q(pk__in=delegates), is_active=True)
    candidates = list(candidates.order_by("pk"))
    preload_approval_capacities(candidates)
    return [user for user in candidates if can_approve_change_request(user, change_request)]
