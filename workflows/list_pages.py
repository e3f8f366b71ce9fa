"""viewflow's list pages of the flow (inbox, queue, archive, tasks, processes) at any size: a
constant number of queries per page, and paging that neither skips nor repeats a row while
requests are submitted and taken.

viewflow's ListModelView pages with Django's Paginator: an exact COUNT over every visible row and
OFFSET, ordered by `created` alone. Under concurrent submissions and takes, OFFSET shifts rows
between pages (a task taken by a colleague moves every later row up one: the approver never
sees the one that crosses the page boundary; a new submission repeats one), and ties on
`created` have no fixed order. Here a page is the rows strictly after the last row shown in the
order (-created, -pk), which is unique, so each row is on exactly one page whatever is inserted
or removed meanwhile; no COUNT is taken. The paging is the project's (tracking.keyset); this
module only fixes the flow's order and the filters and counts viewflow would read every task for.

The approver's queue is read from the other side: the requests waiting at each of the user's
approval units, in the order they arrived there (ChangeRequest.pending_since, the partial index
change_request_queue), one index range per unit; then the page's tasks. Its cost follows the
user's own queue, not the ministry's open tasks.
"""

from django.db.models import Case, CharField, Exists, F, Func, OuterRef, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateRangeFilter, FilterSet
from viewflow.views.list import BaseColumn, DataSourceColumn
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tracking import vietnamese
from tracking.cells import cell_html
from tracking.keyset import KeysetListMixin as _KeysetListMixin
from tracking.keyset import KeysetPage, count_up_to, paginate, paginate_merged

from .models import ChangeRequest
from .permissions import visible_change_requests_q, visible_pending_at_q
from .selectors import list_approvable_change_requests, list_approvable_change_requests_by_unit


class KeysetListMixin(_KeysetListMixin):
    """For viewflow's ListModelView: newest first, (-created, -pk), index-backed (migration
    0011); column headers do not re-sort."""

    keyset_ordering = ("-created", "-pk")

    @property
    def columns_order(self):
        """viewflow's sort indicators on the headers: none, the order is fixed."""
        return {}


class PageDataMixin:
    """viewflow's rows of a list page (`get_page_data`: per row, per column, the value and its
    formatting), with what is the same on every row found once per page: each column's type
    (the cell's class, a method viewflow's template calls per cell), whether its values are
    formatted plainly or as yes/no, whether it is the column linked to the object. The cells and
    their HTML are viewflow's; only the per-cell work is less (issue #9: the queue's page is
    its Python, not its SQL)."""

    def get_page_data(self, page):
        plans = []
        for column in self.list_columns.values():
            kind = column.column_type()
            plain = isinstance(column, DataSourceColumn) and kind != "boolean"
            plans.append(
                (
                    column,
                    _CellColumn(kind),
                    plain,
                    column.attr_name in self.get_object_link_columns,
                    *_getter(column),
                )
            )
        for obj in page:
            row = []
            for column, cell, plain, linked, getter, empty in plans:
                if getter is None:
                    value = column.get_value(obj)
                else:  # DataSourceColumn.get_value, the method found once per page
                    value = getter(obj)
                    if value is None:
                        value = empty
                if linked:
                    value = self.format_value(obj, column, value)
                elif plain:
                    # BaseColumn.format_value, text as it is (force_str of a str is the str)
                    if not isinstance(value, str):
                        value = BaseColumn.format_value(column, obj, value)
                else:
                    value = column.format_value(obj, value)
                row.append((cell, value))
            yield obj, row

    def get_page_rows_html(self, page) -> SafeString:
        """The <tr> rows of viewflow's list table (its views/list.html, a list without bulk
        actions) for `page`, as one string built here rather than by a template loop over each
        row and cell (templates/workflows/changerequest/process_tasks_list.html): each cell's
        value escaped and localised as `{{ value }}` prints it."""
        parts = []
        for obj, row in self.get_page_data(page):
            parts.append(f'<tr data-row-id="{cell_html(obj.pk)}">')
            for cell, value in row:
                parts.append(f'<td class="vf-list__table-cell-{cell.column_type_html}">{cell_html(value)}</td>')
            parts.append("</tr>\n")
        return SafeString("".join(parts))


