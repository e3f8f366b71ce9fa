"""Keyset pagination for every list over a large table: a page is the rows after (or before) the
last row shown, found through an index on the list's ordering, so page 500 costs what page 1
costs (no OFFSET) and no exact COUNT is taken.

The ordering is the queryset's own `order_by` (plain field names, `__` paths allowed, or the
names of the queryset's annotations; each column NOT NULL); the primary key is appended when
missing so that ties on the sort column neither skip nor repeat rows, unless the ordering
already ends in a unique column of the model (a unit's `path`), which has no ties. The cursor
in the URL is signed (it names the ordering it belongs to): a tampered, stale or foreign cursor
shows the first page with a message, never an error. Counts, when a page wants one, are capped
(`count_up_to`): "hơn 1.000" costs at most 1,001 index entries whatever the table's size.

Django's list views (viewflow's ListModelView is one) page this way through `KeysetListMixin`.
Every list shows the one pager, templates/pager.html, given the page as `page`."""

import datetime
import decimal
import heapq
import operator
import sqlite3
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core import signing
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan, TupleLookupMixin
from django.db.models.sql.where import WhereNode
from django.utils.translation import gettext as _

PARAM = "cursor"  # the query parameter that carries the cursor
NEXT, PREVIOUS, LAST = "n", "p", "l"


@dataclass
class KeysetPage:
    """One page: its rows, whether there are pages either side, and the query strings of the
    links (the other parameters of the request, filters included, kept)."""

    rows: list
    has_next: bool = False
    has_previous: bool = False
    next_query: str = ""
    previous_query: str = ""
    first_query: str = ""
    last_query: str = ""
    error: str = ""  # why the cursor was refused and the first page shown
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def ordering_of(queryset: QuerySet) -> list[str]:
    """The queryset's ordering as field paths ("-at", "unit__path"), ending in a unique column:
    the primary key, appended unless the last column is one of the model's own unique fields
    (through a relation, "unit__path", it is not unique per row)."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not ordering or not all(isinstance(name, str) for name in ordering):
        raise ValueError(f"{queryset.model.__name__}: keyset pagination needs an ordering by field names")
    last = ordering[-1].lstrip("-")
    if "__" in last or not _field(queryset, last).unique:
        ordering.append("-pk" if ordering[-1].startswith("-") else "pk")
    return ordering


def _model_field(model, path: str):
    """The model field at the end of a `__` path ("unit__path" → Unit.path)."""
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return model._meta.pk if last == "pk" else model._meta.get_field(last)


def _field(queryset: QuerySet, path: str):
    """The field a column of the ordering holds: an annotation's output field (e.g. a sort key
    read through a nullable relation with a default, Coalesce(...)), or the model field at `path`."""
    annotation = queryset.query.annotations.get(path)
    return annotation.output_field if annotation is not None else _model_field(queryset.model, path)


def _row_value(row, path: str):
    value = row
    for name in path.split("__"):
        value = getattr(value, name)
    return value


def _salt(queryset: QuerySet, ordering: list[str]) -> str:
    return f"keyset:{queryset.model._meta.label}:{','.join(ordering)}"


def after_q(ordering: list[str], values: list, *, backwards: bool = False) -> Q:
    """Rows strictly after `values` in `ordering` (before them when `backwards`).

    When every column goes one way (all ascending or all descending, the usual case) this is one
    row comparison, `(a, id) < (x, y)`: PostgreSQL starts the index scan at the cursor and, unlike
    the OR form, estimates the rows left below it correctly (on a queue of 4,500 requests, 2,000
    rows deep: 31–37 ms with the OR form, 0.4 ms with the row comparison). SQLite reads row values
    since 3.15 and uses the index for them too. Mixed directions (none of ours yet) keep the OR
    form: `a ≥ x AND (a > x OR (a = x AND b < y) …)`, the redundant bound on the first column being
    what lets the database start the scan at the cursor (one column alone, `a > x`, needs none).

    The columns are NOT NULL (module docstring): a NULL compares as unknown in either form, so a
    row with a NULL key would be on no page after the first."""
    columns = [name.lstrip("-") for name in ordering]
    directions = {name.startswith("-") for name in ordering}
    if len(ordering) == 1:
        later = ordering[0].startswith("-") == backwards
        return Q(**{f"{columns[0]}__{'gt' if later else 'lt'}": values[0]})
    if len(directions) == 1:
        later = directions.pop() == backwards  # ascending forwards, or descending backwards
        lookup = (_RowGreaterThan if later else _RowLessThan)(Tuple(*(F(c) for c in columns)), list(values))
        return Q(lookup)
    conditions = Q(pk__in=[])  # false: the OR below grows from nothing
    equal = Q()
    for name, column, value in zip(ordering, columns, values, strict=True):
        later = name.startswith("-") == backwards
        conditions |= equal & Q(**{f"{column}__{'gt' if later else 'lt'}": value})
        equal &= Q(**{column: value})
    first = ordering[0]
    bound = Q(**{f"{columns[0]}__{'gte' if first.startswith('-') == backwards else 'lte'}": values[0]})
    return bound & conditions


class _RowComparison:
    """Django's tuple lookups, written as a row comparison on SQLite too (Django 5.2 falls back to
    the OR form there: its feature flag is off for every SQLite version; row values work since
    SQLite 3.15, and the project's test databases are SQLite)."""

    def as_sql(self, compiler, connection):
        if connection.vendor == "sqlite" and SQLITE_ROW_VALUES:
            return super(TupleLookupMixin, self).as_sql(compiler, connection)
        return super().as_sql(compiler, connection)


