"""The rules are asked without a query per row: every list page (and the file and its history)
takes the same number of SQL queries with few rows and with more."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import AccessLog, Employee
from tests.conftest import make_employee, make_user, setup_context
from tests.inspections.test_inspection_work import plan_of
from tracking import history, keyset
from units.models import Role, Unit
from workflows import changesets, services
from workflows.flows import ChangeRequestFlow
from workflows.list_pages import KeysetListMixin
from workflows.models import ChangeRequest, ChangeRequestTask


def _grow(tree, people, loader, start, stop):
    """Rows numbered start…stop-1: a person in KV1, a request about them awaiting approval
    (and one applied, in the first person's history), a user with a grant, a read logged."""
    first = Employee.objects.order_by("pk").first()
    for n in range(start, stop):
        employee = make_employee(tree["kv1"], loader, citizen_id=f"0010850005{n:02d}", full_name=f"Người số {n}")
        for who, values in ((employee, {"main_duties": f"Việc {n}"}), (first, {"other_names": f"Tên {n}"})):
            services.submit_change_request(
                kind=ChangeRequest.Kind.EMPLOYEE,
                unit=tree["kv1"],
                submitted_by=people["canbo_kv1"],
                operations=[changesets.make_update(Employee.objects.get(pk=who.pk), values)],
                reason="Đếm truy vấn",
                title=str(who),
                employee=who,
                subject_model="records.employee",
                subject_pk=who.pk,
            )
        make_user(f"nguoi_{n}", (tree["kv1"], Role.VIEWER))
        plan_of(tree["kv1"], f"Kế hoạch {n}", loader)
        AccessLog.objects.create(
            user=people["xem_cuc"],
            kind=AccessLog.Kind.VIEW,
            employee=employee,
            employee_name=employee.full_name,
            path="/",
        )
    for change_request in ChangeRequest.objects.filter(employee=first, status=ChangeRequest.Status.SUBMITTED):
        services.decide_change_request(change_request=change_request, user=people["lanhdao_kv1"], decision="approve")


PAGES = [
    ("xem_cuc", "records:employee-list", False),
    ("xem_cuc", "units:unit-list", False),
    ("canbo_kv1", "records:employee-detail", True),
    ("xem_cuc", "records:employee-history", True),
    ("canbo_kv1", "records:import-list", False),
    ("quantri_cuc", "units:grant-list", False),
    ("quantri_cuc", "units:grant-history", False),
    ("xem_cuc", "inspections:plan-list", False),
    ("thanhtra_cuc", "records:access-log", False),
    ("lanhdao_kv1", "changerequest:queue", False),
    ("lanhdao_kv1", "changerequest:inbox", False),
    ("lanhdao_kv1", "changerequest:archive", False),
    ("lanhdao_kv1", "changerequest:process_list", False),
    ("lanhdao_kv1", "delegations:index", False),
    # The home page (its figures are also measured uncached in tests/home/test_home.py).
    ("canbo_kv1", "home:index", False),
    ("lanhdao_kv1", "home:index", False),
    ("xem_cuc", "home:index", False),
]


@pytest.mark.parametrize("username, name, about_first", PAGES)
def test_list_pages_take_the_same_queries_whatever_the_rows(client, tree, people, loader, username, name, about_first):
    people = {**people, "quantri_cuc": make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN))}
    make_employee(tree["kv1"], loader, citizen_id="001085000499", full_name="Người đầu tiên")
    client.force_login(people[username])

    def count():
        args = [Employee.objects.order_by("pk").first().pk] if about_first else []
        client.get(reverse(name, args=args))  # warm: sessions, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        return len(queries)

    _grow(tree, people, loader, 0, 2)
    few = count()
    _grow(tree, people, loader, 2, 8)
    assert count() == few


def _grow_tree(tree, loader, start, stop):
    """Units numbered start…stop-1 under the Cục, each managing a person."""
    for n in range(start, stop):
        with setup_context(loader):
            fields = {"code": f"BTC.CT.D{n:02d}", "name": f"Đội số {n}", "kind": Unit.Kind.BRANCH}
            unit = Unit.objects.add_child(Unit.objects.get(pk=tree["cuc"].pk), fields)
        make_employee(unit, loader, citizen_id=f"0010850006{n:02d}", full_name=f"Người đội {n}")


# The unit tree's pages, at the top of the user's scope and expanded (?parent=): (user, page,
# unit expanded or None).
TREE_PAGES = [
    ("xem_bo", "units:unit-list", None),
    ("xem_bo", "units:unit-list", "cuc"),
    ("xem_cuc", "units:unit-list", "cuc"),
    ("xem_bo", "units:quota-report", None),
    ("xem_bo", "units:quota-report", "cuc"),
    ("xem_cuc", "units:quota-report", None),
]