def _getter(column) -> tuple:
    """(the callable a DataSourceColumn's get_value calls on each row, the value shown for
    None), found once per page; (None, None) for another kind of column or a plain attribute."""
    if type(column) is not DataSourceColumn:
        return None, None
    attr = getattr(column.data_source, column.attr_name)
    if not callable(attr):
        return None, None
    return attr, column._get_attr_empty_value()


class _CellColumn:
    """What viewflow's row template reads of a cell's column: its type, as a plain attribute."""

    __slots__ = ("column_type", "column_type_html")

    def __init__(self, column_type: str):
        self.column_type = column_type
        self.column_type_html = escape(column_type)


# --- filters without a query: viewflow's offer every process of the queue as a choice ----------


def _human_steps(flow_class):
    from viewflow.workflow.fields import get_task_ref

    return [(get_task_ref(node), node.task_title) for node in flow_class.instance.nodes() if node.task_type == "HUMAN"]


class TaskListFilter(FilterSet):
    """Step, kind of change and waiting since: choices known without reading the tasks."""

    flow_task = ChoiceFilter(label=_("Bước"))
    kind = ChoiceFilter(field_name="process__change_request__kind", choices=ChangeRequest.Kind.choices)
    created = DateRangeFilter(label=_("Chờ từ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .flows import ChangeRequestFlow

        self.filters["flow_task"].field.choices = _human_steps(ChangeRequestFlow)
        self.filters["kind"].label = ChangeRequest._meta.get_field("kind").verbose_name


class ArchiveListFilter(TaskListFilter):
    finished = DateRangeFilter(label=_("Hoàn thành"))


class CappedCount:
    """The figure viewflow's flow menu prints beside Inbox and Queue (`{{ user_queue.count }}`),
    counted up to `cap` ("99+"): the menu is on every page, and an exact COUNT of 20,000 open
    tasks on every page is what it must not cost."""

    def __init__(self, queryset, cap: int = 99):
        self.queryset = queryset
        self.cap = cap

    def count(self) -> str:
        found, more = count_up_to(self.queryset, self.cap)
        return f"{self.cap}+" if more else str(found)


# --- the approver's queue, driven by the requests waiting at the user's units ------------------

# Above this many approval units, one query over all of them (the index's ranges read and
# sorted) instead of one index range per unit merged.
QUEUE_UNIT_CAP = 8

# A request about no one (a unit's data, an inspection, an import) in the order by person: after
# every person, "~" being above the letters and digits a sort key starts with
# (tracking.vietnamese.sort_key: a < … < z < "{" < "|" < "~").
NO_PERSON = "~"


def person_key(prefix: str = "") -> Coalesce:
    """The order by person (Vietnamese order: given name, then middle and family name; the
    person's Employee.sort_key) of a request, or of what leads to one (`prefix`, e.g.
    "process__change_request__"); a request about no one after every person."""
    return Coalesce(F(f"{prefix}employee__sort_key"), Value(NO_PERSON), output_field=CharField())


class Bytewise(Func):
    """A sort key computed in the query (a CASE of keys) compared byte by byte, as the stored keys
    are (tracking.fields.SortKeyField): collation "C" on PostgreSQL, whose default collation
    would reorder them; SQLite compares text by bytes already."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template='(%(expressions)s) COLLATE "C"', **extra_context)


def kind_key(prefix: str = "") -> Bytewise:
    """The order by kind of change: the Vietnamese order of the kinds' names as shown."""
    return _bytewise(
        When(**{f"{prefix}kind": value}, then=Value(vietnamese.sort_key(str(label))))
        for value, label in ChangeRequest.Kind.choices
    )


def _bytewise(whens) -> Bytewise:
    """CASE … WHEN … THEN a sort key … END, NO_PERSON (after every key) for any other value."""
    return Bytewise(Case(*whens, default=Value(NO_PERSON), output_field=CharField()))


def _named_key(field: str, names: dict[int, str]) -> Bytewise:
    """A sort key read from `names` (id → the key of its name) by the id in `field`: units and
    accounts keep no sort key of their own, so the keys of the names a list can show (a few
    units, a few proposers) are computed here and given to the database. The key is the name's,
    not a rank among those found, so a cursor stays right when the list changes meanwhile."""
    return _bytewise(When(**{field: pk}, then=Value(key)) for pk, key in sorted(names.items()))


def _names_of(querysets: list[QuerySet], fields: tuple[str, ...]) -> list[tuple]:
    """The distinct `fields` of the rows of `querysets`, in one query."""
    parts = [queryset.order_by().values_list(*fields).distinct() for queryset in querysets]
    if not parts:
        return []
    return list(parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0])


def unit_key(querysets: list[QuerySet], prefix: str = "") -> Bytewise:
    """The order by the request's unit: the Vietnamese order of its name."""
    rows = _names_of(querysets, (f"{prefix}unit_id", f"{prefix}unit__name"))
    return _named_key(f"{prefix}unit_id", {pk: vietnamese.sort_key(name) for pk, name in rows})


def submitter_key(querysets: list[QuerySet], prefix: str = "") -> Bytewise:
    """The order by who submitted the request: their name in Vietnamese order (given name first,
    as people are), the username when an account has no name."""
    path = f"{prefix}submitted_by"
    rows = _names_of(querysets, (f"{path}_id", f"{path}__last_name", f"{path}__first_name", f"{path}__username"))
    keys = {}
    for pk, last_name, first_name, username in rows:
        name = " ".join(part.strip() for part in (last_name, first_name) if part and part.strip())
        keys[pk] = vietnamese.person_sort_key(name or username)
    return _named_key(f"{path}_id", keys)


def sort_keys(ordering, querysets: list[QuerySet], prefix: str = "") -> dict:
    """The annotations `ordering` sorts by that are not columns of the rows (a person's, a unit's
    or a proposer's name in Vietnamese order, a kind's name), for `querysets` (what the list
    reads; the names of units and proposers are read from them, one query). The one place the
    queue and the inbox ask which keys an order needs."""
    names = {name.lstrip("-") for name in ordering}
    keys = {}
    if "person_key" in names:
        keys["person_key"] = person_key(prefix)
    if "kind_key" in names:
        keys["kind_key"] = kind_key(prefix)
    if "unit_key" in names:
        keys["unit_key"] = unit_key(querysets, prefix)
    if "submitter_key" in names:
        keys["submitter_key"] = submitter_key(querysets, prefix)
    return keys


def _both_ways(columns: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """`?_orderby=` values for each column both ways: "name" ascending, "-name" descending."""
    orderings = {}
    for column, ordering in columns.items():
        orderings[column] = ordering
        orderings["-" + column] = tuple(name[1:] if name.startswith("-") else "-" + name for name in ordering)
    return orderings


# `?_orderby=` of the queue and the inbox (viewflow's list convention: the column's name, "-" for
# descending): the column and the rows' order, the primary key breaking ties. Waiting since and
# level are indexed per unit (change_request_queue, change_request_queue_level: a decision that
# moves a request up a level rewrites both entries, as it rewrites pending_since); the other
# orders are not (a name belongs to another table, a kind's to the catalogue): each unit's
# waiting requests are read and sorted, a set bounded by that unit's queue, then merged. On
# qlcb_bench_scale's queue of 4,500 requests at one unit a page took 10 ms by level before its
# index and takes 10 ms by kind, 20 ms by a name, 2 ms by arrival.
QUEUE_ORDERINGS = _both_ways(
    {
        "waiting_since": ("pending_since", "pk"),
        "employee_name": ("person_key", "pk"),
        "unit": ("unit_key", "pk"),
        "kind": ("kind_key", "pk"),
        "submitted_by": ("submitter_key", "pk"),
        "level": ("current_level", "pk"),
    }
)
QUEUE_DEFAULT_ORDER = "-waiting_since"
# The inbox: the user's own tasks (a set bounded by what they took), by when each began waiting
# (the flow's index on created) or by a column of the request.
INBOX_ORDERINGS = _both_ways(
    {
        "waiting_since": ("created", "pk"),
        "employee_name": ("person_key", "pk"),
        "unit": ("unit_key", "pk"),
        "kind": ("kind_key", "pk"),
        "submitted_by": ("submitter_key", "pk"),
        "level": ("process__change_request__current_level", "pk"),
    }
)
INBOX_DEFAULT_ORDER = "-waiting_since"
# The columns whose headers sort (the same in both lists).
SORTABLE_COLUMNS = tuple(name for name in QUEUE_ORDERINGS if not name.startswith("-"))


def asked_order(params, orderings: dict, default: str, *, kwarg: str = "_orderby") -> str:
    """The order asked in the URL (`?_orderby=`), a key of `orderings`, or `default`. viewflow's
    header script may send several columns ("a,-b"): these lists sort by one."""
    asked = params.get(kwarg, "").split(",")[0]
    return asked if asked in orderings else default


def column_order(order: str) -> tuple[str, str]:
    """(the column sorted by, "asc" or "desc") of an order: the indicator on its header."""
    return order.lstrip("-"), "desc" if order.startswith("-") else "asc"


def _open_approval(flow_class) -> Exists:
    """The request's approval task is open and nobody has taken it."""
    return Exists(
        Task.objects.filter(
            process_id=OuterRef("process_id"), flow_task=flow_class.approve, status=STATUS.NEW, owner__isnull=True
        )
    )


def queue_requests(user, flow_class, by_unit: dict | None = None) -> list[QuerySet]:
    """The requests whose approval task `user` may take now (workflows.permissions: approvable
    and visible, the task open and not taken): one queryset per unit they wait at, each an
    index range of `change_request_queue`, or one over all of them past QUEUE_UNIT_CAP units.
    Their cost follows the user's queue, not the ministry's open requests. `by_unit`: the
    user's approvable requests by unit when the caller has them already (queue_units)."""
    if by_unit is None:
        by_unit = queue_units(user)
    if len(by_unit) <= QUEUE_UNIT_CAP:
        return [
            queryset.filter(visible_pending_at_q(user, unit), _open_approval(flow_class))
            for unit, queryset in by_unit.items()
        ]
    return [_all_queue_requests(user, flow_class, by_unit)]


def queue_units(user) -> dict[int, QuerySet]:
    """The user's approvable requests, one queryset per approval unit: what the queue's page and
    its count are both built on (a caller showing both computes it once)."""
    return list_approvable_change_requests_by_unit(user=user)


def _all_queue_requests(user, flow_class, by_unit) -> QuerySet:
    """The queue's requests in one queryset (visibility asked only when some unit needs it)."""
    queryset = list_approvable_change_requests(user=user).filter(_open_approval(flow_class))
    if any(visible_pending_at_q(user, unit) for unit in by_unit):
        queryset = queryset.filter(visible_change_requests_q(user))
    return queryset


def queue_count(user, flow_class, by_unit: dict | None = None) -> "CappedCount":
    """The queue's menu figure: the same requests, counted up to a cap."""
    return CappedCount(_all_queue_requests(user, flow_class, queue_units(user) if by_unit is None else by_unit))


def open_approval_tasks(tasks: QuerySet, flow_class, requests) -> list:
    """The open approval tasks nobody has taken of `requests` (rows with process_id), in the
    requests' order, read from `tasks` in one query: a task taken meanwhile is not offered."""
    process_ids = [change_request.process_id for change_request in requests]
    if not process_ids:
        return []
    found = tasks.filter(
        process_id__in=process_ids, flow_task=flow_class.approve, status=STATUS.NEW, owner__isnull=True
    )
    by_process = {task.process_id: task for task in found}
    return [by_process[pk] for pk in process_ids if pk in by_process]


def queue_page(querysets: list[QuerySet], params, *, per_page: int, order: str) -> KeysetPage:
    """One keyset page of the queue's requests in `order` (a key of QUEUE_ORDERINGS): one query
    per unit (merged in that order, tracking.keyset.paginate_merged), whatever the depth, and
    one for the names of units or proposers when the order is by them."""
    ordering = QUEUE_ORDERINGS[order]
    keys = sort_keys(ordering, querysets)
    # What the cursor and the page's tasks need; the rows are read with the tasks.
    querysets = [
        queryset.annotate(**keys).order_by(*ordering).only("pk", "process_id", "pending_since", "current_level")
        for queryset in querysets
    ]
    if not querysets:
        return KeysetPage(rows=[])
    if len(querysets) == 1:
        return paginate(querysets[0], params, per_page=per_page)
    return paginate_merged(querysets, params, per_page=per_page, partitions=True)


class QueueListFilter(FilterSet):
    """The queue's filters, over the requests it lists: kind of change and waiting since."""

    kind = ChoiceFilter(field_name="kind", choices=ChangeRequest.Kind.choices)
    pending_since = DateRangeFilter(label=_("Chờ từ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].label = ChangeRequest._meta.get_field("kind").verbose_name
