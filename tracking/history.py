"""The history of tracked rows as a person reads it: the versions of a set of rows grouped into
entries (one per change request, or per save outside one), with what was added, changed
(old → new) and removed, who proposed, who approved, why and when.

What a reader may not see is decided above this layer (records.sensitivity): the caller passes
`may_show` and `describe`; the defaults show everything (units, inspection plans)."""

from decimal import Decimal

from django.db import models
from django.db.models import Q, Subquery, prefetch_related_objects
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext as _

from . import keyset

MASK = "•••"  # what a reader sees in place of a value they may not see
PER_PAGE = 50  # versions on a page of history


def show_everything(model, name: str | None = None) -> bool:
    """Every row and field may be shown (the history of rows that hold nothing of a person)."""
    return True


def describe_plainly(obj) -> str:
    """One line for a row (obj.describe()), or its model's name when the row cannot say."""
    try:
        return obj.describe()
    except Exception:  # a row with a missing related object still gets a line
        return str(type(obj)._meta.verbose_name)


def display_value(field, value):
    """A field value as a person reads it: choice labels, dd/mm/yyyy dates, the decimal comma,
    names of related rows."""
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
    if isinstance(field, (models.DecimalField, models.FloatField)) and isinstance(value, str):
        try:  # a proposed value, as a change request's operations hold it ("2.67")
            value = Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, (Decimal, float)):
        return formats.number_format(value)  # the decimal comma in Vietnamese: 2,67
    return str(value)


def list_history(*, sources, params=None, may_show=show_everything, describe=describe_plainly, per_page=PER_PAGE):
    """One page of the history of a set of rows as entries a person reads, newest first:
    (entries, page), page being the tracking.keyset page whose cursor is in `params`.

    `sources` is a list of (model, filter) pairs, e.g. the employee and each sub-record table
    filtered by that employee; the versions of all of them are read as one list, a page at a
    time by (history_date, history_id), so a file with 1,000 versions costs what one with 10
    costs: per table one query for the page and one for the versions before its rows. Rows
    written by one change request form one entry (an entry longer than a page continues on
    the next). A row whose model `may_show(model)` refuses is shown as changed without its
    content; a field `may_show(model, name)` refuses as MASK; `describe(row)` gives each line.
    """
    querysets = [_versions(model, lookup) for model, lookup in sources]
    page = keyset.paginate_merged(querysets, QueryDict() if params is None else params, per_page=per_page)
    previous = _previous_versions(sources, page.rows)
    items = [
        _history_item(
            sources[row.keyset_source][0],
            row,
            previous.get(id(row)),
            may_show=may_show,
            describe=describe,
        )
        for row in reversed(page.rows)
    ]
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
    return entries, page


def _versions(model, lookup):
    """The versions of `model` rows matching `lookup`, newest first, with who and which request
    (the version each is compared with is found after the page: _previous_versions)."""
    history = model.history.model
    return (
        history.objects.filter(**lookup)
        .select_related("proposed_by", "approved_by", "approved_for", "change_request", "history_user")
        .order_by("-history_date", "-history_id")
    )


VERSION_ORDER = ["-history_date", "-history_id"]


def _previous_versions(sources, rows) -> dict:
    """{id(row): version} for the page's changed rows: the version of the same row just before,
    in (history_date, history_id). It is the next row of the same table and id down the page,
    else (the oldest of that row on the page) read with one query per table for all of them,
    each an index range of (id, history_date, history_id) stopping at its first row. (A
    correlated subquery per row, as before, cost more in Django's compiling of the page's
    queries than the database spent on them.)"""
    found = {}
    older: dict[tuple, object] = {}  # (source, id) → the row of it seen last, going down the page
    boundary: dict[int, list] = {}  # source → its rows whose previous version is not on the page
    for row in rows:
        key = (row.keyset_source, row.id)
        newer = older.get(key)
        if newer is not None and newer.history_type == "~":
            found[id(newer)] = row
        older[key] = row
    for (source, _pk), row in older.items():
        if row.history_type == "~":
            boundary.setdefault(source, []).append(row)
    for source, wanted in boundary.items():
        history = sources[source][0].history.model
        condition = Q(pk__in=[])
        for row in wanted:
            before = history.objects.filter(id=row.id).filter(
                keyset.after_q(VERSION_ORDER, [row.history_date, row.history_id])
            )
            condition |= Q(history_id=Subquery(before.order_by(*VERSION_ORDER).values("history_id")[:1]))
        versions = {version.id: version for version in history.objects.filter(condition)}
        for row in wanted:
            if row.id in versions:
                found[id(row)] = versions[row.id]
    return found


def _add_decisions(entries: list[dict]) -> None:
    """Every level's decision (who, acting for whom, when) on the entries a change request wrote,
    read for all entries at once (through the history rows' change_request: nothing imported)."""
    requests = [entry["change_request"] for entry in entries if entry["change_request"] is not None]
    prefetch_related_objects(requests, "decisions__decided_by", "decisions__acting_for", "decisions__unit")
    for entry in entries:
        entry["decisions"] = entry["change_request"].last_round_decisions() if entry["change_request"] else []


def _history_item(model, row, previous, *, may_show, describe) -> dict:
    action = {"+": "added", "~": "changed", "-": "removed"}[row.history_type]
    item = {"row": row, "action": action, "model": model._meta.verbose_name, "fields": [], "object": ""}
    item["object"] = describe(row.instance)
    if not may_show(model):
        return item
    if action == "changed" and previous is not None:
        delta = row.diff_against(previous, foreign_keys_are_objs=False)
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            if not may_show(model, change.field):
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
