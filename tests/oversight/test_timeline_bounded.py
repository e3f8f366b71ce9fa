"""The timeline's bounded scan (issue #11): a filter only a row can tell (status, kind of data,
field) examines at most SCAN_LIMIT requests a page, says how far back it looked and links onward
from there; and a transfer is in the timeline of both its units (workflows.permissions)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import oversight.timeline as timeline
from oversight.timeline import list_timeline
from oversight.timeline_forms import Filters
from tests.conftest import make_user
from tests.oversight.test_timeline import TIMELINE, approve, propose
from units.models import Role
from workflows import services
from workflows.models import ChangeRequest, touched_tokens
from workflows.permissions import can_view_timeline_of, timeline_q, timeline_units


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(timeline, "PER_PAGE", 2)
    monkeypatch.setattr(timeline, "SCAN_LIMIT", 3)


def _walk(client, **query):
    """Every page from the first by its next links: (requests shown, pages)."""
    seen, pages, url = [], [], reverse(TIMELINE) + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    for _ in range(30):
        response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        pages.append((page, response.content.decode()))
        seen += [entry.request.pk for entry in response.context["entries"]]
        if not page.has_next:
            return seen, pages
        url = reverse(TIMELINE) + "?" + page.next_query
    raise AssertionError("the walk does not end")


def test_a_rare_match_is_found_page_after_page_each_looking_at_scan_limit_requests(
    client_for, people, employee_kv1, small_pages
):
    requests = [propose(people["canbo_kv1"], employee_kv1, {"main_duties": f"Việc {n}"}) for n in range(8)]
    for n in (1, 6):  # applied: the oldest but one and the newest but one
        approve(requests[n], people["lanhdao_kv1"])
    seen, pages = _walk(client_for(people["thanhtra_cuc"]), status="applied")
    expected = list(
        list_timeline(user=people["thanhtra_cuc"], filters=Filters(status="applied")).values_list("pk", flat=True)
    )
    assert seen == expected and requests[1].pk in seen  # each once, newest first
    assert all(page.extra["scanned"] <= 3 for page, _ in pages)  # never more than SCAN_LIMIT examined
    empty = [(page, body) for page, body in pages if not page.rows]
    assert empty, "a window without a match is a page of its own, with a link onward"
    page, body = empty[0]
    day = timezone.localtime(page.extra["scanned_to"]["submitted_at"]).strftime("%d/%m/%Y")
    assert f"Trang này đã xem 3 yêu cầu, đến các yêu cầu gửi ngày {day}" in body
    assert "Hãy thu hẹp khoảng thời gian" in body
    assert "0 yêu cầu khớp bộ lọc trong 3 yêu cầu kế tiếp của phạm vi." in body


def test_walking_back_finds_the_same_requests(client_for, people, employee_kv1, small_pages):
    requests = [propose(people["canbo_kv1"], employee_kv1, {"main_duties": f"Việc {n}"}) for n in range(7)]
    for n in (0, 2, 3):
        approve(requests[n], people["lanhdao_kv1"])
    client = client_for(people["thanhtra_cuc"])
    forwards, pages = _walk(client, status="applied")
    assert forwards and requests[0].pk in forwards
    backwards, url = [], reverse(TIMELINE) + "?" + pages[-1][0].last_query
    for _ in range(30):
        response = client.get(url)
        page = response.context["page"]
        backwards = [entry.request.pk for entry in response.context["entries"]] + backwards
        if not page.has_previous:
            break
        url = reverse(TIMELINE) + "?" + page.previous_query
    assert backwards == forwards


def test_without_a_row_filter_the_page_is_the_plain_keyset_page(client_for, people, employee_kv1, small_pages):
    for n in range(4):
        propose(people["canbo_kv1"], employee_kv1, {"main_duties": f"Việc {n}"})
    response = client_for(people["thanhtra_cuc"]).get(reverse(TIMELINE))
    assert "scanned" not in response.context["page"].extra
    assert "4 yêu cầu." in response.content.decode()


# --- the plan is bounded (PostgreSQL) ----------------------------------------------------------


def _bulk_requests(unit, user, n, start):
    """`n` requests that match no status filter below ("rejected" is never written), fast."""
    now = timezone.now()
    operations = [{"model": "records.employee", "action": "update", "pk": 1, "values": {"main_duties": "x"}}]
    ChangeRequest.objects.bulk_create(
        ChangeRequest(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=unit,
            title=f"Yêu cầu {start + i}",
            reason="Tổng hợp",
            status=ChangeRequest.Status.WITHDRAWN,
            submitted_by=user,
            submitted_at=now - timezone.timedelta(minutes=start + i),
            operations=operations,
            touched=touched_tokens(kind=ChangeRequest.Kind.EMPLOYEE, operations=operations),
        )
        for i in range(n)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_changerequest")


def _rows_read(sql: str) -> int:
    """Rows the plan of `sql` read from the requests' table (returned plus filtered out)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node):
        own = 0
        if node.get("Relation Name") == "workflows_changerequest":
            own = node["Actual Rows"] * node["Actual Loops"] + node.get("Rows Removed by Filter", 0)
        return own + sum(walk(child) for child in node.get("Plans", ()))

    return walk(plan[0]["Plan"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_a_filter_matching_nothing_reads_the_same_rows_and_queries_whatever_the_requests(
    client_for, people, tree, monkeypatch
):
    monkeypatch.setattr(timeline, "SCAN_LIMIT", 100)
    client = client_for(people["thanhtra_cuc"])
    url = reverse(TIMELINE) + "?status=rejected"

    def measure():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and not response.context["entries"]
        assert response.context["page"].extra["scanned"] == 100
        reads = [_rows_read(q["sql"]) for q in queries if "workflows_changerequest" in q["sql"]]
        return len(queries), max(reads)

    _bulk_requests(tree["kv1"], people["canbo_kv1"], 400, 0)
    few_queries, few_rows = measure()
    _bulk_requests(tree["kv1"], people["canbo_kv1"], 4000, 400)
    many_queries, many_rows = measure()
    assert many_queries == few_queries
    # The window, not the 4,400 requests: the scope's few units are read as index ranges (its
    # own requests and the transfers it receives, per unit; tracking.keyset.paginate_union), each
    # up to the window. The planner mostly stops at the window's 100 rows; on a table bloated by
    # the suite's earlier tests it was seen to read some more of the ranges (366), never all.
    bound = 2 * timeline_units(people["thanhtra_cuc"]).count() * (100 + 1)
    assert bound < 4400
    assert few_rows <= bound and many_rows <= bound


# --- transfers: both units' inspectors ----------------------------------------------------------


def test_a_transfer_is_in_the_timeline_of_the_old_and_the_new_unit(client_for, people, tree, employee_kv1):
    transfer = services.submit_transfer(
        employee=employee_kv1, target_unit=tree["kho_bac"], submitted_by=people["canbo_kv1"], reason="Điều động"
    )
    thanhtra_kb = make_user("thanhtra_kb", (tree["kho_bac"], Role.INSPECTOR))
    outsider = make_user("thanhtra_kv2", (tree["kv2"], Role.INSPECTOR))
    for user, sees in ((people["thanhtra_cuc"], True), (thanhtra_kb, True), (outsider, False)):
        assert ChangeRequest.objects.filter(timeline_q(user), pk=transfer.pk).exists() is sees, user
        assert can_view_timeline_of(user, ChangeRequest.objects.get(pk=transfer.pk)) is sees, user
        body = client_for(user).get(reverse(TIMELINE)).content.decode()
        assert (employee_kv1.full_name in body) is sees, user
    # Filtered by the receiving unit, the transfer is there too.
    body = client_for(thanhtra_kb).get(reverse(TIMELINE), {"unit": "BTC.KB", "only_unit": "on"}).content.decode()
    assert employee_kv1.full_name in body


def test_the_timeline_counts_up_to_the_one_cap_of_every_list(client_for, people, employee_kv1, monkeypatch):
    """tracking.keyset.COUNT_CAP, read at each count: the timeline has no cap of its own."""
    for n in range(3):
        propose(people["canbo_kv1"], employee_kv1, {"main_duties": f"Việc {n}"})
    monkeypatch.setattr("tracking.keyset.COUNT_CAP", 2)
    client = client_for(people["thanhtra_cuc"])
    assert "Hơn 2 yêu cầu." in client.get(reverse(TIMELINE)).content.decode()
