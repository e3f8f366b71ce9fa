"""Who has approvals waiting too long, and which: asked of the queue's own rule."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from units.models import Role, RoleGrant
from workdays.calendar import working_calendar
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequestTask, Delegation
from workflows.selectors import list_approvable_change_requests


def list_overdue_approvals_by_approver(*, working_days: int, now=None) -> dict:
    """{approver: [ChangeRequest, ...]} for approval tasks that have waited `working_days`
    working days or more (workdays.calendar: a task created on Friday is 1 day old on Monday;
    weekends, Tết and declared days off do not count).

    Whether someone is reminded of a request is the queue's rule, asked of each of them
    (workflows.permissions.approvable_change_requests_q): a task someone has taken is theirs
    alone while they may still decide it; an untaken one waits on everyone the rule lets take
    it, approvers of the level and the colleagues they delegated to alike.
    """
    now = now or timezone.now()
    # Created on the cutoff date or before (local time): old enough.
    cutoff = working_calendar().age_cutoff(timezone.localdate(now), working_days)
    created_before = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min))
    overdue = ChangeRequestTask.objects.filter(
        flow_task=ChangeRequestFlow.approve,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
        created__lt=created_before,
    )
    requests, owner_of = {}, {}
    for task in overdue.select_related("process__change_request").order_by("created", "pk"):
        change_request = task.process.change_request
        requests.setdefault(change_request.pk, change_request)
        owner_of[change_request.pk] = task.owner_id
    position = {pk: n for n, pk in enumerate(requests)}
    # The overdue requests as a subquery, not a list of ids: one approver's question costs the
    # same whatever the number of overdue requests (issue 10's benchmark: 300 approvers × 20,000
    # ids was 6 million parameters).
    overdue_ids = overdue.values("process__change_request")
    items = defaultdict(list)
    for user in _candidates(requests.values(), owner_of.values()):
        allowed = list_approvable_change_requests(user=user).filter(pk__in=overdue_ids).values_list("pk", flat=True)
        for pk in sorted((pk for pk in allowed if pk in position), key=position.__getitem__):
            if owner_of[pk] in (None, user.pk):
                items[user].append(requests[pk])
    return dict(items)


def _candidates(requests, owners):
    """Everyone who might be entitled (the rule decides): approvers of the pending units, the
    delegates of approvers holding a grant there, and the tasks' owners; active accounts."""
    units = {r.pending_unit_id for r in requests if r.pending_unit_id is not None}
    approvers = RoleGrant.objects.active().filter(unit_id__in=units, role=Role.APPROVER).values("user_id")
    delegates = Delegation.objects.active().filter(delegator_id__in=approvers).values("delegate_id")
    owners = [owner for owner in owners if owner is not None]
    entitled = Q(pk__in=approvers) | Q(pk__in=delegates) | Q(pk__in=owners)
    return list(get_user_model().objects.filter(entitled, is_active=True).order_by("pk"))
