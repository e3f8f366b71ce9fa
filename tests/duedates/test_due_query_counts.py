"""The due lists take the same number of SQL queries with few rows and with more (the style of
tests/test_query_counts.py): the stored list, the list computed as of a past date (the file
read from its history), and a person's page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duedates.services import refresh_due_items
from records.models import Discipline, Employee, NonCountedPeriod
from records.models.employee import today
from tests.conftest import make_employee, setup_context
from tests.duedates.test_due_pages import backdate

D = datetime.date


def _grow(tree, loader, start, stop):
    """People numbered start…stop-1 in KV1 and KV2, each with a sanction and a leave (so every
    row has extensions and non-counted time to explain), one in three without a step date
    (cannot compute); the history dated ten days ago, so the past list has them too."""
    for n in range(start, stop):
        unit = tree["kv1"] if n % 2 else tree["kv2"]
        employee = make_employee(
            unit,
            loader,
            citizen_id=f"0010700007{n:02d}",
            full_name=f"Người số {n}",
            date_of_birth=D(1970, 1 + n % 12, 5),
            salary_effective_date=None if n % 3 == 0 else D(2023, 1 + n % 12, 10),
        )
        with setup_context(loader):
            Discipline.objects.create(
                employee=employee, form="reprimand", reason="Vi phạm", effective_from=D(2024, 2, 1)
            )
            NonCountedPeriod.objects.create(
                employee=employee, kind="unpaid_leave", start_date=D(2024, 3, 4), end_date=D(2024, 4, 20)
            )
    backdate(Employee, Discipline, NonCountedPeriod, days=10)
    refresh_due_items()


PAGES = [
    ("xem_cuc", {}),
    ("thanhtra_cuc", {}),
    ("canbo_kv1", {}),
    ("xem_cuc", {"kind": "cannot_compute"}),
    ("xem_cuc", {"as_of": "past"}),
    ("lanhdao_cuc", {"as_of": "past", "kind": "salary_step", "q": "người"}),
    ("xem_cuc", {"as_of": "2031-01-01", "overdue": "on"}),
]


@pytest.mark.parametrize("username, query", PAGES)
def test_the_due_list_takes_the_same_queries_whatever_the_rows(client, tree, people, loader, username, query):
    if query.get("as_of") == "past":
        query = {**query, "as_of": (today() - datetime.timedelta(days=1)).isoformat()}
    client.force_login(people[username])

    def count():
        client.get(reverse("duedates:due-list"), query)  # warm: sessions, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("duedates:due-list"), query)
        assert response.status_code == 200
        return len(queries), len(response.context["rows"])

    _grow(tree, loader, 0, 3)
    few, few_rows = count()
    _grow(tree, loader, 3, 12)
    more, more_rows = count()
    assert more_rows > few_rows > 0
    assert more == few


def test_the_person_page_takes_the_same_queries_whatever_the_sub_records(client, tree, people, loader):
    _grow(tree, loader, 0, 2)
    person = Employee.objects.filter(managing_unit=tree["kv1"]).first()
    client.force_login(people["canbo_kv1"])
    url = reverse("duedates:due-person", args=[person.pk])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    with setup_context(loader):
        for n in range(5):
            Discipline.objects.create(
                employee=person, form="warning", reason="Vi phạm", effective_from=D(2024, 5, 1 + n)
            )
    refresh_due_items()
    assert count() == few
