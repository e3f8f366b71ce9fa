"""Pages of the personnel record: the scoped list, the file (form 2C sections and every
sub-record), and its history. Every page about one person gets them through
records.access.access_employee, which also logs the read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.saved_filters import delete_filter, list_saved_filters, save_filter
from tracking.cells import cell_html
from tracking.keyset import counted_and_narrowed, paginate
from units.permissions import can_propose_for_unit
from units.selectors import list_top_visible_units, list_visible_units

from . import list_filters
from .access import access_employee
from .export_jobs.employees import export_column_choices
from .models import AccessLog, Employee
from .permissions import can_export_employees, can_propose_change, can_view_sensitive, sensitive_checker
from .selectors import (
    MASK,
    employee_history_sources,
    employee_sections,
    list_employees,
    list_history,
    subrecord_sections,
)

LIST_PAGE = "records:employee-list"  # the saved filters' page key
_PK_MARK = 9_876_543_210  # a number no other part of a row's URL has


@login_required
def employee_list(request):
    """Employees the user may see, searchable by name or CCCD, filtered by unit (its subtree),
    rank, position, status, sex, age band and Party membership, in the chosen order
    (records.list_filters), a page at a time by keyset (tracking.keyset), with a capped count.
    Everything is in the URL; the user may save it under a name (accounts.saved_filters).
    A POST saves or deletes one of the user's saved filters and comes back to the list."""
    if request.method == "POST":
        return _saved_filter_action(request)
    filters, errors = list_filters.read_filters(request.GET)
    visible = list_visible_units(user=request.user)
    unit = visible.filter(pk=filters["unit"]).first() if filters["unit"] else None
    if filters["unit"] and unit is None:
        errors.append(_("Đơn vị: không có hoặc không thuộc phạm vi bạn được xem; đang hiển thị mọi đơn vị."))
        filters["unit"] = ""
    units = filter_units(request.user, visible, unit)
    employees = list_employees(user=request.user, search=filters["q"], unit=unit, filters=filters, sort=filters["sort"])
    # The ids found up to the cap first: when that is all of them (a search, a small unit), the
    # page is read by primary key rather than by running the search again.
    employees, count, more = counted_and_narrowed(employees)
    page = paginate(employees, request.GET)
    may_see = sensitive_checker(request.user)  # CCCDs only where the user may see them, without a query
    # Each row's link and date made here, the link from one reverse() (a page of 50 rows spent
    # more in 50 reverse() and date filters than in its SQL).
    detail_url = reverse("records:employee-detail", args=[_PK_MARK]).replace(str(_PK_MARK), "{}")
    for employee in page:
        unit_of = employee.managing_unit
        employee.shown_citizen_id = employee.citizen_id if may_see(unit_of.pk, unit_of.path) else MASK
        employee.detail_url = detail_url.format(employee.pk)
        born = employee.date_of_birth
        employee.shown_birth = f"{born.day:02d}/{born.month:02d}/{born.year:04d}" if born else ""
    rows = _employee_rows_html(page)
    query = _filter_query(filters)
    return render(
        request,
        "records/employee_list.html",
        {
            "page": page,
            "rows": rows,
            "count": count,
            "more": more,
            "search": filters["q"],
            "filters": filters,
            "filter_errors": errors,
            "query": query,
            "units": units,
            "unit": unit,
            "statuses": Employee.EmploymentStatus.choices,
            "sexes": Employee.Sex.choices,
            "age_bands": [(key, label) for key, (label, *_rest) in list_filters.AGE_BANDS.items()],
            "party_choices": list_filters.PARTY_CHOICES,
            "orderings": [(key, label) for key, (label, _ordering) in list_filters.ORDERINGS.items()],
            "sort_links": _sort_links(filters),
            "saved_filters": list_saved_filters(user=request.user, page=LIST_PAGE),
            "export_columns": export_column_choices(),
            "hiring_units": [u for u in units if can_propose_for_unit(request.user, u)],
            "can_export": can_export_employees(request.user),
        },
    )


def _employee_rows_html(page) -> SafeString:
    """The list's <tr> rows as one string (tracking.cells), not a template loop per row and cell:
    name (linked), birth date, CCCD (or its mask), rank, step, position ("—" when none), unit."""
    parts = []
    for e in page:
        cells = (e.shown_birth, e.shown_citizen_id, e.rank_code, e.salary_step, e.position or "—", e.managing_unit.name)
        parts.append(
            f'<tr><td><a href="{cell_html(e.detail_url)}">{cell_html(e.full_name)}</a></td>'
            + "".join(f"<td>{cell_html(value)}</td>" for value in cells)
            + "</tr>\n"
        )
    return SafeString("".join(parts))


def _filter_query(filters: dict, **changes) -> str:
    """The list's query string for `filters` (with `changes`), empty values left out."""
    values = {**filters, **changes}
    query = QueryDict(mutable=True)
    for name in list_filters.FILTER_PARAMS:
        if values.get(name) not in (None, ""):
            query[name] = str(values[name])
    return query.urlencode()


def _sort_links(filters: dict) -> dict:
    """The query string of each sortable column's header: its order, or reversed when it is the
    current one."""
    current = filters["sort"] or list_filters.DEFAULT_ORDERING
    links = {}
    for column in ("name", "birth", "rank"):
        target = "-" + column if current == column else column
        links[column] = {"query": _filter_query(filters, sort=target), "current": current.lstrip("-") == column}
        links[column]["descending"] = links[column]["current"] and current.startswith("-")
    return links


def _saved_filter_action(request):
    """Save the list's current filters under a name, or delete a saved filter; back to the list
    (with a message on bad input, nothing written)."""
    query = request.POST.get("query", "")
    if request.POST.get("action") == "save":
        filters, _errors = list_filters.read_filters(QueryDict(query))
        query = _filter_query(filters)  # only the list's own, valid parameters are kept
        try:
            save_filter(user=request.user, page=LIST_PAGE, name=request.POST.get("name", ""), query=query)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu bộ lọc."))
    elif request.POST.get("action") == "delete":
        if delete_filter(user=request.user, page=LIST_PAGE, pk=request.POST.get("filter", "")):
            messages.success(request, _("Đã xoá bộ lọc."))
        else:
            messages.error(request, _("Không tìm thấy bộ lọc cần xoá."))
        query = ""
    else:
        messages.error(request, _("Thao tác không hợp lệ."))
    filters, _errors = list_filters.read_filters(QueryDict(query))
    url = reverse(LIST_PAGE)
    query = _filter_query(filters)
    return redirect(f"{url}?{query}" if query else url)


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