@pytest.mark.parametrize("username, name, parent", TREE_PAGES)
def test_tree_pages_take_the_same_queries_whatever_the_units_and_people(
    client, tree, people, loader, username, name, parent
):
    people = {**people, "xem_bo": make_user("xem_bo", (tree["ministry"], Role.VIEWER))}
    make_employee(tree["kv1"], loader, citizen_id="001085000499", full_name="Người đầu tiên")
    client.force_login(people[username])
    query = {"parent": tree[parent].pk} if parent else {}

    def count():
        client.get(reverse(name), query)  # warm: sessions, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), query)
        assert response.status_code == 200
        return len(queries)

    _grow(tree, people, loader, 0, 2)
    _grow_tree(tree, loader, 0, 2)
    few = count()
    _grow(tree, people, loader, 2, 6)
    _grow_tree(tree, loader, 2, 8)
    assert count() == few


# Lists paged by keyset (tracking.keyset): a deep page, reached through its cursor, takes the
# SQL of the first. Two rows a page, so that the rows of _grow make more than three pages.
KEYSET_PAGES = [
    ("xem_cuc", "records:employee-list", False),
    ("xem_cuc", "records:employee-history", True),
    ("quantri_cuc", "units:grant-list", False),
    ("quantri_cuc", "units:grant-history", False),
    ("thanhtra_cuc", "records:access-log", False),
    ("xem_cuc", "inspections:plan-list", False),
]
NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="\?([^"]*)"')


@pytest.mark.parametrize("username, name, about_first", KEYSET_PAGES)
def test_a_deep_page_takes_the_queries_of_the_first(
    client, tree, people, loader, monkeypatch, username, name, about_first
):
    for function in (keyset.paginate, keyset.paginate_merged, history.list_history):
        monkeypatch.setitem(function.__kwdefaults__, "per_page", 2)
    people = {**people, "quantri_cuc": make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN))}
    make_employee(tree["kv1"], loader, citizen_id="001085000499", full_name="Người đầu tiên")
    _grow(tree, people, loader, 0, 8)
    first = Employee.objects.order_by("pk").first()
    with setup_context(loader):  # versions enough for three pages of history
        for n in range(6):
            first.other_names = f"Tên {n}"
            first.save()
    client.force_login(people[username])
    url = reverse(name, args=[Employee.objects.order_by("pk").first().pk] if about_first else [])
    client.get(url)  # warm: sessions, content types
    counts, query = [], ""
    for _page in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        counts.append(len(queries))
        query = html.unescape(NEXT_LINK.search(response.content.decode()).group(1))
    assert "cursor=" in query and counts[2] == counts[0], counts


FLOW_PAGES = [
    ("changerequest:queue", ""),
    ("changerequest:queue", "_orderby=employee_name"),  # by person: each unit's range sorted, merged
    ("changerequest:queue", "_orderby=-employee_name"),
    # by the unit's or the proposer's name: one more query, the names shown in the queue's units
    ("changerequest:queue", "_orderby=unit"),
    ("changerequest:queue", "_orderby=-submitted_by"),
    ("changerequest:queue", "_orderby=kind"),
    ("changerequest:queue", "_orderby=-level"),
    ("changerequest:inbox", ""),
    ("changerequest:inbox", "_orderby=employee_name"),
    ("changerequest:inbox", "_orderby=-unit"),
    ("changerequest:inbox", "_orderby=submitted_by"),
    ("changerequest:inbox", "_orderby=-kind"),
    ("changerequest:inbox", "_orderby=level"),
    ("changerequest:archive", ""),
    ("changerequest:process_list", ""),
    ("changerequest:task_list", ""),
]
FLOW_PAGE_BUDGET = 10  # issue 9: ≤ 10 SQL per page, at any depth


def _take(client, count):
    """The approver takes `count` tasks from the queue: their inbox is not empty."""
    for task in ChangeRequestTask.objects.filter(flow_task=ChangeRequestFlow.approve, status="NEW")[:count]:
        url = reverse("changerequest:approve:assign", args=[task.process_id, task.pk])
        assert client.post(url).status_code == 302


@pytest.mark.parametrize("name, order", FLOW_PAGES)
def test_flow_list_pages_take_at_most_ten_queries_on_the_first_and_a_deep_page(
    client, tree, people, loader, monkeypatch, name, order
):
    """Page 1 and the page reached by following rel="next", at two data sizes: the same
    number of queries, within the budget (keyset pages, no COUNT, no query per row)."""
    monkeypatch.setattr(KeysetListMixin, "paginate_by", 1)
    make_employee(tree["kv1"], loader, citizen_id="001085000499", full_name="Người đầu tiên")
    client.force_login(people["lanhdao_kv1"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    def counts():
        url = f"{reverse(name)}?{order}"
        client.get(url)  # warm: sessions, content types
        first, html = count(url)
        link = NEXT_LINK.search(html)
        assert link, f"{name}: no next page"
        query = link.group(1).replace("&amp;", "&")
        assert order in query  # the order kept by the pager's link
        deep, _ = count(f"{reverse(name)}?{query}")
        return [first, deep]

    _grow(tree, people, loader, 0, 4)
    _take(client, 2)
    few = counts()
    _grow(tree, people, loader, 4, 10)
    _take(client, 2)
    more = counts()
    assert few == more
    assert max(more) <= FLOW_PAGE_BUDGET, more
