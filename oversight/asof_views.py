"""A person's file and a unit as they were at a chosen moment, and what changed between two
moments and by which requests (read from the history by tracking.asof). Seen by exactly who may
see the person or the unit now (records.access, units.access: 404 otherwise); a person's file is
masked as on its page and the read is logged."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from records.access import access_employee
from records.models import SUBRECORD_MODELS, AccessLog, Employee
from records.permissions import can_view_sensitive
from records.selectors import (
    employee_file_as_of,
    employee_file_at,
    employee_history_sources,
    employee_sections,
    list_history,
    list_staff_as_of,
    subrecord_sections,
)
from records.sensitivity import describe, may_show
from tracking import asof
from tracking.history import describe_plainly
from tracking.history import list_history as list_unit_history
from units.access import access_unit
from units.models import Position, StaffingQuota, Unit
from units.selectors import unit_as_of, unit_at

from .asof_forms import AsOfForm, CompareForm

EMPLOYEE_FIELDS = (*(name for _, names in Employee.SECTIONS for name in names), "managing_unit")


def _form(form_class, request):
    """The form of the moments asked for, bound when the page was asked with any of them."""
    asked = any(request.GET.get(name) for name in form_class.base_fields)
    return form_class(request.GET) if asked else form_class()


@login_required
def employee_asof(request, pk):
    """The file as it was at ?at=dd/mm/yyyy[&time=hh:mm], laid out as the file page."""
    employee = access_employee(request, pk, kind=AccessLog.Kind.HISTORY)
    form = _form(AsOfForm, request)
    context = {"employee": employee, "form": form}
    if form.is_bound and form.is_valid():
        sensitive = can_view_sensitive(request.user, employee)
        past, rows_of = employee_file_as_of(employee, form.moment)
        context.update(at=form.moment, past=past)
        if past is not None:
            context.update(
                sections=employee_sections(past, sensitive=sensitive),
                subrecords=subrecord_sections(past, sensitive=sensitive, rows_of=rows_of),
            )
    return render(request, "oversight/asof_employee.html", context)


@login_required
def employee_compare(request, pk):
    """The file at two moments: each field and sub-record that differs (old → new), and the
    requests that changed it in between (the history page's entries, a page at a time)."""
    employee = access_employee(request, pk, kind=AccessLog.Kind.HISTORY)
    form = _form(CompareForm, request)
    context = {"employee": employee, "form": form}
    if form.is_bound and form.is_valid():
        start, end = form.start_moment, form.end_moment
        sensitive = can_view_sensitive(request.user, employee)
        (was, was_rows), (now, now_rows) = employee_file_at(employee, [start, end])
        shown, line = partial(may_show, sensitive=sensitive), partial(describe, sensitive=sensitive)
        changes = asof.compare(
            Employee, [was] if was else [], [now] if now else [], fields=EMPLOYEE_FIELDS, may_show=shown, describe=line
        )
        for model in SUBRECORD_MODELS:
            changes += asof.compare(
                model, was_rows[model], now_rows[model], fields=model.EDITABLE_FIELDS, may_show=shown, describe=line
            )
        sources = [(model, asof.between(lookup, start, end)) for model, lookup in employee_history_sources(employee)]
        entries, page = list_history(sources=sources, sensitive=sensitive, params=request.GET)
        context.update(start=start, end=end, changes=changes, entries=entries, page=page)
    return render(request, "oversight/asof_employee_compare.html", context)


def _unit_sources(unit) -> list:
    return [(Unit, {"id": unit.pk}), (StaffingQuota, {"unit_id": unit.pk}), (Position, {"unit_id": unit.pk})]


@login_required
def unit_asof(request, pk):
    """The unit as it was at a moment: details, quotas, positions and the people it managed."""
    unit = access_unit(request.user, pk)
    form = _form(AsOfForm, request)
    context = {"unit": unit, "form": form}
    if form.is_bound and form.is_valid():
        past, quotas, positions = unit_as_of(unit, form.moment)
        staff, staff_count = list_staff_as_of(unit, form.moment)
        context.update(
            at=form.moment, past=past, quotas=quotas, positions=positions, staff=staff, staff_count=staff_count
        )
    return render(request, "oversight/asof_unit.html", context)


@login_required
def unit_compare(request, pk):
    """The unit at two moments: details, quotas and positions that differ, and the requests that
    changed them in between (nothing of a unit is a person's: no masking, no read log)."""
    unit = access_unit(request.user, pk)
    form = _form(CompareForm, request)
    context = {"unit": unit, "form": form}
    if form.is_bound and form.is_valid():
        start, end = form.start_moment, form.end_moment
        (was, was_quotas, was_positions), (now, now_quotas, now_positions) = unit_at(unit, [start, end])
        changes = asof.compare(
            Unit, [was] if was else [], [now] if now else [], fields=Unit.EDITABLE_FIELDS, describe=describe_plainly
        )
        changes += asof.compare(
            StaffingQuota, was_quotas, now_quotas, fields=StaffingQuota.EDITABLE_FIELDS, describe=describe_plainly
        )
        changes += asof.compare(
            Position, was_positions, now_positions, fields=Position.EDITABLE_FIELDS, describe=describe_plainly
        )
        sources = [(model, asof.between(lookup, start, end)) for model, lookup in _unit_sources(unit)]
        entries, page = list_unit_history(sources=sources, params=request.GET)
        context.update(start=start, end=end, changes=changes, entries=entries, page=page)
    return render(request, "oversight/asof_unit_compare.html", context)
