"""Reads of personnel records, always scoped to what the user may see."""

from itertools import groupby

from django.db import models
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import SUBRECORD_MODELS, Employee
from .permissions import sensitive_scope_q, visible_employees_q
from .sensitivity import MASK, describe, may_show


def list_employees(*, user, search: str = "", unit=None) -> QuerySet:
    """Employees under the subtrees of the user's grants, optionally filtered by name or CCCD,
    and by a unit's subtree."""
    queryset = Employee.objects.filter(visible_employees_q(user)).select_related("managing_unit", "position")
    if unit is not None:
        queryset = queryset.filter(managing_unit__path__startswith=unit.path)
    search = (search or "").strip()
    if search:
        if search.isdigit():  # only where the user may see CCCDs, or the search would reveal them
            queryset = queryset.filter(sensitive_scope_q(user)).filter(citizen_id__startswith=search)
        else:
            queryset = queryset.filter(full_name__icontains=search)
    return queryset


def get_employee(*, user, pk) -> Employee:
    """One employee the user may see; 404 otherwise, so existence is not disclosed."""
    return get_object_or_404(list_employees(user=user), pk=pk)


def get_employee_file(*, user, pk) -> Employee:
    """One employee with every sub-record prefetched: a fixed number of queries, whatever the rows."""
    prefetches = [Prefetch(_related_name(model), queryset=model.objects.all()) for model in SUBRECORD_MODELS]
    return get_object_or_404(list_employees(user=user).prefetch_related(*prefetches), pk=pk)


def _related_name(model) -> str:
    return model._meta.get_field("employee").remote_field.related_name


def subrecord_sections(employee, *, sensitive: bool) -> list[dict]:
    """The sub-record tables of a file, in form order; sensitive ones only when allowed."""
    sections = []
    for model in SUBRECORD_MODELS:
        visible = may_show(model, sensitive=sensitive)
        rows = list(getattr(employee, _related_name(model)).all()) if visible else []
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


def display_value(field, value):
    """A field value as a person reads it: choice labels, dd/mm/yyyy dates, names of related rows."""
    if value in (None, ""):
        return "—"
    if field.is_relation:
        if isinstance(value, models.Model):
            return str(value)
        if isinstance(value, str) and value.startswith("$"):
            return _("(bản ghi mới trong yêu cầu này)")
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def shown_value(field, obj, *, sensitive: bool):
    """A field of a row as this reader may read it: masked when sensitive and not theirs."""
    if not may_show(type(obj), field.name, sensitive=sensitive):
        return MASK
    return display_value(field, getattr(obj, field.name))


def describe_row(obj, *, sensitive: bool) -> str:
    """One line for a row, masked as records.sensitivity says for this reader."""
    return describe(obj, sensitive=sensitive)


def list_history(*, sources, sensitive: bool) -> list[dict]:
    """The history of a set of rows as entries a person reads, newest first.

    `sources` is a list of (model, filter) pairs, e.g. the employee and each sub-record table
    filtered by that employee. Rows written by one change request form one entry, with what
    was added, changed (old → new) and removed, who proposed, who approved, why and when.
    Without `sensitive`, sensitive rows are shown as changed without their content, and
    sensitive values as ••• (records.sensitivity).
    """
    items = []
    for model, lookup in sources:
        rows = list(
            model.history.filter(**lookup)
            .select_related("proposed_by", "approved_by", "approved_for", "change_request", "history_user")
            .order_by("id", "history_date", "history_id")
        )
        for object_id, versions in groupby(rows, key=lambda r: r.id):
            previous = None
            for row in versions:
                items.append(_history_item(model, row, previous, sensitive=sensitive))
                previous = row
    items.sort(key=lambda i: (i["row"].history_date, i["row"].history_id))
    entries = []
    for item in items:
        row = item["row"]
        key = (
            ("cr", row.change_request_id)
            if row.change_request_id
            else ("row", row.history_date.replace(microsecond=0), row.history_user_id)
        )
        if entries and entries[-1]["key"] == key:
            entries[-1]["items"].append(item)
            continue
        entries.append(
            {
                "key": key,
                "date": row.history_date,
                "change_request": row.change_request,
                "proposed_by": row.proposed_by,
                "approved_by": row.approved_by or row.history_user,
                "approved_for": row.approved_for,
                "reason": row.history_change_reason,
                "items": [item],
            }
        )
    entries.reverse()
    _add_decisions(entries)
    return entries


def _add_decisions(entries: list[dict]) -> None:
    """Every level's decision (who, acting for whom, when) on the entries a change request wrote,
    read for all entries at once."""
    requests = [entry["change_request"] for entry in entries if entry["change_request"] is not None]
    prefetch_related_objects(requests, "decisions__decided_by", "decisions__acting_for", "decisions__unit")
    for entry in entries:
        entry["decisions"] = entry["change_request"].last_round_decisions() if entry["change_request"] else []


def _history_item(model, row, previous, *, sensitive: bool) -> dict:
    action = {"+": "added", "~": "changed", "-": "removed"}[row.history_type]
    item = {"row": row, "action": action, "model": model._meta.verbose_name, "fields": [], "object": ""}
    item["object"] = describe_row(row.instance, sensitive=sensitive)
    if not may_show(model, sensitive=sensitive):
        return item
    if action == "changed" and previous is not None:
        delta = row.diff_against(previous, foreign_keys_are_objs=False)
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            if not may_show(model, change.field, sensitive=sensitive):
                item["fields"].append({"field": field.verbose_name, "old": MASK, "new": MASK})
                continue
            item["fields"].append(
                {
                    "field": field.verbose_name,
                    "old": display_value(field, change.old),
                    "new": display_value(field, change.new),
                }
            )
        if not item["fields"]:
            item["action"] = "saved"
    return item


def employee_history_sources(employee) -> list:
    return [(Employee, {"id": employee.pk})] + [(model, {"employee_id": employee.pk}) for model in SUBRECORD_MODELS]
