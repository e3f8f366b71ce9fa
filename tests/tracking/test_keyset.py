"""Keyset pagination (tracking.keyset): every row once across pages, forwards and backwards,
ties on the sort column included; links keep the filters; a bad cursor shows the first page."""

import datetime

import pytest
from django.core import signing
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.views.generic import ListView

from records.models import AccessLog, Employee
from tests.conftest import make_user, rewriting_history
from tracking.keyset import PARAM, KeysetListMixin, count_up_to, ordering_of, paginate, paginate_merged
from units.models import Unit

PER_PAGE = 7


@pytest.fixture
def log(db):
    """53 log rows on 4 distinct instants: most rows tie on the sort column."""
    reader = make_user("doc_gia")
    AccessLog.objects.bulk_create(
        AccessLog(user=reader, kind=AccessLog.Kind.VIEW if n % 3 else AccessLog.Kind.EXPORT, path=f"/{n}")
        for n in range(53)
    )
    base = timezone.now().replace(microsecond=0)
    with rewriting_history():
        for n, pk in enumerate(AccessLog.objects.order_by("pk").values_list("pk", flat=True)):
            AccessLog.objects.filter(pk=pk).update(at=base - datetime.timedelta(minutes=n % 4))
    return AccessLog.objects.order_by("-at", "-pk")


def params(query: str) -> QueryDict:
    return QueryDict(query, mutable=False)


def walk(fetch, query="", *, forwards=True):
    """Every page from `query` on, following the next (or previous) links; the pages' rows."""
    pages = []
    while True:
        page = fetch(params(query))
        pages.append([row.pk for row in page])
        if not (page.has_next if forwards else page.has_previous):
            return pages, page
        query = page.next_query if forwards else page.previous_query


def test_pages_forwards_show_every_row_once_in_order_despite_ties(log):
    pages, last = walk(lambda p: paginate(log, p, per_page=PER_PAGE))
    assert [pk for page in pages for pk in page] == list(log.values_list("pk", flat=True))
    assert len(pages) == 8 and all(len(page) == PER_PAGE for page in pages[:-1]) and len(pages[-1]) == 4
    assert last.has_previous and not last.has_next


def test_pages_backwards_from_the_last_show_every_row_once(log):
    last = paginate(log, params(""), per_page=PER_PAGE)
    last = paginate(log, params(last.last_query), per_page=PER_PAGE)
    assert [row.pk for row in last] == list(log.values_list("pk", flat=True))[-PER_PAGE:]
    assert last.has_previous and not last.has_next
    pages, first = walk(lambda p: paginate(log, p, per_page=PER_PAGE), last.previous_query, forwards=False)
    seen = [pk for page in reversed([[row.pk for row in last]] + pages) for pk in page]
    assert sorted(seen) == sorted(log.values_list("pk", flat=True)) and len(seen) == len(set(seen))
    assert not first.has_previous


def test_next_then_previous_returns_to_the_same_page(log):
    first = paginate(log, params(""), per_page=PER_PAGE)
    second = paginate(log, params(first.next_query), per_page=PER_PAGE)
    again = paginate(log, params(second.previous_query), per_page=PER_PAGE)
    assert [r.pk for r in again] == [r.pk for r in first]
    assert not first.has_previous and second.has_previous and again.has_next


def test_links_keep_the_other_parameters(log):
    page = paginate(log.filter(kind=AccessLog.Kind.VIEW), params("kind=view&user=doc_gia"), per_page=PER_PAGE)
    for query in (page.next_query, page.last_query, page.first_query):
        kept = QueryDict(query)
        assert kept["kind"] == "view" and kept["user"] == "doc_gia"
    assert PARAM not in QueryDict(page.first_query)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        signing.dumps(["n", [1, 2]], salt="another list", compress=True),  # a cursor of another list
        signing.dumps(["n", ["not a date", 3]], salt="keyset:records.AccessLog:-at,-pk", compress=True),
        signing.dumps(["n", [1]], salt="keyset:records.AccessLog:-at,-pk", compress=True),
        signing.dumps(["x", None], salt="keyset:records.AccessLog:-at,-pk", compress=True),
    ],
)
def test_a_bad_cursor_shows_the_first_page_with_a_message(log, cursor):
    query = QueryDict(mutable=True)
    query[PARAM] = cursor
    page = paginate(log, query, per_page=PER_PAGE)
    assert [r.pk for r in page] == list(log.values_list("pk", flat=True))[:PER_PAGE]
    assert page.error == "Liên kết trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu."


