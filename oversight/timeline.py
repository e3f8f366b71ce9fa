"""The inspectors' timeline: every change request about data of the reader's subtrees, newest
first, with what each changed (old → new, from the history rows it wrote), who proposed it, each
approval level's decision and how long the request waited at each level.

Built for millions of history rows: the list is driven by workflows.ChangeRequest alone (every
write to a tracked record goes through one), walked by keyset on (submitted_at, id) through the
indexes of migration workflows 0016 (all requests, one unit's, one person's, one proposer's),
the subtree by the unit's materialised path, and the data touched through ChangeRequest.touched
(a GIN index on PostgreSQL). No UNION over the history tables: only for the ≤ 50 requests of a
page are their history rows read, one query per table those requests wrote to, and their
decisions in one query. A page's SQL count does not grow with the data.

A filter that only a row can tell (kind of data, field, status) is a bounded scan: a page
examines at most SCAN_LIMIT requests of the part the indexes find (the scope, a unit, a person,
a proposer, an approver, dates) and, when they end before the page is full, says how far back it
looked and links onward from there (tracking.keyset.paginate_bounded): a filter that matches
nothing costs what one that matches costs, whatever the number of requests. A transfer is in
the timeline of its managing unit and of its receiving unit (workflows.permissions.timeline_q)."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.names import display_name
from records.permissions import sensitive_checker
from records.sensitivity import MASK, describe, may_show
from tracking.history import display_value, history_model
from tracking.keyset import capped_count, count_up_to, paginate, paginate_bounded, paginate_union
from units.models import Unit
from workdays.calendar import working_calendar
from workflows.models import ApprovalDecision, ChangeRequest
from workflows.permissions import (
    requests_of_units_q,
    requests_of_units_ranges,
    timeline_q,
    timeline_scope,
    timeline_units,
)
from workflows.policy import Category

from .fields import tracked_model
from .timeline_forms import Filters

PER_PAGE = 50
ITEMS_PER_REQUEST = 30  # changes shown per request (an import writes thousands of rows)
HISTORY_ROWS_PER_TABLE = PER_PAGE * ITEMS_PER_REQUEST  # per table and page, at most
# Requests examined per page for a filter checked row by row (kind of data, field, status): the
# page's worst case, whatever the number of requests (bench: 1,000 keys and rows, 20–60 ms of SQL).
SCAN_LIMIT = 1000
# Up to this many units in the list's scope, a page is one index range per unit (its requests,
# the transfers it receives), merged (tracking.keyset.paginate_union): a Chi cục's ~25 units no
# longer walk the whole ministry's requests to fill a page. A wider scope walks (submitted_at, id).
UNION_UNITS = 64


def touched_q(token: str) -> Q:
    """Requests whose ChangeRequest.touched holds `token`: jsonb containment (the GIN index)
    on PostgreSQL; elsewhere a match on the JSON text (tokens are lower-case and quoted)."""
    if connection.vendor == "postgresql":
        return Q(touched__contains=[token])
    return Q(touched__icontains=f'"{token}"')


def row_filters_q(filters: Filters) -> Q:
    """The filters only a request's row can tell (no index narrows the walk by them)."""
    q = Q()
    if filters.category:
        q &= touched_q(f"c:{filters.category}")
    if filters.field:
        q &= touched_q(filters.field)
    if filters.status:
        q &= Q(status=filters.status)
    return q


def list_timeline(*, user, filters: Filters, row_filters: bool = True) -> QuerySet:
    """The requests of the timeline the user may read, filtered, newest first (without the
    row-by-row filters, row_filters_q, when `row_filters` is false: the part indexes find)."""
    queryset = ChangeRequest.objects.filter(timeline_q(user))
    if filters.unit is not None:
        # The unit's requests and the transfers it receives, as the scope (timeline_q) reads them.
        if filters.only_unit:
            units = Unit.objects.filter(pk=filters.unit.pk)
        else:
            units = Unit.objects.filter(path__startswith=filters.unit.path)
        queryset = queryset.filter(requests_of_units_q(units))
    if filters.person is not None:
        queryset = queryset.filter(employee=filters.person)
    if filters.proposer is not None:
        queryset = queryset.filter(submitted_by=filters.proposer)
    if filters.approver is not None:
        # From the approver's decisions (their indexes) to the requests, not a check per request.
        decided = ApprovalDecision.objects.filter(Q(decided_by=filters.approver) | Q(acting_for=filters.approver))
        queryset = queryset.filter(pk__in=decided.values("change_request_id"))
    return _narrowed(queryset, filters, row_filters)


