"""Reminder and escalation ladders (EscalationRung rows per policy level): a request waiting at
a level longer than the ladder allows, counted in working days (workdays.calendar), is taken to
someone derived from the tree, and an Escalation row records it (who, when, to whom, why).

Targets, for the unit the level waits on (the pending unit):
- level approvers: its own approvers (a reminder);
- leader: the approvers of the unit the level belongs to, i.e. the pending unit's parent when
  the pending unit is a personnel department (bộ phận tổ chức cán bộ), else the unit itself
  (its leadership holds the approver grants: Role.APPROVER, "Lãnh đạo (phê duyệt)");
- parent approvers: the approvers of that unit's parent.
The submitter is never a target. An escalation target sees the request
(workflows.permissions.visible_change_requests_q); deciding stays with the level's approvers
and their delegates: escalation asks the leadership to see that it is decided.

The sweep is idempotent: one row per (approval task, rung), enforced by a unique constraint, so
running it twice, or two sweeps at once, records nothing new."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from units.models import Role, RoleGrant, Unit
from workdays.calendar import working_calendar

from .flows import ChangeRequestFlow
from .models import ChangeRequest, ChangeRequestTask, Escalation, EscalationRung
from .policy import Level, current_policy

Target = EscalationRung.Target


def ladder(rungs) -> list[tuple[int, EscalationRung]]:
    """(working days since the request reached the level, rung) for each rung, in step order."""
    total, due = 0, []
    for rung in sorted(rungs, key=lambda r: r.step):
        total += rung.after_working_days
        due.append((total, rung))
    return due


def target_unit(target: str, pending_unit: Unit) -> Unit | None:
    """The unit whose approvers receive an escalation of `target` from a level waiting on
    `pending_unit` (None when the tree has none: a root has no parent)."""
    if target == Target.LEVEL_APPROVERS:
        return pending_unit
    leading = pending_unit
    if pending_unit.is_personnel_department:
        leading = Unit.objects.get_parent(pending_unit) or pending_unit
    if target == Target.LEADER:
        return leading
    return Unit.objects.get_parent(leading)


def target_users(target: str, pending_unit: Unit, *, exclude=()) -> list:
    unit = target_unit(target, pending_unit)
    if unit is None:
        return []
    approvers = RoleGrant.objects.active().filter(unit=unit, role=Role.APPROVER).values("user_id")
    users = get_user_model().objects.filter(pk__in=approvers, is_active=True).exclude(pk__in=list(exclude))
    return list(users.order_by("pk"))


def escalate_overdue_approvals(*, now=None) -> list[Escalation]:
    """Record every rung that is due and not yet recorded, for every approval still waiting."""
    now = now or timezone.now()
    rungs_by_key = {}
    for rung in EscalationRung.objects.all():
        rungs_by_key.setdefault((rung.policy_id, rung.level), []).append(rung)
    if not rungs_by_key:
        return []
    calendar = working_calendar()
    today = timezone.localdate(now)
    # Nothing younger than the shortest first rung can be due: read only older tasks.
    shortest = min(ladder(rungs)[0][0] for rungs in rungs_by_key.values())
    cutoff = calendar.age_cutoff(today, shortest)
    tasks = list(
        ChangeRequestTask.objects.filter(
            flow_task=ChangeRequestFlow.approve,
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            created__lt=timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min)),
            process__change_request__status=ChangeRequest.Status.SUBMITTED,
            process__change_request__pending_unit__isnull=False,
        )
        .select_related("process__change_request__pending_unit")
        .order_by("created", "pk")
    )
    done = set(Escalation.objects.filter(task__in=tasks).values_list("task_id", "step"))
    in_force = current_policy()
    created = []
    for task in tasks:
        change_request = task.process.change_request
        level = change_request.current_level
        code = change_request.levels[level]["level"] if change_request.levels else Level.UNIT_LEADER
        policy_id = change_request.policy_id or (in_force.pk if in_force else None)
        age = calendar.working_days_between(timezone.localdate(task.created), today)
        for due_after, rung in ladder(rungs_by_key.get((policy_id, code), [])):
            if age < due_after or (task.pk, rung.step) in done:
                continue
            escalation = _record(task, change_request, rung, age=age, limit=due_after, now=now)
            if escalation is not None:
                created.append(escalation)
    return created


def _record(task, change_request, rung, *, age, limit, now) -> Escalation | None:
    pending_unit = change_request.pending_unit
    users = target_users(rung.target, pending_unit, exclude=[change_request.submitted_by_id])
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "Chờ phê duyệt %(days)s ngày làm việc ở cấp %(level)s (%(unit)s), quá %(limit)s ngày: %(target)s."
        ) % {
            "days": age,
            "level": change_request.current_level + 1,
            "unit": pending_unit.name,
            "limit": limit,
            "target": rung.get_target_display(),
        }
        if not users:
            reason += " " + _("Không có người nhận: đơn vị không có người phê duyệt đang hiệu lực.")
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                change_request=change_request,
                task=task,
                level=change_request.current_level,
                unit=pending_unit,
                step=rung.step,
                target=rung.target,
                at=now,
                reason=reason,
            )
            escalation.escalated_to.set(users)
    except IntegrityError:
        return None  # another sweep recorded it first
    return escalation
