"""The timeline of a few units (issue #11): one index range per unit and per side of a transfer,
merged (tracking.keyset.paginate_union). Paging through the union finds exactly the plain
ordering's rows, either way; on PostgreSQL its first page reads what a page reads, whatever
the number of requests."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import oversight.timeline as timeline
from oversight.timeline import few_units, list_timeline
from oversight.timeline_forms import Filters
from tests.conftest import make_user
from tests.oversight.test_timeline import TIMELINE
from tests.oversight.test_timeline_bounded import _rows_read
from tracking.keyset import paginate, paginate_union
from units.models import Role, Unit
from workflows.models import ChangeRequest
from workflows.permissions import requests_of_units_ranges


@pytest.fixture
def requests_in_units(tree, people):
    """Requests in every unit of the tree, with ties on submitted_at (the id decides), and
    transfers between the Chi cục, out of the Cục and into it."""
    at = timezone.now().replace(microsecond=0)
    units = [tree["kv1"], tree["kv2"], tree["cuc"], tree["kho_bac"], tree["ministry"]]
    rows = []
    for n in range(40):
        unit = units[n % len(units)]
        target = None
        kind = ChangeRequest.Kind.EMPLOYEE
        if n % 7 == 3:  # a transfer: kv1 → kv2 (both in the Cục), kv2 → Kho bạc, Kho bạc → kv1
            kind = ChangeRequest.Kind.TRANSFER
            unit, target = [(tree["kv1"], tree["kv2"]), (tree["kv2"], tree["kho_bac"]), (tree["kho_bac"], tree["kv1"])][
                n % 3
            ]
        rows.append(
            ChangeRequest(
                kind=kind,
                unit=unit,
                target_unit=target,
                title=f"Yêu cầu {n}",
                reason="Tổng hợp",
                status=ChangeRequest.Status.WITHDRAWN if n % 4 == 1 else ChangeRequest.Status.APPLIED,
                submitted_by=people["canbo_kv1"],
                submitted_at=at - timezone.timedelta(minutes=n // 3),  # three requests a minute
            )
        )
    ChangeRequest.objects.bulk_create(rows)


def _subtree(unit):
    return list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def _walk(fetch, query=""):
    """Every row from the first page by next links, then back from the last by previous links."""
    forwards, page = [], fetch(QueryDict(query, mutable=True))
    for _ in range(50):
        forwards += [row.pk for row in page.rows]
        if not page.has_next:
            break
        page = fetch(QueryDict(page.next_query, mutable=True))
    backwards, page = [], fetch(QueryDict(page.last_query, mutable=True))
    for _ in range(50):
        backwards = [row.pk for row in page.rows] + backwards
        if not page.has_previous:
            break
        page = fetch(QueryDict(page.previous_query, mutable=True))
    return forwards, backwards


@pytest.mark.parametrize("per_page", [1, 2, 5, 50])
def test_paging_the_union_is_paging_the_plain_ordering(tree, people, requests_in_units, per_page):
    user = people["thanhtra_cuc"]
    base = ChangeRequest.objects.only("id", "submitted_at").order_by("-submitted_at", "-id")
    ids = _subtree(tree["cuc"])
    plain = list(list_timeline(user=user, filters=Filters()).values_list("pk", flat=True))
    assert len(plain) > 20 and len(set(plain)) == len(plain)
    union = lambda params: paginate_union(base, requests_of_units_ranges(ids), params, per_page=per_page)  # noqa: E731
    forwards, backwards = _walk(union)
    assert forwards == plain and backwards == plain
    # The cursors are paginate's: a link of either pages with the other.
    first = union(QueryDict())
    if first.has_next:
        walked = paginate(base.filter(pk__in=plain), QueryDict(first.next_query), per_page=per_page)
        assert [row.pk for row in walked.rows] == plain[per_page : 2 * per_page]


def test_a_transfer_out_of_the_scope_and_into_it_is_shown_once(tree, people, requests_in_units):
    ids = [tree["kv1"].pk, tree["kv2"].pk]
    base = ChangeRequest.objects.only("id", "submitted_at").order_by("-submitted_at", "-id")
    page = paginate_union(base, requests_of_units_ranges(ids), QueryDict(), per_page=100)
    expected = ChangeRequest.objects.filter(unit__in=ids) | ChangeRequest.objects.filter(target_unit__in=ids)
    assert [row.pk for row in page.rows] == list(expected.order_by("-submitted_at", "-id").values_list("pk", flat=True))
    assert ChangeRequest.objects.filter(unit=tree["kv1"], target_unit=tree["kv2"]).exists()  # in both parts' units


def test_the_page_of_a_few_units_is_the_union_and_shows_what_the_walk_shows(
    client_for, tree, people, requests_in_units, monkeypatch
):
    monkeypatch.setattr(timeline, "PER_PAGE", 3)
    user = people["thanhtra_cuc"]
    assert sorted(few_units(user=user, filters=Filters())) == sorted(_subtree(tree["cuc"]))

    def pages(client, query=""):
        seen, url = [], reverse(TIMELINE) + "?" + query
        for _ in range(40):
            response = client.get(url)
            assert response.status_code == 200
            seen += [entry.request.pk for entry in response.context["entries"]]
            page = response.context["page"]
            if not page.has_next:
                return seen
            url = reverse(TIMELINE) + "?" + page.next_query
        raise AssertionError("the walk does not end")

    client = client_for(user)
    union = pages(client)
    unit_only = pages(client, "unit=BTC.CT.KV2&only_unit=on")
    monkeypatch.setattr(timeline, "UNION_UNITS", 0)  # every scope walks (submitted_at, id)
    assert union == pages(client) and len(union) > 20
    assert unit_only == pages(client, "unit=BTC.CT.KV2&only_unit=on") and unit_only


def test_a_row_filter_scans_the_units_ranges_and_finds_what_the_walk_finds(
    client_for, tree, people, requests_in_units, monkeypatch
):
    """The bounded scan (a status filter) over a window of the units' ranges: page after page,
    forwards and back, the same requests as the window walked over (submitted_at, id)."""
    monkeypatch.setattr(timeline, "PER_PAGE", 2)
    monkeypatch.setattr(timeline, "SCAN_LIMIT", 3)
    client = client_for(people["thanhtra_cuc"])

    def walk():
        forwards, backwards, url = [], [], reverse(TIMELINE) + "?status=withdrawn"
        for _ in range(60):
            page = client.get(url).context["page"]
            forwards += [row.pk for row in page.rows]
            assert page.extra["scanned"] <= 3
            if not page.has_next:
                break
            url = reverse(TIMELINE) + "?" + page.next_query
        url = reverse(TIMELINE) + "?" + page.last_query
        for _ in range(60):
            page = client.get(url).context["page"]
            backwards = [row.pk for row in page.rows] + backwards
            if not page.has_previous:
                break
            url = reverse(TIMELINE) + "?" + page.previous_query
        return forwards, backwards

    expected = list(
        list_timeline(user=people["thanhtra_cuc"], filters=Filters(status="withdrawn")).values_list("pk", flat=True)
    )
    ranges = walk()
    monkeypatch.setattr(timeline, "UNION_UNITS", 0)  # every scope walks (submitted_at, id)
    assert ranges == walk() == (expected, expected) and len(expected) >= 5


def make_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root_tl", "root@example.test", "x")


def test_a_wide_scope_or_a_person_filter_keeps_the_walk(tree, people, employee_kv1, monkeypatch):
    assert few_units(user=people["thanhtra_cuc"], filters=Filters(person=employee_kv1)) is None
    monkeypatch.setattr(timeline, "UNION_UNITS", 2)
    assert few_units(user=make_superuser(), filters=Filters()) is None  # the tree's 5 units
    assert few_units(user=people["thanhtra_cuc"], filters=Filters()) is None  # the Cục's 3 units
    assert few_units(user=people["thanhtra_cuc"], filters=Filters(unit=tree["kv1"])) == [tree["kv1"].pk]
    outsider = make_user("thanhtra_kb2", (tree["kho_bac"], Role.INSPECTOR))
    assert few_units(user=outsider, filters=Filters(unit=tree["kv1"])) is None  # not in the scope


# --- the plan is bounded (PostgreSQL) ----------------------------------------------------------


def _bulk(units, user, n, start):
    now = timezone.now()
    ChangeRequest.objects.bulk_create(
        ChangeRequest(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=units[i % len(units)],
            title=f"Yêu cầu {start + i}",
            reason="Tổng hợp",
            status=ChangeRequest.Status.APPLIED,
            submitted_by=user,
            submitted_at=now - timezone.timedelta(minutes=start + i),
        )
        for i in range(n)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_changerequest")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_first_page_of_a_few_units_reads_the_same_rows_and_queries_whatever_the_requests(
    client_for, people, tree, monkeypatch
):
    """A Chi cục's inspector among the ministry's requests: before, the walk over (submitted_at,
    id) went through the others' requests until the page filled; now each unit's range."""
    monkeypatch.setattr(timeline, "PER_PAGE", 10)
    user = make_user("thanhtra_kv1", (tree["kv1"], Role.INSPECTOR))
    client = client_for(user)
    others = [tree["kho_bac"], tree["kv2"], tree["cuc"], tree["ministry"]]

    def measure():
        client.get(reverse(TIMELINE))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(TIMELINE))
        assert response.status_code == 200 and len(response.context["entries"]) == 10
        union = [q["sql"] for q in queries if "CROSS JOIN LATERAL" in q["sql"]]
        assert len(union) == 1
        return len(queries), _rows_read(union[0]), union[0]

    _bulk([tree["kv1"]], people["canbo_kv1"], 20, 0)
    _bulk(others, people["canbo_kv1"], 400, 20)
    few_queries, few_rows, few_sql = measure()
    _bulk(others, people["canbo_kv1"], 4000, 420)
    _bulk([tree["kv1"]], people["canbo_kv1"], 400, 4420)  # older: the page is the same
    many_queries, many_rows, many_sql = measure()
    assert many_queries == few_queries and many_sql == few_sql
    assert few_rows <= 2 * (10 + 1) and many_rows <= 2 * (10 + 1)  # a range per part, not the 4,820
