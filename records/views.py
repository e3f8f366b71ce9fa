"""Pages of the personnel record: the scoped list, the detail page, the history page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from workflows.selectors import list_open_change_requests_for_employee

from .models import Employee
from .permissions import can_propose_change
from .selectors import display_value, get_employee, list_employee_versions, list_employees

DETAIL_FIELDS = (*Employee.CHANGEABLE_FIELDS, "managing_unit")


@login_required
def employee_list(request):
    """Employees the user may see, searchable by name or CCCD."""
    search = request.GET.get("q", "")
    page = Paginator(list_employees(user=request.user, search=search), 50).get_page(request.GET.get("page"))
    return render(request, "records/employee_list.html", {"page": page, "search": search})


@login_required
def employee_detail(request, pk):
    employee = get_employee(user=request.user, pk=pk)
    fields = [Employee._meta.get_field(name) for name in DETAIL_FIELDS]
    return render(
        request,
        "records/employee_detail.html",
        {
            "employee": employee,
            "rows": [{"label": f.verbose_name, "value": display_value(f, getattr(employee, f.name))} for f in fields],
            "can_propose": can_propose_change(request.user, employee),
            "open_requests": list_open_change_requests_for_employee(user=request.user, employee=employee),
        },
    )


@login_required
def employee_history(request, pk):
    """Every version: field diffs, who proposed, who approved, when, why, and the request."""
    employee = get_employee(user=request.user, pk=pk)
    return render(
        request,
        "records/employee_history.html",
        {"employee": employee, "versions": list_employee_versions(employee=employee)},
    )
