"""Notifications of the work due items give the officers (workflows.due_work): a task that has
appeared, and a task whose deadline is near, told once each to the officers who may act on it
(records.permissions.list_officers_for_employee), in the bell, the digest or an immediate email
as each chose (services.notify)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from records.models.employee import today
from records.permissions import list_officers_for_employee
from workflows.due_work import sync_due_tasks
from workflows.models import DueTask

from .follow_ups import notify_follow_ups
from .models import Kind
from .services import notify

# A task is told as "new" while this recent: a sweep that did not run for a few days still
# tells it; the dedupe key makes telling it again a no-op.
NEW_FOR = datetime.timedelta(days=7)


def milestone(task: DueTask, on: datetime.date) -> str:
    """ "soon" while the deadline is DUE_REMIND_DAYS away or nearer and not past, else "new"."""
    return "soon" if on <= task.deadline <= on + datetime.timedelta(days=settings.DUE_REMIND_DAYS) else "new"


def notify_due_work(*, on: datetime.date | None = None) -> int:
    """Tell the officers of each open task that has just appeared or whose deadline is near
    (not yet past: a task already late when it appeared is told as new). Each (task, milestone)
    once per officer, whatever the number of runs. Returns how many tasks were considered."""
    on = on or today()
    soon = on + datetime.timedelta(days=settings.DUE_REMIND_DAYS)
    tasks = (
        DueTask.objects.filter(status=DueTask.Status.OPEN)
        .filter(Q(created_at__gte=timezone.now() - NEW_FOR) | Q(deadline__gte=on, deadline__lte=soon))
        .select_related("employee__managing_unit")
        .order_by("pk")
    )
    officers: dict[int, list] = {}  # by managing unit: the rule asked once per unit
    count = 0
    for task in tasks.iterator(chunk_size=500):
        employee = task.employee
        if employee.managing_unit_id not in officers:
            officers[employee.managing_unit_id] = list(list_officers_for_employee(employee))
        step = milestone(task, on)
        with transaction.atomic():
            notify(
                officers[employee.managing_unit_id],
                kind=Kind.DUE_WORK,
                dedupe_key=f"due{task.pk}:{step}",
                params={
                    "milestone": step,
                    "task_kind": task.kind,
                    "name": employee.full_name,
                    "unit": employee.managing_unit.name,
                    "due": task.due_date.strftime("%d/%m/%Y"),
                    "deadline": task.deadline.strftime("%d/%m/%Y"),
                },
                target_url=reverse("changerequest:due-task", args=[task.pk]),
                target_key=f"workflows.duetask:{task.pk}",
            )
        count += 1
    return count


def sweep_due_work(*, on: datetime.date | None = None) -> dict:
    """After the nightly refresh of due items: the officers' tasks brought in step, then their
    notifications written, and the reminders of inspection follow-ups. All idempotent."""
    counts = sync_due_tasks(on=on)
    counts["notified"] = notify_due_work(on=on)
    counts["follow_ups"] = notify_follow_ups(on=on)
    return counts
