"""Who has approvals waiting too long, and which."""

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from viewflow.workflow.status import STATUS

from units.models import Role, RoleGrant
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask, Delegation


def list_overdue_approvals_by_approver(*, older_than: timedelta, now=None) -> dict:
    """{approver: [ChangeRequest, ...]} for approval tasks pending longer than `older_than`.

    A task someone has taken is theirs alone; an untaken one is waiting on every approver
    of the unit at the request's current level and on their active delegates, except the
    submitter and anyone who decided an earlier level (they may not decide this one).
    """
    now = now or timezone.now()
    tasks = (
        ChangeRequestTask.objects.filter(
            flow_task=ChangeRequestFlow.approve,
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            created__lte=now - older_than,
        )
        .select_related("process__change_request__pending_unit", "owner")
        .prefetch_related("process__change_request__decisions")
        .order_by("created")
    )
    tasks = [t for t in tasks if t.process.change_request.status == ChangeRequest.Status.SUBMITTED]
    unit_ids = {t.process.change_request.pending_unit_id for t in tasks if t.owner_id is None}
    approvers_by_unit = defaultdict(set)
    for unit_id, user_id in RoleGrant.objects.active().filter(unit_id__in=unit_ids, role=Role.APPROVER).values_list(
        "unit_id", "user_id"
    ):
        approvers_by_unit[unit_id].add(user_id)
    # Approvers away on a delegation are reminded through their delegate as well.
    delegates_of = defaultdict(set)
    for delegator_id, delegate_id in Delegation.objects.active().values_list("delegator_id", "delegate_id"):
        delegates_of[delegator_id].add(delegate_id)

    items = defaultdict(list)
    for task in tasks:
        change_request = task.process.change_request
        if task.owner_id is not None:
            recipients = {task.owner_id}
        else:
            earlier = change_request.earlier_deciders()
            approvers = approvers_by_unit[change_request.pending_unit_id] - {change_request.submitted_by_id} - earlier
            delegates = {delegate for approver in approvers for delegate in delegates_of[approver]}
            recipients = (approvers | delegates) - {change_request.submitted_by_id} - earlier
        for user_id in recipients:
            items[user_id].append(change_request)

    users = get_user_model().objects.in_bulk(list(items), field_name="pk")
    return {users[user_id]: requests for user_id, requests in items.items() if users[user_id].is_active}