def test_a_tampered_cursor_is_refused(log):
    page = paginate(log, params(""), per_page=PER_PAGE)
    cursor = QueryDict(page.next_query)[PARAM]
    tampered = cursor[:-3] + ("aaa" if not cursor.endswith("aaa") else "bbb")
    assert paginate(log, params(f"{PARAM}={tampered}"), per_page=PER_PAGE).error


def test_the_ordering_ends_in_the_primary_key_when_it_does_not_already(log):
    by_kind = AccessLog.objects.order_by("kind")
    pages, _last = walk(lambda p: paginate(by_kind, p, per_page=PER_PAGE))
    assert [pk for page in pages for pk in page] == list(by_kind.order_by("kind", "pk").values_list("pk", flat=True))


def test_merged_lists_walk_as_one_with_ties_between_them(log):
    """Two querysets read as one list by their first column: ties between them included."""
    views, exports = log.filter(kind=AccessLog.Kind.VIEW), log.filter(kind=AccessLog.Kind.EXPORT)

    def fetch(p):
        return paginate_merged([views, exports], p, per_page=PER_PAGE)

    pages, last = walk(fetch)
    seen = [pk for page in pages for pk in page]
    assert sorted(seen) == sorted(log.values_list("pk", flat=True)) and len(seen) == len(set(seen))
    times = dict(log.values_list("pk", "at"))
    assert [times[pk] for pk in seen] == sorted((times[pk] for pk in seen), reverse=True)
    back, first = walk(fetch, fetch(params(last.last_query)).previous_query, forwards=False)
    assert [pk for page in reversed(back) for pk in page] == seen[: len(seen) - PER_PAGE]
    assert not first.has_previous


def test_merged_partitions_of_one_table_walk_in_its_whole_order_ties_by_id(log):
    """Disjoint parts of one table in one ordering (the queue's units): the merged list is the
    table's own order, ties on the first column by id across the parts, not part by part;
    forwards and back."""
    views, exports = log.filter(kind=AccessLog.Kind.VIEW), log.filter(kind=AccessLog.Kind.EXPORT)

    def fetch(p):
        return paginate_merged([views, exports], p, per_page=PER_PAGE, partitions=True)

    pages, last = walk(fetch)
    seen = [pk for page in pages for pk in page]
    assert seen == list(log.values_list("pk", flat=True))  # (-at, -pk) over both parts
    back, first = walk(fetch, fetch(params(last.last_query)).previous_query, forwards=False)
    assert [pk for page in reversed(back) for pk in page] == seen[: len(seen) - PER_PAGE]
    assert not first.has_previous
    with pytest.raises(ValueError):  # parts in two orders are not one table's order
        paginate_merged([views, exports.order_by("-at", "pk")], params(""), partitions=True)


def test_count_up_to_stops_at_the_cap(log):
    assert count_up_to(log, cap=50) == (50, True)
    assert count_up_to(log, cap=53) == (53, False)
    assert count_up_to(log.none()) == (0, False)