# Whether the SQLite library this process loaded reads row values (fixed for the process).
SQLITE_ROW_VALUES = sqlite3.sqlite_version_info >= (3, 15)


class _RowGreaterThan(_RowComparison, TupleGreaterThan):
    pass


class _RowLessThan(_RowComparison, TupleLessThan):
    pass


def _reversed(ordering: list[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else "-" + name for name in ordering]


def paginate(queryset: QuerySet, params, *, per_page: int = 50, param: str = PARAM) -> KeysetPage:
    """The page of `queryset` that the cursor in `params` (request.GET) under `param` points at:
    one query, whatever the depth. Links keep every other parameter of `params` (a page with
    two lists gives each its own `param`)."""
    ordering = ordering_of(queryset)
    salt = _salt(queryset, ordering)
    direction, values, error = _read_cursor(queryset, ordering, params.get(param), salt)
    if direction == NEXT:
        rows = list(queryset.filter(after_q(ordering, values)).order_by(*ordering)[: per_page + 1])
        page = KeysetPage(rows=rows[:per_page], has_next=len(rows) > per_page, has_previous=True)
    elif direction in (PREVIOUS, LAST):
        backwards = queryset.order_by(*_reversed(ordering))
        if direction == PREVIOUS:
            backwards = backwards.filter(after_q(ordering, values, backwards=True))
        rows = list(backwards[: per_page + 1])
        page = KeysetPage(rows=rows[:per_page][::-1], has_next=direction == PREVIOUS, has_previous=len(rows) > per_page)
    else:
        rows = list(queryset.order_by(*ordering)[: per_page + 1])
        page = KeysetPage(rows=rows[:per_page], has_next=len(rows) > per_page, error=error)
    names = [name.lstrip("-") for name in ordering]
    _add_links(page, params, salt, lambda row: [_row_value(row, name) for name in names], param=param)
    return page


def paginate_union(
    queryset: QuerySet, ranges: list[tuple[Q, str, list]], params, *, per_page: int = 50, param: str = PARAM
) -> KeysetPage:
    """`paginate`'s page of the rows of `queryset` in `ranges`, read as one statement of one
    index range per value: each `queryset.filter(where, column=value)` after the cursor, in the
    page's order, cut at per_page + 1 (`unit_id = u AND (a, id) < (x, y) ORDER BY a DESC, id
    DESC LIMIT 51`, a range of an index that leads with the column), merged and cut to the page.
    For `column IN (…)` over a few values the planner would otherwise walk an index of the whole
    ordering until the page fills (a few units' requests among a ministry's: the page's cost
    grows with the whole table); here it reads at most per_page + 1 rows per value.

    On PostgreSQL, per (where, column), a LATERAL join of the range over `unnest(values)` (the
    range planned once); elsewhere a UNION ALL of one member per value. `ranges` is a list of
    (where, column, values), the values plain (ids, not rows), at most a few dozen. The ranges
    must be disjoint (no row in two: UNION ALL keeps both). The ordering's columns are the
    model's own (no `__` path); the rows are model instances holding those columns only.
    Cursors are `paginate`'s (the same salt): a link made by either pages with the other."""
    ordering = ordering_of(queryset)
    names = [name.lstrip("-") for name in ordering]
    if any("__" in name for name in names):
        raise ValueError("paginate_union: the ordering's columns must be the model's own")
    salt = _salt(queryset, ordering)
    direction, values, error = _read_cursor(queryset, ordering, params.get(param), salt)
    backwards = direction in (PREVIOUS, LAST)
    walk = _reversed(ordering) if backwards else ordering
    after = after_q(ordering, values, backwards=backwards) if direction in (NEXT, PREVIOUS) else Q()
    rows = _union_rows(queryset.filter(after), ranges, walk, per_page + 1)
    if backwards:
        page = KeysetPage(rows=rows[:per_page][::-1], has_next=direction == PREVIOUS, has_previous=len(rows) > per_page)
    else:
        page = KeysetPage(rows=rows[:per_page], has_next=len(rows) > per_page, has_previous=direction == NEXT)
        page.error = error
    _add_links(page, params, salt, lambda row: [_row_value(row, name) for name in names], param=param)
    return page


def _lateral_member(connection, compiled, where, column: str, values: list, number: int):
    """One range per value by a LATERAL join over the values (PostgreSQL): the range is planned
    once (50 members of a UNION ALL took ~15 ms to plan; this, under 1 ms in all)."""
    alias = connection.ops.quote_name(f"keyset_values_{number}")
    rows = connection.ops.quote_name(f"keyset_{number}")
    sql, member_params = compiled(where, column, RawSQL(f"{alias}.v", ()))
    return f"SELECT {rows}.* FROM unnest(%s) AS {alias}(v) CROSS JOIN LATERAL ({sql}) {rows}", [values, *member_params]


def _union_members(connection, compiled, where, column: str, values: list, number: int):
    """One member per value, `SELECT * FROM (range)`: the range compiled once (twice, to find
    the value's parameter) and its text repeated with each value."""
    sql, first = compiled(where, column, values[0])
    varying = None
    if len(values) > 1:
        other_sql, second = compiled(where, column, values[1])
        differ = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        if other_sql == sql and len(differ) == 1:
            varying = differ[0]
    members = []
    for value in values:
        if value == values[0]:
            member_sql, member_params = sql, list(first)
        elif varying is not None:
            member_sql, member_params = sql, list(first)
            member_params[varying] = value  # a plain value (an id): what the database reads
        else:  # the value is not one parameter of the same text: compiled for itself
            member_sql, member_params = compiled(where, column, value)
        alias = connection.ops.quote_name(f"keyset_{number + len(members)}")
        members.append((f"SELECT * FROM ({member_sql}) {alias}", member_params))
    return members


def _union_rows(queryset: QuerySet, ranges: list[tuple[Q, str, list]], walk: list[str], limit: int) -> list:
    """The first `limit` rows, in `walk`'s order, of the ranges: one statement, `… UNION ALL …
    ORDER BY … LIMIT n`. Without LATERAL, its members are `SELECT * FROM (range LIMIT n)` (as
    subqueries in FROM: SQLite allows no ORDER BY or LIMIT directly in a compound's members),
    each (where, column) compiled once and its SQL repeated per value (compiling a queryset per
    unit cost more than the database's work)."""
    connection = connections[queryset.db]
    model = queryset.model
    columns = [_model_field(model, name.lstrip("-")).column for name in walk]
    selected = [_model_field(model, name.lstrip("-")).attname for name in walk]
    members, arguments = [], []

    def compiled(where, column, value):
        branch = queryset.filter(where, **{column: value}).order_by(*walk).values_list(*selected)[:limit]
        return branch.query.get_compiler(queryset.db).as_sql()

    for where, column, values in ranges:
        values = list(values)
        try:
            if not values:
                continue
            if connection.vendor == "postgresql":
                found = [_lateral_member(connection, compiled, where, column, values, len(members))]
            else:
                found = _union_members(connection, compiled, where, column, values, len(members))
        except EmptyResultSet:  # a range that can hold nothing
            continue
        for sql, member_params in found:
            members.append(sql)
            arguments.extend(member_params)
    if not members:
        return []
    order = ", ".join(
        connection.ops.quote_name(column) + (" DESC" if name.startswith("-") else " ASC")
        for name, column in zip(walk, columns, strict=True)
    )
    sql = " UNION ALL ".join(members) + f" ORDER BY {order} LIMIT {int(limit)}"
    return list(model._default_manager.db_manager(queryset.db).raw(sql, arguments))


class KeysetListMixin:
    """For a Django ListView (viewflow's ListModelView is one): its page is `paginate`'s, in the
    fixed `keyset_ordering` whatever the request asks (an arbitrary order has no cursor). The
    KeysetPage stands for Django's Page (iterated as `page_obj`); no Paginator, so no COUNT."""

    paginate_by = 50
    keyset_ordering = ("-pk",)

    def get_ordering(self):
        return list(self.keyset_ordering)

    def paginate_queryset(self, queryset, page_size):
        page = paginate(queryset, self.request.GET, per_page=page_size)
        return None, page, page.rows, page.has_other_pages


def _read_cursor(queryset, ordering, cursor: str | None, salt: str):
    """(direction, values, error); direction None (first page) when there is no valid cursor."""
    if not cursor:
        return None, None, ""
    try:
        direction, raw = signing.loads(cursor, salt=salt)
        if direction == LAST:
            return LAST, None, ""
        if direction not in (NEXT, PREVIOUS) or len(raw) != len(ordering):
            raise ValueError(direction)
        fields = [_field(queryset, name.lstrip("-")) for name in ordering]
        return direction, [f.to_python(value) for f, value in zip(fields, raw, strict=True)], ""
    except (signing.BadSignature, ValueError, TypeError, ValidationError):
        return None, None, bad_cursor_message()


def bad_cursor_message() -> str:
    return _("Liên kết trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu.")


def _jsonable_all(value):
    """A cursor's values as JSON: dates and times as ISO text (the field's to_python reads them)."""
    if isinstance(value, list):
        return [_jsonable_all(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value) if isinstance(value, decimal.Decimal) else value


def _add_links(page: KeysetPage, params, salt: str, position, *, param: str = PARAM) -> None:
    """The query strings of the links; `position(row)` is what a cursor at `row` stores."""

    def query(direction: str | None, row=None) -> str:
        kept = params.copy()
        kept.pop(param, None)
        if direction is not None:
            raw = None if row is None else _jsonable_all(position(row))
            kept[param] = signing.dumps([direction, raw], salt=salt, compress=True)
        return kept.urlencode()

    page.first_query = query(None)
    page.last_query = query(LAST)
    if page.has_next:
        page.next_query = query(NEXT, page.rows[-1])
    if page.has_previous:
        page.previous_query = query(PREVIOUS, page.rows[0])


def paginate_merged(
    querysets: list[QuerySet],
    params,
    *,
    per_page: int = 50,
    partitions: bool = False,
    fields: tuple[str, ...] | None = None,
) -> KeysetPage:
    """One page of several querysets read as one list (e.g. the history tables of a person's
    file): each is ordered by the same first column (e.g. "-history_date"), ties between them
    go by their place in `querysets`. One query per queryset, whatever the depth; each row
    gets `keyset_source`, the index of its queryset.

    `partitions`: the querysets are disjoint parts of one table in one ordering (the queue's
    requests, one part per approval unit), so the merged list is in that whole ordering, ties on
    the first column going by the next columns (the primary key last), not by the part.

    With `fields` (names every queryset has, besides those of the ordering), the rows are
    plain objects holding just those values, read in one statement (UNION ALL of each
    queryset's page) where the database takes a limit in each part (PostgreSQL), else one
    query per queryset."""
    orderings = [ordering_of(queryset) for queryset in querysets]
    if len({ordering[0] for ordering in orderings}) != 1:
        raise ValueError("merged keyset pagination needs one first ordering column")
    if partitions and (
        len({tuple(ordering) for ordering in orderings}) != 1
        or len({queryset.model for queryset in querysets}) != 1
        or len({name.startswith("-") for name in orderings[0]}) != 1
    ):
        raise ValueError("partitions need one model and one ordering, every column one way")
    salt = "keyset-merged:" + "|".join(_salt(q, o) for q, o in zip(querysets, orderings, strict=True))
    direction, source, values, error = _read_merged_cursor(querysets, orderings, params.get(PARAM), salt)
    backwards = direction in (PREVIOUS, LAST)
    parts = []
    for index, (queryset, ordering) in enumerate(zip(querysets, orderings, strict=True)):
        if direction in (NEXT, PREVIOUS):
            if partitions:
                queryset = queryset.filter(after_q(ordering, values, backwards=backwards))
            else:
                queryset = queryset.filter(_merged_after_q(ordering, index, source, values, backwards=backwards))
        parts.append(queryset.order_by(*(_reversed(ordering) if backwards else ordering))[: per_page + 1])
    if fields is not None:
        lists = _read_parts_at_once(parts, orderings, fields, backwards=backwards)
    else:
        lists = []
        for index, part in enumerate(parts):
            rows = list(part)
            for row in rows:
                row.keyset_source = index
            lists.append(rows)
    merged_by = orderings[0] if partitions else orderings[0][:1]
    rows = list(_merge(lists, merged_by, backwards=backwards, limit=per_page + 1))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        page = KeysetPage(rows=rows[::-1], has_next=direction == PREVIOUS, has_previous=more)
    else:
        page = KeysetPage(rows=rows, has_next=more, has_previous=direction == NEXT, error=error)

    def position(row):
        names = [name.lstrip("-") for name in orderings[row.keyset_source]]
        return [row.keyset_source, [_row_value(row, name) for name in names]]

    _add_links(page, params, salt, position)
    return page


def _read_parts_at_once(parts: list[QuerySet], orderings, fields, *, backwards: bool) -> list[list]:
    """Each part's rows as plain objects with `fields` and `keyset_source`, in the part's order:
    one UNION ALL statement where each part may keep its ORDER BY and LIMIT, else a query each."""
    names = list(dict.fromkeys([*(name.lstrip("-") for name in orderings[0]), *fields]))
    if any("__" in name or name == "pk" for name in names):
        raise ValueError("reading merged parts at once needs plain column names")
    values = [
        part.annotate(keyset_source=Value(index)).values_list(*names, "keyset_source")
        for index, part in enumerate(parts)
    ]
    features = connections[parts[0].db].features
    if len(values) > 1 and features.supports_slicing_ordering_in_compound:
        found = list(values[0].union(*values[1:], all=True))
    else:
        found = [row for part in values for row in part]
    lists = [[] for _part in parts]
    for row in found:
        lists[row[-1]].append(SimpleNamespace(**dict(zip(names, row[:-1], strict=True)), keyset_source=row[-1]))
    for rows, ordering in zip(lists, orderings, strict=True):  # a union keeps no order: each part's again
        for name in reversed(ordering):
            descending = name.startswith("-") != backwards
            rows.sort(key=operator.attrgetter(name.lstrip("-")), reverse=descending)
    return lists


def _merged_after_q(ordering, index: int, source: int, values: list, *, backwards: bool) -> Q:
    """Rows of queryset `index` after the cursor, which is a row of queryset `source`: on the
    first column alone, and on ties too when `index` comes after `source` in the walk."""
    if index == source:
        return after_q(ordering, values, backwards=backwards)
    first = ordering[0]
    descending = first.startswith("-") != backwards  # the walk's direction on the first column
    ties_after = index < source if descending else index > source
    lookup = ("lt" if descending else "gt") + ("e" if ties_after else "")
    return Q(**{f"{first.lstrip('-')}__{lookup}": values[0]})


def _merge(lists: list[list], columns: list[str], *, backwards: bool, limit: int):
    """The rows of `lists` (each already in order) in the merged order of `columns` (which go
    one way), ties by list index."""
    descending = columns[0].startswith("-") != backwards
    names = [name.lstrip("-") for name in columns]
    merged = heapq.merge(
        *lists,
        key=lambda row: (*(_row_value(row, name) for name in names), row.keyset_source),
        reverse=descending,
    )
    return (row for _, row in zip(range(limit), merged, strict=False))


def _read_merged_cursor(querysets, orderings, cursor: str | None, salt: str):
    if not cursor:
        return None, None, None, ""
    try:
        direction, raw = signing.loads(cursor, salt=salt)
        if direction == LAST:
            return LAST, None, None, ""
        source, values = raw
        ordering = orderings[source]
        if direction not in (NEXT, PREVIOUS) or len(values) != len(ordering):
            raise ValueError(direction)
        fields = [_field(querysets[source], name.lstrip("-")) for name in ordering]
        return direction, source, [f.to_python(v) for f, v in zip(fields, values, strict=True)], ""
    except (signing.BadSignature, ValueError, TypeError, IndexError, ValidationError):
        return None, None, None, bad_cursor_message()


# Every list and count of the site counts its rows up to this many, then says "more than" (the
# lists of records, the timeline, the anomalies): read at each call, so a test may lower it here.
COUNT_CAP = 1000


def counted_and_narrowed(queryset: QuerySet, cap: int | None = None) -> tuple[QuerySet, int, bool]:
    """`count_up_to` that also hands back what to page: the rows' ids up to `cap` are read (one
    query) and, when that is all of them, the queryset narrowed to those ids, so its page is read
    by primary key instead of running its filters a second time (a name search on 100,000 people
    spent as long in its trigram index for the count as for the page). With more than `cap` rows
    the queryset comes back as it is (the page walks its ordering's index, as before)."""
    cap = COUNT_CAP if cap is None else cap
    found = list(queryset.order_by().values_list("pk", flat=True)[: cap + 1])
    more = len(found) > cap
    if more:
        return queryset, cap, True
    narrowed = queryset.all()  # the same columns, joins and ordering; its filters are now the ids
    narrowed.query.where = WhereNode()
    return narrowed.filter(pk__in=found), len(found), False


def count_up_to(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(number of rows up to `cap` (COUNT_CAP), whether there are more): a bounded count in one
    query, for "hơn 1.000 cán bộ" instead of an exact COUNT over the whole table."""
    cap = COUNT_CAP if cap is None else cap
    return capped_count(queryset.order_by().values("pk")[: cap + 1].count(), cap)


def capped_count(found: int, cap: int | None = None) -> tuple[int, bool]:
    """(`found` up to `cap` (COUNT_CAP), whether it is more): what a list shows of a number of
    rows it found some other way (the timeline's bounded scan)."""
    cap = COUNT_CAP if cap is None else cap
    return min(found, cap), found > cap


def paginate_bounded(
    queryset: QuerySet, where: Q, params, *, per_page: int = 50, scan: int = 2000, ranges=None
) -> KeysetPage:
    """The page of `queryset.filter(where)` that the cursor points at, examining at most `scan`
    rows of `queryset` (the part its indexes find: a scope, a person, dates) for `where` (what
    only a row can tell: a status, a field). A filter that matches almost nothing costs what a
    match costs: two queries (the window's keys through the indexes, then its ≤ `scan` rows by
    primary key, those matching, with their number, extra["found"]), whatever the table's size.

    When the window ends before a page is full, the page holds the matches found and
    `extra["scanned_to"]` the last row examined; its link onward (next, or previous when
    walking back) continues from that row, so nothing is skipped and nothing repeats.

    With `ranges` (as paginate_union's), the window is the first `scan` rows of those ranges
    (one index range per value, merged), not a walk of `queryset`'s ordering."""
    ordering = ordering_of(queryset)
    salt = _salt(queryset, ordering)
    param = PARAM
    direction, values, error = _read_cursor(queryset, ordering, params.get(param), salt)
    backwards = direction in (PREVIOUS, LAST)
    walk = _reversed(ordering) if backwards else ordering
    window = queryset.order_by(*walk)
    if direction in (NEXT, PREVIOUS):
        window = window.filter(after_q(ordering, values, backwards=backwards))
    names = [name.lstrip("-") for name in ordering]
    if ranges is None:
        keys = [(key[:-1], key[-1]) for key in window.values_list(*names, "pk")[:scan]]
    else:
        keys = [(tuple(_row_value(row, n) for n in names), row.pk) for row in _union_rows(window, ranges, walk, scan)]
    rows = []
    if keys:
        matching = queryset.model._default_manager.filter(pk__in=[pk for _, pk in keys]).filter(where)
        matching = matching.only(*_own_columns(queryset.model, names)).annotate(keyset_found=Window(Count("pk")))
        rows = list(matching.order_by(*walk)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    stopped = None
    if not more and len(keys) == scan:
        stopped = keys[-1][0]  # the window ended first: the walk goes on from its last row
    position = lambda row: [_row_value(row, name) for name in names]  # noqa: E731
    if backwards:
        page = KeysetPage(rows=rows[::-1], has_next=direction == PREVIOUS, has_previous=more or stopped is not None)
    else:
        page = KeysetPage(rows=rows, has_next=more or stopped is not None, has_previous=direction == NEXT, error=error)
    page.extra["scanned"] = len(keys)
    page.extra["found"] = rows[0].keyset_found if rows else 0  # matches in the whole window
    if stopped is not None:
        page.extra["scanned_to"] = dict(zip(names, stopped, strict=True))
    if rows:
        _add_links(page, params, salt, position, param=param)
    else:
        # Nothing matched in the window: back to the top (no row to take a cursor from).
        page.first_query = page.previous_query = _query_without(params, param)
        page.last_query = _query_with(params, param, signing.dumps([LAST, None], salt=salt, compress=True))
        page.next_query = page.last_query if page.has_next else ""
    if stopped is not None:
        # The link onward starts after the last row examined, not after the last match shown.
        _link_from(page, params, salt, list(stopped), backwards=backwards, param=param)
    return page


def _own_columns(model, names: list[str]) -> list[str]:
    """The model's own fields that hold the ordering's values (the keys only, no wide rows)."""
    return sorted({model._meta.pk.name if name == "pk" else name.split("__")[0] for name in names})


def _query_without(params, param: str) -> str:
    kept = params.copy()
    kept.pop(param, None)
    return kept.urlencode()


def _query_with(params, param: str, cursor: str) -> str:
    kept = params.copy()
    kept[param] = cursor
    return kept.urlencode()


def _link_from(page: KeysetPage, params, salt: str, values: list, *, backwards: bool, param: str) -> None:
    cursor = signing.dumps([PREVIOUS if backwards else NEXT, _jsonable_all(values)], salt=salt, compress=True)
    if backwards:
        page.previous_query = _query_with(params, param, cursor)
    else:
        page.next_query = _query_with(params, param, cursor)