def _narrowed(queryset: QuerySet, filters: Filters, row_filters: bool) -> QuerySet:
    """`queryset` with the filters other than the units, newest first."""
    if filters.date_from:
        queryset = queryset.filter(submitted_at__gte=filters.start())
    if filters.date_to:
        queryset = queryset.filter(submitted_at__lt=filters.end())
    if filters.request:
        queryset = queryset.filter(pk=filters.request)
    if row_filters:
        queryset = queryset.filter(row_filters_q(filters))
    return queryset.select_related("unit", "employee", "submitted_by").order_by("-submitted_at", "-id")


def keys_only(queryset: QuerySet) -> QuerySet:
    """The list narrowed to its keyset columns: the page is found through the indexes alone
    (an index-only scan of (unit, submitted_at, id) for a subtree, no wide rows sorted); its
    ≤ 50 requests are then read whole by primary key (load_requests)."""
    return queryset.select_related(None).only("id", "submitted_at")


def load_requests(queryset: QuerySet, keys) -> list:
    """The requests of `keys` (rows of keys_only), whole, in the same order: one query."""
    found = queryset.in_bulk([key.pk for key in keys])
    return [found[key.pk] for key in keys if key.pk in found]


def few_units(*, user, filters: Filters) -> list | None:
    """The ids of the units the list is about (the filter's unit or subtree, else the reader's
    scope) when they are at most UNION_UNITS and nothing but dates narrows the list further
    (a person's, a proposer's, an approver's requests have indexes of their own): the page is
    then one index range per unit. None otherwise."""
    if filters.person is not None or filters.proposer is not None or filters.approver is not None:
        return None
    if filters.request:
        return None
    if filters.unit is not None:
        if not timeline_scope(user).contains(filters.unit):
            return None  # (the form refuses it) the list is the scope's AND the unit's: walk
        if filters.only_unit:
            return [filters.unit.pk]
        units = Unit.objects.filter(path__startswith=filters.unit.path)
    else:
        units = timeline_units(user)
    ids = list(units.order_by().values_list("pk", flat=True)[: UNION_UNITS + 1])
    return ids if len(ids) <= UNION_UNITS else None


def timeline_page(*, user, filters: Filters, params):
    """(page, entries, (count up to tracking.keyset.COUNT_CAP, more)): one keyset page and what it shows.

    With a row-by-row filter the page is a bounded scan (paginate_bounded) and its count is the
    matches among the requests it examined (`more` when older ones are left): the page says so
    (page.extra: "scanned", "found", "scanned_to" when the window ended before the page filled)."""
    where = row_filters_q(filters)
    ids = few_units(user=user, filters=filters)
    if where:
        if ids is not None:  # the window: the first SCAN_LIMIT requests of the units' ranges
            driving = keys_only(_narrowed(ChangeRequest.objects.all(), filters, row_filters=False))
            ranges = requests_of_units_ranges(ids)
        else:
            driving, ranges = keys_only(list_timeline(user=user, filters=filters, row_filters=False)), None
        page = paginate_bounded(driving, where, params, per_page=PER_PAGE, scan=SCAN_LIMIT, ranges=ranges)
        found = page.extra["found"]
        shown, more = capped_count(found)
        count = (shown, more or page.extra["scanned"] >= SCAN_LIMIT)
    else:
        queryset = list_timeline(user=user, filters=filters)
        if ids is not None:
            # A unit's filter lies inside the scope (few_units): its requests are the list's.
            unscoped = _narrowed(ChangeRequest.objects.all(), filters, row_filters=True)
            page = paginate_union(keys_only(unscoped), requests_of_units_ranges(ids), params, per_page=PER_PAGE)
        else:
            page = paginate(keys_only(queryset), params, per_page=PER_PAGE)
        count = count_up_to(queryset)
    page.rows = load_requests(ChangeRequest.objects.select_related("unit", "employee", "submitted_by"), page.rows)
    return page, describe_requests(user, page.rows), count


# --- what a page shows of its requests --------------------------------------------------------


@dataclass
class Entry:
    request: ChangeRequest
    subject: str
    sensitive: bool
    categories: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    more_changes: bool = False
    proposed: bool = False  # the changes are the proposal (not applied): no old values
    decisions: list = field(default_factory=list)
    waiting: dict | None = None  # the level the request waits at now, and for how long


def _days(calendar, start, end) -> int:
    """Working days between two moments (workdays calendar: weekends and holidays skipped)."""
    return calendar.working_days_between(timezone.localdate(start), timezone.localdate(end))


