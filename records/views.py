"""Pages of the personnel record: the scoped list, the file (form 2C sections and every
sub-record), and its history. Every page about one person gets them through
records.access.access_employee, which also logs the read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tracking.keyset import count_up_to, paginate
from units.permissions import can_propose_for_unit
from units.selectors import list_top_visible_units, list_visible_units

from .access import access_employee
from .models import AccessLog
from .permissions import can_export_employees, can_propose_change, can_view_sensitive, sensitive_checker
from .selectors import (
    MASK,
    employee_history_sources,
    employee_sections,
    list_employees,
    list_history,
    subrecord_sections,
)


@login_required
def employee_list(request):
    """Employees the user may see, searchable by name or CCCD, filterable by unit; in the
    selector's order, a page at a time by keyset (tracking.keyset), with a capped count."""
    search = request.GET.get("q", "")
    visible = list_visible_units(user=request.user)
    unit = visible.filter(pk=request.GET.get("unit")).first() if request.GET.get("unit", "").isdigit() else None
    units = filter_units(request.user, visible, unit)
    employees = list_employees(user=request.user, search=search, unit=unit)
    page = paginate(employees, request.GET)
    count, more = count_up_to(employees)
    may_see = sensitive_checker(request.user)  # CCCDs only where the user may see them, without a query
    for employee in page:
        unit_of = employee.managing_unit
        employee.shown_citizen_id = employee.citizen_id if may_see(unit_of.pk, unit_of.path) else MASK
    return render(
        request,
        "records/employee_list.html",
        {
            "page": page,
            "count": count,
            "more": more,
            "search": search,
            "units": units,
            "unit": unit,
            "hiring_units": [u for u in units if can_propose_for_unit(request.user, u)],
            "can_export": can_export_employees(request.user),
        },
    )


def filter_units(user, visible, chosen) -> list:
    """The units offered by the list's unit filter: the top of the user's scope and the level
    below it, and the unit chosen (reached from the unit tree), never all 5,000 units of a
    ministry-wide scope in one select."""
    tops = list_top_visible_units(user=user)
    depth = min((top.depth for top in tops), default=0)
    units = list(visible.filter(depth__lte=depth + 1).order_by("path"))
    if chosen is not None and chosen not in units:
        units.append(chosen)
    return units


@login_required
def employee_detail(request, pk):
    """The whole file on one page, in a fixed number of queries whatever the number of rows;
    the read is logged."""
    employee = access_employee(request, pk, file=True)
    sensitive = can_view_sensitive(request.user, employee)
    return render(
        request,
        "records/employee_detail.html",
        {
            "employee": employee,
            "sections": employee_sections(employee, sensitive=sensitive),
            "subrecords": subrecord_sections(employee, sensitive=sensitive),
            "sensitive": sensitive,
            "can_propose": can_propose_change(request.user, employee),
        },
    )


@login_required
def employee_history(request, pk):
    """Every change to the file: what was added, changed (old → new) or removed, who proposed,
    who approved, when, why, and the request."""
    employee = access_employee(request, pk, kind=AccessLog.Kind.HISTORY)
    entries, page = list_history(
        sources=employee_history_sources(employee),
        sensitive=can_view_sensitive(request.user, employee),
        params=request.GET,
    )
    return render(request, "records/employee_history.html", {"employee": employee, "entries": entries, "page": page})
