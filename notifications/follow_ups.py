"""Reminders of inspection follow-ups (inspections.FollowUpAction) still to do: to the people
responsible (inspections.permissions.list_responsible_for_follow_up, the officers of the unit
that made the plan) when the deadline nears and when it has passed; and, once it is late by
FOLLOW_UP_ESCALATE_WORKING_DAYS working days, to the leader of that unit as workflows.escalation
derives it (its approvers). Each (follow-up, deadline, milestone) once per person, whatever the
number of runs (the notification's dedupe key); a new deadline is told afresh."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from inspections.models import FollowUpAction
from inspections.permissions import list_responsible_for_follow_up, responsible_unit
from inspections.selectors import OPEN_STATUSES
from records.models.employee import today
from workdays.calendar import working_days_between
from workflows.escalation import Target, target_users

from .models import Kind
from .services import notify


def milestone(action: FollowUpAction, on: datetime.date) -> str:
    """ "soon" before the deadline, "late" after it, "escalated" once late by the set number of
    working days."""
    if action.deadline >= on:
        return "soon"
    if working_days_between(action.deadline, on) >= settings.FOLLOW_UP_ESCALATE_WORKING_DAYS:
        return "escalated"
    return "late"


def notify_follow_ups(*, on: datetime.date | None = None) -> int:
    """Tell the people responsible for each follow-up still to do whose deadline is
    DUE_REMIND_DAYS away or nearer, or past; escalate the long-late ones. Returns how many
    follow-ups were considered."""
    on = on or today()
    soon = on + datetime.timedelta(days=settings.DUE_REMIND_DAYS)
    actions = (
        FollowUpAction.objects.filter(status__in=OPEN_STATUSES, deadline__lte=soon)
        .select_related("inspection__plan__unit", "inspection__inspected_unit")
        .order_by("pk")
    )
    officers: dict[int, list] = {}  # by responsible unit: the rule asked once per unit
    leaders: dict[int, list] = {}
    count = 0
    for action in actions.iterator(chunk_size=500):
        unit = responsible_unit(action)
        if unit.pk not in officers:
            officers[unit.pk] = list(list_responsible_for_follow_up(action))
        step = milestone(action, on)
        recipients = officers[unit.pk]
        if step == "escalated":
            if unit.pk not in leaders:
                leaders[unit.pk] = target_users(Target.LEADER, unit)
            recipients = leaders[unit.pk]
        params = {
            "milestone": step,
            "text": action.description[:200],
            "inspected": action.inspection.inspected_unit.name,
            "unit": unit.name,
            "deadline": action.deadline.strftime("%d/%m/%Y"),
            "days_late": max((on - action.deadline).days, 0),
        }
        with transaction.atomic():
            notify(
                recipients,
                kind=Kind.FOLLOW_UP,
                dedupe_key=f"followup{action.pk}:{action.deadline.isoformat()}:{step}",
                params=params,
                target_url=reverse("inspections:plan-detail", args=[action.inspection.plan_id]),
                target_key=f"inspections.followupaction:{action.pk}",
            )
        count += 1
    return count