def describe_requests(user, requests) -> list[Entry]:
    """The entries of a page (or of an export's chunk): a fixed number of queries whatever the
    number of requests, their history rows or their decisions."""
    requests = list(requests)
    if not requests:
        return []
    may_see = sensitive_checker(user)
    calendar = working_calendar()  # one read of the declared days for the whole page
    decisions = defaultdict(list)
    for decision in (
        ApprovalDecision.objects.filter(change_request_id__in=[r.pk for r in requests])
        .select_related("decided_by", "acting_for", "unit")
        .order_by("decided_at", "pk")
    ):
        decisions[decision.change_request_id].append(decision)
    entries = []
    categories = {f"c:{value}": str(label) for value, label in Category.choices}  # once per page
    for request in requests:
        sensitive = may_see(request.unit_id, request.unit.path)
        subject = _subject(request)
        entry = Entry(request=request, subject=subject, sensitive=sensitive)
        entry.categories = [categories[t] for t in request.touched or () if t in categories]
        _add_decisions(entry, decisions[request.pk], calendar)
        entries.append(entry)
    _add_changes(entries)
    return entries


def _subject(request) -> str:
    if request.employee_id is not None and request.employee is not None:
        return request.employee.full_name
    return request.unit.name if request.kind == ChangeRequest.Kind.UNIT else request.title


def _level_label(labels: list, index: int) -> str:
    if 0 <= index < len(labels):
        return str(labels[index])
    return _("Cấp %(n)s") % {"n": index + 1}


def _add_decisions(entry: Entry, decisions: list, calendar) -> None:
    """Every decision (all rounds), each with the working days the request waited for it: from
    the previous decision, or from the (re)submission for the first of the last round."""
    request = entry.request
    labels = request.level_labels() if decisions or request.status == ChangeRequest.Status.SUBMITTED else []
    previous = None
    for decision in decisions:
        if decision.decided_at >= request.submitted_at and (previous is None or previous < request.submitted_at):
            start = request.submitted_at
        else:
            start = previous
        entry.decisions.append(
            {
                "level": _level_label(labels, decision.level),
                "unit": decision.unit.name,
                "decision": decision.get_decision_display(),
                "by": display_name(decision.decided_by),
                "acting_for": display_name(decision.acting_for) if decision.acting_for_id else "",
                "at": decision.decided_at,
                "comment": decision.comment,
                "days": _days(calendar, start, decision.decided_at) if start is not None else None,
            }
        )
        previous = decision.decided_at
    if request.status == ChangeRequest.Status.SUBMITTED:
        since = request.submitted_at if previous is None or previous < request.submitted_at else previous
        entry.waiting = {
            "level": _level_label(labels, request.current_level),
            "days": _days(calendar, since, timezone.now()),
            "since": since,
        }


# --- old → new ----------------------------------------------------------------------------------


def _add_changes(entries: list[Entry]) -> None:
    """The changes of each entry: for an applied request, its history rows (old → new per field,
    rows added and removed); otherwise its proposal (new values only). One query per table the
    page's applied requests wrote to, one for the versions before, one per related model named."""
    applied = {e.request.pk: e for e in entries if e.request.status == ChangeRequest.Status.APPLIED}
    labels = set()
    rows_by_request = defaultdict(list)
    pending_relations = []
    shown = _Shown()
    for entry in entries:
        ops = [op for op in entry.request.operations or () if isinstance(op, dict)]
        if entry.request.pk in applied:
            labels.update(op.get("model") for op in ops)
            if entry.request.kind == ChangeRequest.Kind.IMPORT:
                labels.add("records.employee")
        else:
            entry.proposed = True
            _proposal(entry, ops, pending_relations, shown)
    for label in sorted(label for label in labels if label):
        model, history = tracked_history(label)
        if history is None:
            continue
        for row, previous in _history_rows(history, list(applied)):
            rows_by_request[row.change_request_id].append((model, row, previous))
    for pk, entry in applied.items():
        rows = sorted(rows_by_request[pk], key=lambda item: (item[1].history_date, item[1].history_id))
        entry.more_changes = len(rows) > ITEMS_PER_REQUEST
        for model, row, previous in rows[:ITEMS_PER_REQUEST]:
            entry.changes.append(_history_change(model, row, previous, entry.sensitive, pending_relations, shown))
    _resolve_relations(pending_relations)


@cache
def tracked_history(label: str) -> tuple:
    """(model, its history model) of a tracked table's label, (model or None, None) when it has
    no history: once per process (simple-history's `Model.history` builds a manager on each
    access)."""
    model = tracked_model(label)
    if model is None or not hasattr(model, "history"):
        return model, None
    return model, history_model(model)


