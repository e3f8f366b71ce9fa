"""Reads of personnel records, always scoped to what the user may see."""

from functools import partial

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from tracking import history
from tracking.asof import as_of, instances_at
from tracking.history import display_value
from tracking.rowkinds import kinds_flags
from tracking.vietnamese import search_words, word_start_q

from . import list_filters
from .models import SUBRECORD_MODELS, Employee
from .permissions import sensitive_scope_q, visible_employees_q
from .sensitivity import MASK, describe, may_show


def list_employees(*, user, search: str = "", unit=None, filters: dict | None = None, sort: str = "") -> QuerySet:
    """Employees under the subtrees of the user's grants in Vietnamese order (sort_key, then id,
    which keyset pagination relies on) or the list's ordering `sort` (records.list_filters),
    optionally filtered by name or CCCD, by a unit's subtree and by the list's `filters`."""
    queryset = (
        Employee.objects.filter(visible_employees_q(user))
        .select_related("managing_unit", "position")
        .order_by(*list_filters.ordering(sort))
    )
    if filters:
        queryset = queryset.filter(list_filters.filters_q(filters))
    if unit is not None:
        queryset = queryset.filter(managing_unit__path__startswith=unit.path)
    search = (search or "").strip()
    if search:
        if search.isdigit():  # only where the user may see CCCDs, or the search would reveal them
            queryset = queryset.filter(sensitive_scope_q(user)).filter(citizen_id__startswith=search)
        else:
            queryset = queryset.filter(name_search_q(search))
    return queryset


def name_search_q(search: str, prefix: str = "") -> Q:
    """People whose name has, for every word typed, a word that begins with it, in any order,
    diacritics and case ignored: "nguyen van", "Văn Nguyễn" and "ng an" all find "Nguyễn Văn
    An"; "an" finds An and Anh but not Lan or Hoàng (a name is searched by its words).
    `prefix` is the lookup path to the Employee (e.g. "employee__" from a change request)."""
    condition = Q()
    for word in search_words(search):
        condition &= word_start_q(f"{prefix}search_key", word)
    return condition


def get_employee(*, user, pk, with_version: bool = False, with_kinds: bool = False) -> Employee:
    """One employee the user may see; 404 otherwise, so existence is not disclosed.
    `with_version`: read with the id of their latest history row (`latest_history_id`), in the
    same statement, for a change proposed against the row as read (workflows.changesets).
    `with_kinds`: read with which kinds of sub-record they have (tracking.rowkinds), for a page
    that reads only those."""
    employees = list_employees(user=user)
    if with_kinds:
        employees = employees.annotate(**kinds_flags((model, "employee") for model in SUBRECORD_MODELS))
    if with_version:
        versions = Employee.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        employees = employees.annotate(latest_history_id=Subquery(versions.values("history_id")[:1]))
    return get_object_or_404(employees, pk=pk)


def get_employee_file(*, user, pk) -> Employee:
    """One employee with every sub-record prefetched: a fixed number of queries, whatever the rows."""
    prefetches = [Prefetch(_related_name(model), queryset=model.objects.all()) for model in SUBRECORD_MODELS]
    return get_object_or_404(list_employees(user=user).prefetch_related(*prefetches), pk=pk)


def _related_name(model) -> str:
    return model._meta.get_field("employee").remote_field.related_name


def employee_sections(employee, *, sensitive: bool) -> list[dict]:
    """The sections of form 2C of a file (Employee.SECTIONS), each field as this reader may read it."""
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
    return sections


def subrecord_sections(employee, *, sensitive: bool, rows_of: dict | None = None) -> list[dict]:
    """The sub-record tables of a file, in form order; sensitive ones only when allowed. The rows
    are the employee's now, or `rows_of[model]` (the file as of a date: employee_file_as_of)."""
    sections = []
    for model in SUBRECORD_MODELS:
        visible = may_show(model, sensitive=sensitive)
        if not visible:
            rows = []
        elif rows_of is not None:
            rows = rows_of[model]
        else:
            rows = list(getattr(employee, _related_name(model)).all())
        fields = [model._meta.get_field(name) for name in model.EDITABLE_FIELDS]
        sections.append(
            {
                "model": model,
                "title": model._meta.verbose_name,
                "masked": not visible,
                "headers": [f.verbose_name for f in fields],
                "rows": [[shown_value(f, row, sensitive=sensitive) for f in fields] for row in rows],
            }
        )
    return sections


def employee_file_as_of(employee, at) -> tuple[Employee | None, dict]:
    """The file of `employee` as it was at `at`, read from the history (tracking.asof): the
    employee then (None before their file existed) and {sub-record model: its rows then}, in a
    fixed number of queries whatever the number of rows or versions."""
    return employee_file_at(employee, [at])[0]


def employee_file_at(employee, moments: list) -> list[tuple[Employee | None, dict]]:
    """employee_file_as_of at each of `moments` (a comparison's two dates): one query per history
    table for all the moments together (tracking.asof.instances_at), not one per table and date."""
    found = instances_at(Employee, moments, {"id": employee.pk}, related=("managing_unit", "position"))
    by_model = {model: instances_at(model, moments, {"employee_id": employee.pk}) for model in SUBRECORD_MODELS}
    return [
        ((found[i][0] if found[i] else None), {model: readings[i] for model, readings in by_model.items()})
        for i in range(len(moments))
    ]


def shown_value(field, obj, *, sensitive: bool):
    """A field of a row as this reader may read it: masked when sensitive and not theirs."""
    if not may_show(type(obj), field.name, sensitive=sensitive):
        return MASK
    return display_value(field, getattr(obj, field.name))


def describe_row(obj, *, sensitive: bool) -> str:
    """One line for a row, masked as records.sensitivity says for this reader."""
    return describe(obj, sensitive=sensitive)


def list_history(*, sources, sensitive: bool, params=None) -> tuple[list[dict], object]:
    """A page of the history of a set of rows (tracking.history.list_history: entries and the
    page), masked for a reader whose right to sensitive data is `sensitive` (records.sensitivity)."""
    return history.list_history(
        sources=sources,
        params=params,
        may_show=partial(may_show, sensitive=sensitive),
        describe=partial(describe, sensitive=sensitive),
    )


def employee_history_sources(employee) -> list:
    return [(Employee, {"id": employee.pk})] + [(model, {"employee_id": employee.pk}) for model in SUBRECORD_MODELS]


STAFF_SHOWN = 500  # people listed on a unit as of a date; the count covers them all


def list_staff_as_of(unit, at) -> tuple[list, int]:
    """The people `unit` managed at `at` (their versions then, in Vietnamese order; the first
    STAFF_SHOWN) and how many they were: two queries whatever the size of the unit's history."""
    staff = as_of(Employee, at, {"managing_unit_id": unit.pk})
    shown = staff.prefetch_related("position").order_by("sort_key", "id")[:STAFF_SHOWN]
    return list(shown), staff.count()
