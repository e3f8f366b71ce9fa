"""The rules are asked without a query per row: every list page (and the file and its history)
takes the same number of SQL queries with few rows and with more."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import AccessLog, Employee
from tests.conftest import make_employee, make_user
from units.models import Role
from workflows import changesets, services
from workflows.models import ChangeRequest


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
    ("thanhtra_cuc", "records:access-log", False),
    ("lanhdao_kv1", "changerequest:queue", False),
    ("lanhdao_kv1", "changerequest:inbox", False),
    ("lanhdao_kv1", "changerequest:archive", False),
    ("lanhdao_kv1", "changerequest:process_list", False),
    ("lanhdao_kv1", "delegations:index", False),
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
