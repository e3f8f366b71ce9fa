"""Pages of the personnel record: the scoped list, the file (form 2C sections and every
sub-record), and its history."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from units.permissions import can_propose_for_unit
from units.selectors import list_visible_units
from workflows.selectors import list_open_change_requests_for_employee
from workflows.views import propose_changes

from .audit import log_read
from .models import AccessLog, Discipline, Employee, FamilyMember
from .permissions import can_propose_change, can_view_sensitive
from .selectors import (
    MASK,
    display_value,
    employee_history_sources,
    get_employee,
    get_employee_file,
    list_employees,
    list_history,
    subrecord_sections,
)


@login_required
def employee_list(request):
    """Employees the user may see, searchable by name or CCCD, filterable by unit."""
    search = request.GET.get("q", "")
    units = list_visible_units(user=request.user)
    unit = units.filter(pk=request.GET.get("unit")).first() if request.GET.get("unit", "").isdigit() else None
    page = Paginator(list_employees(user=request.user, search=search, unit=unit).order_by("full_name", "pk"), 50).get_page(
        request.GET.get("page")
    )
    for employee in page:  # CCCDs only where the user may see them (no query: grants are cached)
        employee.shown_citizen_id = employee.citizen_id if can_view_sensitive(request.user, employee) else MASK
    return render(
        request,
        "records/employee_list.html",
        {
            "page": page,
            "search": search,
            "units": units,
            "unit": unit,
            "hiring_units": [u for u in units if can_propose_for_unit(request.user, u)],
        },
    )


@login_required
def employee_detail(request, pk):
    """The whole file on one page, in a fixed number of queries whatever the number of rows;
    the read is logged."""
    employee = get_employee_file(user=request.user, pk=pk)
    log_read(user=request.user, kind=AccessLog.Kind.VIEW, employee=employee, request=request)
    sensitive = can_view_sensitive(request.user, employee)
    sections = []
    for title, names in Employee.SECTIONS:
        rows = []
        for name in names:
            field = Employee._meta.get_field(name)
            masked = name in Employee.SENSITIVE_FIELDS and not sensitive
            value = MASK if masked else display_value(field, getattr(employee, name))
            rows.append({"label": field.verbose_name, "value": value})
        sections.append({"title": title, "rows": rows})
    sections[0]["rows"].append(
        {"label": Employee._meta.get_field("managing_unit").verbose_name, "value": employee.managing_unit}
    )
    return render(
        request,
        "records/employee_detail.html",
        {
            "employee": employee,
            "sections": sections,
            "subrecords": subrecord_sections(employee, sensitive=sensitive),
            "sensitive": sensitive,
            "can_propose": can_propose_change(request.user, employee),
            "open_requests": list_open_change_requests_for_employee(user=request.user, employee=employee),
        },
    )


@login_required
def employee_propose(request, pk, key):
    """The change page of one person's file (workflows' propose_changes); showing it, with
    the file's current values, is logged as a read."""
    response = propose_changes(request, key=key, pk=pk)
    if response.status_code == 200:
        employee = get_employee(user=request.user, pk=pk)
        log_read(user=request.user, kind=AccessLog.Kind.PROPOSE, employee=employee, request=request)
    return response


@login_required
def employee_history(request, pk):
    """Every change to the file: what was added, changed (old → new) or removed, who proposed,
    who approved, when, why, and the request."""
    employee = get_employee(user=request.user, pk=pk)
    log_read(user=request.user, kind=AccessLog.Kind.HISTORY, employee=employee, request=request)
    sensitive = can_view_sensitive(request.user, employee)
    entries = list_history(
        sources=employee_history_sources(employee),
        hidden_models=() if sensitive else (Discipline, FamilyMember),
        masked_fields=() if sensitive else Employee.SENSITIVE_FIELDS,
    )
    return render(request, "records/employee_history.html", {"employee": employee, "entries": entries})
