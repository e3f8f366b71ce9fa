"""The due lists: the page with its filters (and "as of" another date), one person's items with
every input that produced them, and the xlsx export (a background job of records.export_jobs).
Who sees, acts and exports is asked from duedates.permissions."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections.permissions import follow_up_act_checker
from inspections.selectors import list_open_follow_ups
from records.access import access_employee
from records.export_jobs import services as export_services
from records.models.employee import today
from records.views import filter_units
from units.selectors import list_visible_units

from . import rules
from .explain import explain, load_rule_sources, shown_reason
from .exports import DUE_LIST
from .models import RefreshRun
from .permissions import (
    act_checker,
    can_export_due_items,
    can_view_due_inputs,
    can_view_due_items,
    inputs_checker,
)
from .selectors import DueFilterForm, due_page, person_items


def _status(item, as_of) -> str:
    if item.kind == rules.CANNOT_COMPUTE or item.due_date is None:
        return _("Không tính được")
    days = (item.due_date - as_of).days
    if days < 0:
        return _("Quá hạn %(n)s ngày") % {"n": -days}
    if days == 0:
        return _("Đến hạn hôm nay")
    return _("Còn %(n)s ngày") % {"n": days}


def describe_rows(user, items, as_of) -> list[dict]:
    """What the page shows of each item: masked per row as the reader may see it, whether they
    may act on it, and the lines that explain its date. No query per row."""
    may_see = inputs_checker(user)
    may_act = act_checker(user)
    sources = load_rule_sources()
    rows = []
    for item in items:
        unit = item.employee.managing_unit
        sensitive = may_see(unit.pk, unit.path)
        rows.append(
            {
                "item": item,
                "employee": item.employee,
                "unit": unit,
                "status": _status(item, as_of),
                "overdue": item.due_date is not None and item.due_date < as_of,
                "notice_passed": bool(item.notice_deadline and item.notice_deadline < as_of),
                "decision_passed": bool(item.decision_deadline and item.decision_deadline < as_of),
                "reason": shown_reason(item, sensitive=sensitive) if item.kind == rules.CANNOT_COMPUTE else "",
                "lines": explain(item, sensitive=sensitive, sources=sources),
                "can_act": may_act(unit.pk, unit.path),
            }
        )
    return rows


FOLLOW_UPS_SHOWN = 50


def follow_up_rows(user, filters) -> tuple[list[dict] | None, datetime.date | None, bool]:
    """The follow-ups beside the due lists: those still to do with a deadline by the end of the
    chosen range (or the officers' lead time from today), late ones included, in the chosen unit;
    only today (their status is today's), and only with no kind of person item chosen. (rows, the
    last deadline shown, whether more exist) or (None, None, False) when not shown."""
    if filters.kind or filters.as_of != today():
        return None, None, False
    until = filters.due_to or filters.as_of + datetime.timedelta(days=settings.DUE_WORK_LEAD_DAYS)
    actions = list(
        list_open_follow_ups(
            user=user, until=until, unit=filters.unit, late_on=filters.as_of if filters.overdue else None
        )[: FOLLOW_UPS_SHOWN + 1]
    )
    may_act = follow_up_act_checker(user)
    rows = []
    for action in actions[:FOLLOW_UPS_SHOWN]:
        unit = action.inspection.plan.unit
        days = (action.deadline - filters.as_of).days
        if days < 0:
            state = _("Quá hạn %(n)s ngày") % {"n": -days}
        elif days == 0:
            state = _("Đến hạn hôm nay")
        else:
            state = _("Còn %(n)s ngày") % {"n": days}
        rows.append(
            {"action": action, "unit": unit, "late": days < 0, "status": state, "can_act": may_act(unit.pk, unit.path)}
        )
    return rows, until, len(actions) > FOLLOW_UPS_SHOWN


def _render_list(request, form, *, status=200):
    user = request.user
    page, computed, filters = None, False, None
    follow_ups, follow_ups_until, follow_ups_more = None, None, False
    if form.is_valid():
        filters = form.filters()
        page, computed = due_page(user=user, filters=filters, params=request.GET)
        follow_ups, follow_ups_until, follow_ups_more = follow_up_rows(user, filters)
    as_of = filters.as_of if filters else today()
    chosen = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None
    return render(
        request,
        "duedates/due_list.html",
        {
            "form": form,
            "page": page,
            "rows": describe_rows(user, page.rows, as_of) if page is not None else [],
            "computed": computed,
            "as_of": as_of,
            "is_today": as_of == today(),
            "units": filter_units(user, list_visible_units(user=user), chosen),
            "unit": chosen,
            "kinds": form.fields["kind"].choices,
            "can_export": can_export_due_items(user),
            "follow_ups": follow_ups,
            "follow_ups_until": follow_ups_until,
            "follow_ups_more": follow_ups_more,
            "follow_ups_shown": FOLLOW_UPS_SHOWN,
            "last_run": RefreshRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first(),
        },
        status=status,
    )


def _guard(user):
    if not can_view_due_items(user):
        raise PermissionDenied(_("Bạn chưa được phân quyền trên đơn vị nào nên không có việc đến hạn để xem."))


@login_required
def due_list(request):
    """Due items of the people the user may see: retirements (with notice and decision
    deadlines, pension start), salary steps, beyond-last-step increments, contract and probation
    ends (with the notice deadline) and those that cannot be computed, with why; filters; as of
    another date; keyset pages. Beside them, the inspection follow-ups near or past their deadline."""
    _guard(request.user)
    return _render_list(request, DueFilterForm(request.GET, user=request.user))


@login_required
def due_person(request, pk):
    """One person's items with every input that produced them (the file is read: logged)."""
    _guard(request.user)
    employee = access_employee(request, pk)
    form = DueFilterForm({"as_of": request.GET.get("as_of", "")}, user=request.user)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    as_of = as_of or today()
    items = person_items(employee, as_of) if form.is_valid() else []
    for item in items:
        item.employee = employee
    return render(
        request,
        "duedates/due_person.html",
        {
            "employee": employee,
            "form": form,
            "as_of": as_of,
            "rows": describe_rows(request.user, items, as_of),
            "can_act": act_checker(request.user)(employee.managing_unit.pk, employee.managing_unit.path),
            "sensitive": can_view_due_inputs(request.user, employee),
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_POST
def due_export(request):
    """ "Xuất Excel" of the filtered list: a background job; the user waits on its page."""
    _guard(request.user)
    form = DueFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_list(request, form, status=400)
    job = export_services.start_export(user=request.user, kind=DUE_LIST.key, data=request.POST)
    return redirect("records:export-detail", pk=job.pk)
