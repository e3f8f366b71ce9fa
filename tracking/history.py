"""The history of tracked rows as a person reads it: the versions of a set of rows grouped into
entries (one per change request, or per save outside one), with what was added, changed
(old → new) and removed, who proposed, who approved, why and when.

What a reader may not see is decided above this layer (records.sensitivity): the caller passes
`may_show` and `describe`; the defaults show everything (units, inspection plans)."""

import functools
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
    costs. The page is found from the keys alone (one UNION ALL of each table's page of keys on
    PostgreSQL, a narrow query per table elsewhere: no row's content, no join), then each table
    that has rows on the page is read once for them and for the version each is compared with;
    the people and requests they name are read once for all.
    Rows written by one change request form one entry (an entry longer than a page continues on
    the next). A row whose model `may_show(model)` refuses is shown as changed without its
    content; a field `may_show(model, name)` refuses as MASK; `describe(row)` gives each line.
    """
    querysets = [_keys(model, lookup) for model, lookup in sources]
    page = keyset.paginate_merged(
        querysets, QueryDict() if params is None else params, per_page=per_page, fields=KEY_FIELDS
    )
    rows, previous = _read_page(sources, page.rows)
    page.rows = rows
    _add_people_and_requests(rows)
    items = [
        _history_item(
            sources[row.keyset_source][0],
            row,
            previous.get(id(row)),
            may_show=may_show,
            describe=describe,
        )
        for row in reversed(rows)
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


@functools.cache
def history_model(model):
    """The historical model of `model`, or `model` itself when it has no `history` (it is a
    historical model already), found once per process: simple-history's `model.history` builds
    a manager class at each access (milliseconds, a dozen times a page)."""
    return model.history.model if hasattr(model, "history") else model


KEY_FIELDS = ("history_id", "history_date", "history_type", "id")  # what finding the page needs


def _keys(model, lookup):
    """The versions of `model` rows matching `lookup`, newest first (their keys are read: the
    page is chosen from these, and only its rows are read whole, _read_page)."""
    return history_model(model).objects.filter(**lookup).order_by(*VERSION_ORDER)


VERSION_ORDER = ["-history_date", "-history_id"]


def _read_page(sources, keys) -> tuple[list, dict]:
    """(the page's rows read whole, in the order of `keys`; {id(row): the version it is compared
    with}): one query per table with rows on the page, for its rows and for the version just
    before each changed row (in (history_date, history_id), of the same table and id), which is
    the next row of that table and id down the page, else the one before the oldest of them,
    found by an index range of (id, history_date, history_id) stopping at its first row. (A
    correlated subquery per row cost more in Django's compiling of the page's queries than the
    database spent on them.)"""
    older: dict[tuple, object] = {}  # (source, id) → the row of it seen last, going down the page
    wanted: dict[int, list] = {}  # source → the history ids of its rows on the page
    for key in keys:
        wanted.setdefault(key.keyset_source, []).append(key.history_id)
        older[(key.keyset_source, key.id)] = key
    boundary: dict[int, list] = {}  # source → its rows whose previous version is not on the page
    for (source, _pk), key in older.items():
        if key.history_type == "~":
            boundary.setdefault(source, []).append(key)
    read: dict[tuple, object] = {}  # (source, history_id) → the version read whole
    for source, ids in wanted.items():
        history = history_model(sources[source][0])
        condition = Q(history_id__in=ids)
        for key in boundary.get(source, ()):
            before = history.objects.filter(id=key.id).filter(
                keyset.after_q(VERSION_ORDER, [key.history_date, key.history_id])
            )
            condition |= Q(history_id=Subquery(before.order_by(*VERSION_ORDER).values("history_id")[:1]))
        for version in history.objects.filter(condition):
            version.keyset_source = source
            read[(source, version.history_id)] = version
    rows = [read[(key.keyset_source, key.history_id)] for key in keys]
    previous = {}
    newer: dict[tuple, object] = {}  # (source, id) → the row of it seen last, going down the page
    for row in rows:
        ident = (row.keyset_source, row.id)
        later = newer.get(ident)
        if later is not None and later.history_type == "~":
            previous[id(later)] = row
        newer[ident] = row
    on_page = {(row.keyset_source, row.history_id) for row in rows}
    before_page = {
        (source, version.id): version for (source, hid), version in read.items() if (source, hid) not in on_page
    }
    for ident, row in newer.items():
        if row.history_type == "~" and ident in before_page:
            previous[id(row)] = before_page[ident]
    return rows, previous


def _add_people_and_requests(rows) -> None:
    """Who proposed, approved, on whose behalf and saved each row, and its change request: read
    once for the whole page (one query each) instead of joined into every table's query."""
    from django.contrib.auth import get_user_model

    names = ("proposed_by", "approved_by", "approved_for", "history_user")
    user_ids = {getattr(row, f"{name}_id") for row in rows for name in names} - {None}
    users = get_user_model()._default_manager.in_bulk(user_ids) if user_ids else {}
    request_ids = {row.change_request_id for row in rows} - {None}
    requests = {}
    if request_ids:
        model = type(rows[0])._meta.get_field("change_request").related_model
        requests = model._default_manager.in_bulk(request_ids)
    for row in rows:  # each object put in the relation's cache (an id left unread stays lazy)
        for name in names:
            if (user := users.get(getattr(row, f"{name}_id"))) is not None:
                setattr(row, name, user)
        if (change_request := requests.get(row.change_request_id)) is not None:
            row.change_request = change_request


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