class _Shown:
    """What is the same for every row of a page, asked once per page: a table's and a field's
    name as a person reads it, and whether a reader with or without the right to sensitive data
    sees it (records.sensitivity.may_show, asked per model, field and right, not per row)."""

    def __init__(self):
        self._tables, self._fields, self._may = {}, {}, {}

    def table(self, model) -> str:
        if model not in self._tables:
            self._tables[model] = str(model._meta.verbose_name)
        return self._tables[model]

    def field(self, model, name: str):
        """(the model's field, its name as read); FieldDoesNotExist for a field the model lacks."""
        key = (model, name)
        if key not in self._fields:
            model_field = model._meta.get_field(name)
            self._fields[key] = (model_field, str(model_field.verbose_name))
        return self._fields[key]

    def may(self, model, name: str | None, sensitive: bool) -> bool:
        key = (model, name, sensitive)
        if key not in self._may:
            self._may[key] = may_show(model, name, sensitive=sensitive)
        return self._may[key]


def _history_rows(history, request_ids):
    before = history.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    rows = list(
        history.objects.filter(change_request_id__in=request_ids)
        .annotate(previous_id=Subquery(before.order_by("-history_date", "-history_id").values("history_id")[:1]))
        .order_by("history_date", "history_id")[:HISTORY_ROWS_PER_TABLE]
    )
    wanted = [row.previous_id for row in rows if row.history_type == "~" and row.previous_id]
    previous = history.objects.in_bulk(wanted) if wanted else {}
    return [(row, previous.get(row.previous_id)) for row in rows]


def _history_change(model, row, previous, sensitive: bool, pending_relations: list, shown: _Shown) -> dict:
    action = {"+": _("Thêm"), "~": _("Sửa"), "-": _("Xoá")}[row.history_type]
    change = {"table": shown.table(model), "action": action, "object": "", "fields": []}
    if not shown.may(model, None, sensitive):
        change["object"] = str(describe(row.instance, sensitive=False))
        return change
    change["object"] = _describe(row, sensitive)
    if row.history_type == "~" and previous is not None:
        for delta in row.diff_against(previous, foreign_keys_are_objs=False).changes:
            model_field, label = shown.field(model, delta.field)
            if not shown.may(model, delta.field, sensitive):
                change["fields"].append({"field": label, "old": MASK, "new": MASK})
                continue
            value = {"field": label, "old": delta.old, "new": delta.new}
            pending_relations.append((model_field, value))
            change["fields"].append(value)
    return change


def _describe(row, sensitive: bool) -> str:
    """One line for a history row without reading its related rows (a fixed query count)."""
    instance = row.instance
    for model_field in type(instance)._meta.concrete_fields:
        if model_field.is_relation and not model_field.is_cached(instance):
            model_field.set_cached_value(instance, None)
    return str(describe(instance, sensitive=sensitive))


def _proposal(entry: Entry, ops: list, pending_relations: list, shown: _Shown) -> None:
    """A request not applied shows what it proposes: each operation, with the new values."""
    actions = {"create": _("Đề xuất thêm"), "update": _("Đề xuất sửa"), "delete": _("Đề xuất xoá")}
    for op in ops[:ITEMS_PER_REQUEST]:
        model = tracked_history(op.get("model") or "")[0]
        if model is None:
            continue
        change = {"table": shown.table(model), "action": actions.get(op.get("action"), ""), "fields": []}
        change["object"] = ""
        if shown.may(model, None, entry.sensitive):
            for name, value in (op.get("values") or {}).items():
                try:
                    model_field, label = shown.field(model, name)
                except FieldDoesNotExist:  # a field the model no longer has
                    continue
                if not shown.may(model, name, entry.sensitive):
                    change["fields"].append({"field": label, "old": "", "new": MASK})
                    continue
                proposed = {"field": label, "old": None, "new": value}
                pending_relations.append((model_field, proposed))
                change["fields"].append(proposed)
        entry.changes.append(change)
    entry.more_changes = len(ops) > ITEMS_PER_REQUEST


def _resolve_relations(pending: list) -> None:
    """Shows each old and new value; related rows named with one query per related model."""
    wanted = defaultdict(set)
    for model_field, shown in pending:
        if model_field.is_relation:
            for key in ("old", "new"):
                if shown[key] not in (None, ""):
                    wanted[model_field.related_model].add(shown[key])
    names = {}
    for related, pks in wanted.items():
        found = related._default_manager.in_bulk([int(pk) for pk in pks if str(pk).isdigit()])
        names[related] = {pk: str(obj) for pk, obj in found.items()}
    for model_field, shown in pending:
        for key in ("old", "new"):
            value = shown[key]
            if model_field.is_relation:
                if value is None or value == "":
                    shown[key] = "—"
                elif isinstance(value, str) and value.startswith("$"):
                    shown[key] = _("(bản ghi mới trong yêu cầu này)")
                else:
                    shown[key] = names.get(model_field.related_model, {}).get(value, str(value))
            else:
                shown[key] = display_value(model_field, value)
