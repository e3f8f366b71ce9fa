"""The work that due items (duedates.DueItem) give the officers of a person's managing unit, as
DueTask rows: kept in step with the due items after each refresh (sync_due_tasks), a draft
submitted as an ordinary change request (submit_due_draft), a deadline marked done
(complete_due_task). Who may act is records.permissions.can_propose_change, asked through
workflows.permissions.can_act_on_due_task and its queryset form."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duedates.models import DueItem
from records.models import SalaryHistory
from records.models.employee import today
from records.models.salary import coefficients_for

from . import changesets, services
from .models import ChangeRequest, DueTask
from .permissions import can_act_on_due_task, due_tasks_q

CHUNK = 2000

# DueItem kind -> DueTask kind of its draft.
DRAFT_OF = {
    DueItem.Kind.SALARY_STEP: DueTask.Kind.SALARY_STEP,
    DueItem.Kind.BEYOND_LAST_STEP: DueTask.Kind.BEYOND_LAST_STEP,
}
# Retirement deadline tasks: (task kind, DueItem column of its deadline).
RETIREMENT_TASKS = (
    (DueTask.Kind.RETIREMENT_NOTICE, "notice_deadline"),
    (DueTask.Kind.RETIREMENT_DECISION, "decision_deadline"),
)
# Deadline tasks before the end of a term: (task kind, due item kind); the deadline is the item's
# notice deadline (its due date when no notice rule applies).
TERM_TASKS = (
    (DueTask.Kind.CONTRACT_END, DueItem.Kind.CONTRACT_END),
    (DueTask.Kind.PROBATION_END, DueItem.Kind.PROBATION_END),
)
# The due item a task's key must still match, by task kind.
ITEM_OF = {
    **{task_kind: item_kind for task_kind, item_kind in TERM_TASKS},
    DueTask.Kind.SALARY_STEP: DueItem.Kind.SALARY_STEP,
    DueTask.Kind.BEYOND_LAST_STEP: DueItem.Kind.BEYOND_LAST_STEP,
    DueTask.Kind.RETIREMENT_NOTICE: DueItem.Kind.RETIREMENT,
    DueTask.Kind.RETIREMENT_DECISION: DueItem.Kind.RETIREMENT,
}


def lead_days() -> int:
    return settings.DUE_WORK_LEAD_DAYS


def draft_values(kind: str, due_date: datetime.date, inputs: dict) -> dict | None:
    """What a draft proposes, from its due item's inputs: the next step with its coefficient in
    the salary table in force on the due date; or the next beyond-last-step percentage. None when
    it cannot be pre-filled (a rank missing from the table in force, no current step)."""
    if kind == DueTask.Kind.SALARY_STEP:
        rank, step = inputs.get("rank_code"), inputs.get("step")
        coefficients = coefficients_for(rank, due_date) if rank else None
        if not step or coefficients is None or not 1 <= step < len(coefficients):
            return None
        return {
            "rank_code": rank,
            "salary_step": step + 1,
            "salary_coefficient": str(coefficients[step]),
            "effective_date": due_date.isoformat(),
            "from_step": step,
        }
    percent = inputs.get("next_percent")
    if not percent:
        return None
    return {
        "percent": percent,
        "from_percent": inputs.get("current_percent") or 0,
        "effective_date": due_date.isoformat(),
    }


def _wanted(today_: datetime.date, horizon: datetime.date) -> dict[tuple, tuple]:
    """{(employee id, task kind, due date): (deadline, values)} of every task the due items ask
    for now: drafts due by the horizon; retirement deadlines falling by the horizon, of a
    retirement still to come; the notice before a contract's or a probation's end still to come,
    falling by the horizon."""
    wanted = {}
    drafts = DueItem.objects.filter(kind__in=list(DRAFT_OF), due_date__lte=horizon).values_list(
        "employee_id", "kind", "due_date", "inputs"
    )
    for employee_id, item_kind, due_date, inputs in drafts.iterator(chunk_size=CHUNK):
        kind = DRAFT_OF[item_kind]
        values = draft_values(kind, due_date, inputs or {})
        if values is not None:
            wanted[(employee_id, kind, due_date)] = (due_date, values)
    columns = [column for _kind, column in RETIREMENT_TASKS]
    retirements = DueItem.objects.filter(kind=DueItem.Kind.RETIREMENT, due_date__gte=today_).values(
        "employee_id", "due_date", *columns
    )
    for row in retirements.iterator(chunk_size=CHUNK):
        for kind, column in RETIREMENT_TASKS:
            deadline = row[column]
            if deadline is not None and deadline <= horizon:
                wanted[(row["employee_id"], kind, row["due_date"])] = (deadline, {})
    task_of = {item_kind: task_kind for task_kind, item_kind in TERM_TASKS}
    terms = DueItem.objects.filter(kind__in=list(task_of), due_date__gte=today_).values_list(
        "employee_id", "kind", "due_date", "notice_deadline"
    )
    for employee_id, item_kind, due_date, notice in terms.iterator(chunk_size=CHUNK):
        deadline = notice or due_date
        if deadline <= horizon:
            wanted[(employee_id, task_of[item_kind], due_date)] = (deadline, {})
    return wanted


def _item_keys(employee_ids) -> set[tuple]:
    """(employee id, DueItem kind, due date) of every stored due item of these people."""
    keys = set()
    ids = sorted(employee_ids)
    for start in range(0, len(ids), CHUNK):
        keys.update(
            DueItem.objects.filter(employee_id__in=ids[start : start + CHUNK]).values_list(
                "employee_id", "kind", "due_date"
            )
        )
    return keys


def sync_due_tasks(*, on: datetime.date | None = None) -> dict:
    """Make the tasks the due items ask for and do not have yet (one per person, kind and due
    date, whatever its state: a refresh that recomputes the same item finds its task); mark
    obsolete the open ones whose due item is gone or moved (the step was applied, a sanction
    delayed it), and reopen an obsolete one whose item is back; close the drafts whose request
    was applied and reopen those whose request was rejected or withdrawn. Idempotent; safe to
    run twice at once (unique key, conflicts ignored). Returns counts."""
    on = on or today()
    now = timezone.now()
    wanted = _wanted(on, on + datetime.timedelta(days=lead_days()))
    created = reopened = 0
    keys = sorted(wanted)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        ids = {employee_id for employee_id, _kind, _due in chunk}
        have = {
            (e, k, d): (pk, status)
            for pk, e, k, d, status in DueTask.objects.filter(employee_id__in=ids)
            .values_list("pk", "employee_id", "kind", "due_date", "status")
            .order_by()
        }
        new = [
            DueTask(employee_id=e, kind=k, due_date=d, deadline=wanted[(e, k, d)][0], values=wanted[(e, k, d)][1])
            for e, k, d in chunk
            if (e, k, d) not in have
        ]
        DueTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        created += len(new)
        # An item that went away and came back (a sanction annulled again): its task reopens.
        for key in chunk:
            pk, status = have.get(key, (None, None))
            if status == DueTask.Status.OBSOLETE:
                deadline, values = wanted[key]
                reopened += DueTask.objects.filter(pk=pk, status=DueTask.Status.OBSOLETE).update(
                    status=DueTask.Status.OPEN, deadline=deadline, values=values, closed_at=None
                )

    open_tasks = list(
        DueTask.objects.filter(status=DueTask.Status.OPEN).values_list("pk", "employee_id", "kind", "due_date")
    )
    items = _item_keys({e for _pk, e, _k, _d in open_tasks})
    gone = [pk for pk, e, k, d in open_tasks if (e, ITEM_OF[k], d) not in items]
    obsolete = sum(
        DueTask.objects.filter(pk__in=gone[start : start + CHUNK], status=DueTask.Status.OPEN).update(
            status=DueTask.Status.OBSOLETE, closed_at=now
        )
        for start in range(0, len(gone), CHUNK)
    )

    submitted = DueTask.objects.filter(status=DueTask.Status.SUBMITTED)
    done = submitted.filter(change_request__status=ChangeRequest.Status.APPLIED).update(
        status=DueTask.Status.DONE, closed_at=now
    )
    reopened += submitted.filter(change_request__status__in=ChangeRequest.ENDED_UNAPPLIED).update(
        status=DueTask.Status.OPEN, change_request=None, closed_at=None, closed_by=None
    )
    return {"created": created, "obsolete": obsolete, "done": done, "reopened": reopened}


def list_due_tasks(*, user):
    """The open tasks `user` may act on, soonest deadline first, with their person."""
    return (
        DueTask.objects.filter(due_tasks_q(user), status=DueTask.Status.OPEN)
        .select_related("employee")
        .order_by("deadline", "pk")
    )


def get_due_task(*, user, pk) -> DueTask:
    """One task `user` may act on. DueTask.DoesNotExist when the user may not see its person
    (the page answers 404, disclosing nothing); PermissionDenied when they see the person but may
    not propose for them (upper units, approvers, viewers: 403, as on the person's change page)."""
    from records.permissions import can_view_employee

    task = DueTask.objects.select_related("employee__managing_unit").get(pk=pk)
    if not can_view_employee(user, task.employee):
        raise DueTask.DoesNotExist
    if not can_act_on_due_task(user, task):
        raise PermissionDenied(_("Bạn chỉ được xem hồ sơ này, không được đề xuất thay đổi."))
    return task


def draft_operations(task: DueTask, *, decision_number: str, decision_date, effective_date) -> list[dict]:
    """The change set of a draft: the new salary-history row (its decision included), or the
    new beyond-last-step percentage of the profile."""
    employee = task.employee
    if task.kind == DueTask.Kind.SALARY_STEP:
        values = task.values
        return [
            changesets.make_create(
                SalaryHistory,
                {
                    "employee": employee.pk,
                    "effective_date": effective_date.isoformat(),
                    "rank_code": values["rank_code"],
                    "salary_step": values["salary_step"],
                    "salary_coefficient": str(Decimal(values["salary_coefficient"])),
                    "decision_number": decision_number,
                    "decision_date": decision_date.isoformat() if decision_date else None,
                },
            )
        ]
    op = changesets.make_update(employee, {"seniority_allowance_percent": task.values["percent"]})
    if op is None:
        raise ValidationError(_("Hồ sơ đã ghi mức phụ cấp này; dự thảo không còn cần thiết."))
    return [op]


def draft_title(task: DueTask) -> str:
    if task.kind == DueTask.Kind.SALARY_STEP:
        return _("Nâng bậc lương thường xuyên: %(name)s lên bậc %(step)s") % {
            "name": task.employee.full_name,
            "step": task.values["salary_step"],
        }
    return _("Phụ cấp thâm niên vượt khung: %(name)s lên %(percent)s%%") % {
        "name": task.employee.full_name,
        "percent": task.values["percent"],
    }


def default_reason(task: DueTask) -> str:
    return _("Đến hạn ngày %(day)s theo quy định (dự thảo lập tự động từ danh sách đến hạn).") % {
        "day": task.due_date.strftime("%d/%m/%Y")
    }


def submit_due_draft(
    *, task: DueTask, user, decision_number: str, decision_date, effective_date, reason: str
) -> ChangeRequest:
    """The officer completes a draft (decision number, its date, the effective date) and sends
    it into the ordinary approval flow; the draft is then "submitted", linked to the request, in
    the same transaction. Bad input writes nothing."""
    if not task.is_draft:
        raise ValidationError(_("Việc này không phải dự thảo đề xuất."))
    if not can_act_on_due_task(user, task):
        raise PermissionDenied(_("Bạn không có quyền đề xuất thay đổi hồ sơ của cán bộ này."))
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": _("Phải nhập số quyết định.")})
    if effective_date is None:
        raise ValidationError({"effective_date": _("Phải nhập ngày hưởng.")})
    reason = (reason or "").strip()
    if task.kind == DueTask.Kind.BEYOND_LAST_STEP:
        # The profile has no decision columns for the allowance: the decision goes in the reason.
        reason = _("%(reason)s Quyết định số %(number)s, hưởng từ ngày %(day)s.") % {
            "reason": reason,
            "number": decision_number,
            "day": effective_date.strftime("%d/%m/%Y"),
        }
    with transaction.atomic():
        due_task = DueTask.objects.select_for_update().select_related("employee__managing_unit").get(pk=task.pk)
        if due_task.status != DueTask.Status.OPEN:
            raise ValidationError(_("Dự thảo này đã được gửi hoặc không còn đến hạn."))
        employee = due_task.employee
        change_request = services.submit_change_request(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=employee.managing_unit,
            submitted_by=user,
            operations=draft_operations(
                due_task, decision_number=decision_number, decision_date=decision_date, effective_date=effective_date
            ),
            reason=reason,
            title=draft_title(due_task),
            employee=employee,
            subject_model="records.employee",
            subject_pk=employee.pk,
        )
        due_task.status = DueTask.Status.SUBMITTED
        due_task.change_request = change_request
        due_task.closed_by = user
        due_task.closed_at = timezone.now()
        due_task.save(update_fields=["status", "change_request", "closed_by", "closed_at"])
    return change_request


def complete_due_task(*, task: DueTask, user, reference: str) -> DueTask:
    """The officer marks a deadline task (a retirement notice or decision, a contract's end
    notice, a probation's assessment) done, naming the document that did it."""
    if task.is_draft:
        raise ValidationError(_("Dự thảo được hoàn thành bằng cách gửi đề xuất."))
    if not can_act_on_due_task(user, task):
        raise PermissionDenied(_("Bạn không có quyền xử lý việc của cán bộ này."))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": _("Phải nhập số văn bản đã ban hành.")})
    with transaction.atomic():
        due_task = DueTask.objects.select_for_update().get(pk=task.pk)
        if due_task.status != DueTask.Status.OPEN:
            raise ValidationError(_("Việc này đã được xử lý hoặc không còn đến hạn."))
        due_task.status = DueTask.Status.DONE
        due_task.reference = reference[:128]
        due_task.closed_by = user
        due_task.closed_at = timezone.now()
        due_task.full_clean(exclude=["employee", "closed_by", "change_request"])
        due_task.save(update_fields=["status", "reference", "closed_by", "closed_at"])
    return due_task


def close_by_request(*, pk, change_request: ChangeRequest) -> bool:
    """A deadline due_task (retirement notice or decision) is done when a request about its person
    is submitted from its page ("Lập đề xuất cho việc này"); the request is its reference. Call
    in the submission's transaction. Anything else (no due_task, another person, a draft, a due_task no
    longer open, someone who may not act on it) is left alone. Returns whether it closed one."""
    if not pk or not str(pk).isdigit() or change_request.employee_id is None:
        return False
    due_task = (
        DueTask.objects.select_for_update()
        .select_related("employee__managing_unit")
        .filter(pk=int(pk), employee_id=change_request.employee_id, status=DueTask.Status.OPEN)
        .exclude(kind__in=DueTask.DRAFT_KINDS)
        .first()
    )
    if due_task is None or not can_act_on_due_task(change_request.submitted_by, due_task):
        return False
    due_task.status = DueTask.Status.DONE
    due_task.change_request = change_request
    due_task.reference = _("Yêu cầu #%(pk)s") % {"pk": change_request.pk}
    due_task.closed_by = change_request.submitted_by
    due_task.closed_at = timezone.now()
    due_task.save(update_fields=["status", "change_request", "reference", "closed_by", "closed_at"])
    return True