def test_an_ordering_ending_in_a_unique_column_is_not_given_the_primary_key(tree):
    """A unit's path is unique: the tree pages by path alone, one column in the query."""
    units = Unit.objects.order_by("path")
    assert ordering_of(units) == ["path"]
    assert ordering_of(Unit.objects.order_by("-path")) == ["-path"]
    assert ordering_of(Employee.objects.order_by("managing_unit__path")) == ["managing_unit__path", "pk"]
    pages, last = walk(lambda p: paginate(units, p, per_page=2))
    assert [pk for page in pages for pk in page] == list(units.values_list("pk", flat=True))
    back, _first = walk(lambda p: paginate(units, p, per_page=2), last.previous_query, forwards=False)
    assert [pk for page in reversed([[r.pk for r in last], *back]) for pk in page] == [pk for p in pages for pk in p]
    with CaptureQueriesContext(connection) as queries:
        paginate(units, params(last.previous_query), per_page=2)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert '"path" <' in sql and '"path" >=' not in sql and '"path" <=' not in sql


class _ListView(KeysetListMixin, ListView):
    model = AccessLog
    keyset_ordering = ("-at", "-pk")
    paginate_by = PER_PAGE


def test_a_list_view_pages_by_keyset_in_its_fixed_order(log, rf):
    """Django's ListView with the mixin: the page is a KeysetPage in the fixed order, whatever
    the request asks; no COUNT."""
    view = _ListView(request=rf.get("/", {"o": "path"}), kwargs={})
    with CaptureQueriesContext(connection) as queries:
        view.object_list = view.get_queryset()
        context = view.get_context_data()
    assert len(queries) == 1 and "COUNT" not in queries[0]["sql"]
    page = context["page_obj"]
    assert [r.pk for r in page] == [r.pk for r in context["object_list"]] == list(log.values_list("pk", flat=True))[:7]
    assert context["is_paginated"] and page.has_next and context["paginator"] is None


@pytest.mark.parametrize(
    "ordering",
    [("-at", "-pk"), ("at", "pk"), ("-at", "pk"), ("at", "-pk"), ("kind", "-at", "-pk"), ("-kind", "at", "pk")],
)
def test_every_direction_pages_every_row_once_both_ways(log, ordering):
    """All ascending, all descending (a row comparison) and mixed directions (the OR form):
    forwards, then backwards from the last page, every row once and in order."""
    rows = log.order_by(*ordering)
    expected = list(rows.values_list("pk", flat=True))
    pages, last = walk(lambda p: paginate(rows, p, per_page=PER_PAGE))
    assert [pk for page in pages for pk in page] == expected
    end = paginate(rows, params(last.last_query), per_page=PER_PAGE)
    back, first = walk(lambda p: paginate(rows, p, per_page=PER_PAGE), end.previous_query, forwards=False)
    assert [pk for page in reversed([[r.pk for r in end], *back]) for pk in page] == expected
    assert not first.has_previous


@pytest.mark.parametrize(
    ("ordering", "row_comparison"),
    [(("-at", "-pk"), "<"), (("at", "pk"), ">"), (("kind", "at", "pk"), ">"), (("-at", "pk"), None)],
)
def test_one_direction_is_a_row_comparison_mixed_directions_the_or_form(log, ordering, row_comparison):
    """`(at, id) < (x, y)` when the key's columns go one way (the index scan starts at the
    cursor and the planner estimates what is left below it); the OR form otherwise."""
    rows = log.order_by(*ordering)
    first = paginate(rows, params(""), per_page=PER_PAGE)
    with CaptureQueriesContext(connection) as queries:
        paginate(rows, params(first.next_query), per_page=PER_PAGE)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    where = sql.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    if row_comparison:
        columns = ", ".join(f'"records_accesslog"."{name.lstrip("-").replace("pk", "id")}"' for name in ordering)
        assert f"({columns}) {row_comparison} (" in where and " OR " not in where
    else:
        assert " OR " in where


def test_the_queue_key_is_never_null(db):
    """The one nullable column a list pages by (a request's pending_since, the queue) is set
    exactly while the request is submitted (the check constraint), and the queue lists only
    submitted requests: no key of a paged row is NULL, which a row comparison (like the OR form)
    would leave off every page after the first."""
    from workflows.models import ChangeRequest

    names = {c.name for c in ChangeRequest._meta.constraints}
    assert "pending_since_iff_submitted" in names
