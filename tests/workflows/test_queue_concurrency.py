"""Issue 9: the queue must never miss a task that exists. An approver pages through the queue
(following the pages' rel="next" links) while, between two of their page loads, officers submit
new requests and a colleague takes tasks from the top of the queue, each on their own
connection. Every task that was open before the approver began, and is still open when they
finish, must be on some page, and no task on two.

With OFFSET pages (viewflow's Paginator) a task taken above the approver's position moves every
later row up one, so one crosses the page boundary unseen; a new submission repeats one.

Needs concurrent connections, so it runs on PostgreSQL (.ci/run stage 2)."""

import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from viewflow.workflow.status import STATUS

from records.models import Employee
from tests.conftest import make_user
from units.models import Role
from workflows import changesets, services
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask
from workflows.views import ScopedQueueListView

from .conftest import task_url

BEFORE = 36  # open tasks when the approver starts: several pages of PAGE
PAGE = 8
SUBMITTED_PER_PAGE = 2
TAKEN_PER_PAGE = 3
WRITTEN_EACH = 15

pytestmark = pytest.mark.postgres("concurrent connections")


def _submit(employee, officer, n):
    employee = Employee.objects.get(pk=employee.pk)
    return services.submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=employee.managing_unit,
        submitted_by=officer,
        operations=[changesets.make_update(employee, {"main_duties": f"Việc {n}"})],
        reason=f"Giao việc {n}",
        title=str(employee),
        employee=employee,
        subject_model="records.employee",
        subject_pk=employee.pk,
    )


def _open_approvals():
    return set(
        ChangeRequestTask.objects.filter(
            flow_task=ChangeRequestFlow.approve, status=STATUS.NEW, owner__isnull=True
        ).values_list("pk", flat=True)
    )


def _in_thread(work):
    """Run `work` on its own thread and database connection, and wait for it."""
    errors = []

    def run():
        try:
            work()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert not errors, errors


def _rows_and_next(html: str):
    rows = [int(pk) for pk in re.findall(r'<tr data-row-id="(\d+)"', html)]
    link = re.search(r'<a [^>]*rel="next" href="([^"]+)"', html)
    return rows, link and link.group(1).replace("&amp;", "&")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the seeded salary table
def test_queue_shows_every_existing_task_once_while_others_submit_and_take(monkeypatch, people, tree, employee_kv1):
    monkeypatch.setattr(ScopedQueueListView, "paginate_by", PAGE)
    officer = people["canbo_kv1"]
    colleague = make_user("lanhdao2_kv1", (tree["kv1"], Role.APPROVER))
    for n in range(BEFORE):
        _submit(employee_kv1, officer, n)
    before = _open_approvals()
    assert len(before) == BEFORE

    approver = Client()
    approver.force_login(people["lanhdao_kv1"])
    taker = Client()
    taker.force_login(colleague)
    counter = iter(range(BEFORE, 10_000))

    def others_act():
        """Officers submit; the colleague takes the newest open tasks (the top of the queue)."""
        for _ in range(SUBMITTED_PER_PAGE):
            _submit(employee_kv1, officer, next(counter))
        newest = ChangeRequestTask.objects.filter(pk__in=_open_approvals()).order_by("-created", "-pk")
        for task in list(newest[:TAKEN_PER_PAGE]):
            assert taker.post(task_url(task, "assign")).status_code == 302

    shown = []
    url = reverse("changerequest:queue")
    while url:
        response = approver.get(url)
        assert response.status_code == 200
        rows, next_link = _rows_and_next(response.content.decode())
        shown.extend(rows)
        url = next_link and reverse("changerequest:queue") + next_link
        if url:
            _in_thread(others_act)

    still_open = before & _open_approvals()
    assert len(still_open) >= BEFORE // 2  # the scenario took some, not all
    assert sorted(still_open - set(shown)) == [], "tasks that existed and are open were on no page"
    assert len(shown) == len(set(shown)), "a task was shown on two pages"


def _writer(employee, officer, stop: threading.Event, errors: list, counter):
    """An officer submitting requests, one after another, on their own connection, until told
    to stop or WRITTEN_EACH are in (the queue read oldest first ends after the newest)."""
    try:
        for _ in range(WRITTEN_EACH):
            if stop.is_set():
                break
            _submit(employee, officer, next(counter))
    except Exception as exc:  # noqa: BLE001 — reported by the test
        errors.append(exc)
    finally:
        connections.close_all()


# "unit": an order by a name read from another table, with ties (a unit's requests) broken by id
# across the merged units.
@pytest.mark.parametrize("order", ["-waiting_since", "waiting_since", "employee_name", "-employee_name", "unit"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the seeded salary table
def test_queue_of_two_units_misses_no_task_while_writers_submit(
    monkeypatch, people, tree, employee_kv1, employee_kv2, order
):
    """Two writer threads (each its own connection) submit requests to both of the approver's
    units the whole time the approver pages through the queue (one index range per unit,
    merged): every task open before the first page is on exactly one page."""
    monkeypatch.setattr(ScopedQueueListView, "paginate_by", PAGE)
    approver = make_user("lanhdao_hai_kv", (tree["kv1"], Role.APPROVER), (tree["kv2"], Role.APPROVER))
    for n in range(BEFORE // 2):
        _submit(employee_kv1, people["canbo_kv1"], n)
        _submit(employee_kv2, people["canbo_kv2"], n)
    before = _open_approvals()
    assert len(before) == BEFORE

    client = Client()
    client.force_login(approver)
    stop, errors = threading.Event(), []
    counters = iter(range(BEFORE, 100_000, 2)), iter(range(BEFORE + 1, 100_000, 2))
    writers = [
        threading.Thread(target=_writer, args=(employee, officer, stop, errors, counter))
        for employee, officer, counter in (
            (employee_kv1, people["canbo_kv1"], counters[0]),
            (employee_kv2, people["canbo_kv2"], counters[1]),
        )
    ]
    for writer in writers:
        writer.start()
    shown, pages = [], 0
    try:
        url = reverse("changerequest:queue") + f"?_orderby={order}"
        while url:
            response = client.get(url)
            assert response.status_code == 200
            rows, next_link = _rows_and_next(response.content.decode())
            shown.extend(rows)
            pages += 1
            url = next_link and reverse("changerequest:queue") + next_link
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert not errors, errors
    submitted_meanwhile = len(_open_approvals()) - BEFORE
    assert submitted_meanwhile > 0, "the writers submitted nothing while the approver read"
    assert pages > BEFORE // PAGE
    assert sorted(before - set(shown)) == [], "tasks that existed were on no page"
    assert len(shown) == len(set(shown)), "a task was shown on two pages"
