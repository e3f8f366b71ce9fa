"""Pages of the personnel record: the scoped list, the file (form 2C sections and every
sub-record), and its history. Every page about one person gets them through
records.access.access_employee, which also logs the read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from units.permissions import can_propose_for_unit
from units.selectors import list_visible_units

from .access import access_employee
from .models import AccessLog, Employee
from .permissions import can_export_employees, can_propose_change, can_view_sensitive, sensitive_checker
from .selectors import MASK, employee_history_sources, list_employees, list_history, shown_value, subrecord_sections


@login_required
def employee_list(request):
    """Employees the user may see, searchable by name or CCCD, filterable by unit."""
    search = request.GET.get("q", "")
    units = list_visible_units(user=request.user)
    unit = units.filter(pk=request.GET.get("unit")).first() if request.GET.get("unit", "").isdigit() else None
    employees = list_employees(user=request.user, search=search, unit=unit).order_by("full_name", "pk")
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    may_see = sensitive_checker(request.user)  # CCCDs only where the user may see them, without a query
    for employee in page:
        unit_of = employee.managing_unit
        employee.shown_citizen_id = employee.citizen_id if may_see(unit_of.pk, unit_of.path) else MASK
    return render(
        request,
        "records/employee_list.html",
        {
            "page": page,
            "search": search,
            "units": units,
            "unit": unit,
            "hiring_units": [u for u in units if can_propose_for_unit(request.user, u)],
            "can_export": can_export_employees(request.user),
        },
    )


@login_required
def employee_detail(request, pk):
    """The whole file on one page, in a fixed number of queries whatever the number of rows;
    the read is logged."""
    employee = access_employee(request, pk, file=True)
    sensitive = can_view_sensitive(request.user, employee)
    sections = []
    for title, names in Employee.SECTIONS:
        rows = [
            {
                "label": Employee._meta.get_field(name).verbose_name,
                "value": shown_value(Employee._meta.get_field(name), employee, sensitive=sensitive),
            }
            for name in names
        ]
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
        },
    )


@login_required
def employee_history(request, pk):
    """Every change to the file: what was added, changed (old → new) or removed, who proposed,
    who approved, when, why, and the request."""
    employee = access_employee(request, pk, kind=AccessLog.Kind.HISTORY)
    entries = list_history(
        sources=employee_history_sources(employee), sensitive=can_view_sensitive(request.user, employee)
    )
    return render(request, "records/employee_history.html", {"employee": employee, "entries": entries})
