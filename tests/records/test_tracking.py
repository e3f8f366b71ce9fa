"""No path changes a tracked record without a named change context."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.models import Employee
from tracking.context import ChangeContext, UntrackedWriteError, tracked_change
from tracking.models import bulk_create_tracked


def test_plain_save_is_refused(employee_kv1):
    employee_kv1.salary_step = 9
    with pytest.raises(UntrackedWriteError):
        employee_kv1.save()
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3


def test_bulk_update_and_delete_are_refused(employee_kv1, loader):
    with pytest.raises(UntrackedWriteError):
        Employee.objects.filter(pk=employee_kv1.pk).update(salary_step=9)
    with pytest.raises(UntrackedWriteError):
        Employee.objects.all().delete()
    # Even inside a change context: bulk writes skip history, so they never pass.
    with tracked_change(ChangeContext(reason="x", approved_by=loader)), pytest.raises(UntrackedWriteError):
        Employee.objects.filter(pk=employee_kv1.pk).update(salary_step=9)
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3


def test_delete_of_instance_is_refused(employee_kv1):
    with pytest.raises(UntrackedWriteError):
        employee_kv1.delete()
    assert Employee.objects.filter(pk=employee_kv1.pk).exists()


def test_change_context_requires_reason_and_actor(loader):
    with pytest.raises(ValueError):
        ChangeContext(reason="  ", approved_by=loader)
    with pytest.raises(ValueError):
        ChangeContext(reason="Lý do", approved_by=None)


def test_admin_is_read_only_for_records(admin_client, employee_kv1):
    assert admin_client.get(f"/admin/records/employee/{employee_kv1.pk}/change/").status_code == 200
    response = admin_client.post(f"/admin/records/employee/{employee_kv1.pk}/change/", {"salary_step": 9})
    assert response.status_code == 403
    assert admin_client.get("/admin/records/employee/add/").status_code == 403
    assert Employee.objects.get(pk=employee_kv1.pk).salary_step == 3


# --- the bulk path --------------------------------------------------------------------------------

HISTORY_NOT_COMPARED = {"history_id", "history_date", "id", "citizen_id"}


def _two_people(unit, n):
    """Two new people alike but for their CCCD (one per path)."""
    return [
        Employee(
            full_name="Nguyễn Văn Bình",
            date_of_birth=datetime.date(1985, 3, 14),
            sex=Employee.Sex.MALE,
            citizen_id=f"00108500{n + i:04d}",
            rank_code="01.003",
            salary_step=3,
            salary_coefficient=Decimal("3.00"),
            salary_effective_date=datetime.date(2020, 1, 1),
            employment_status=Employee.EmploymentStatus.CIVIL_SERVANT,
            place_of_birth="Hà Nội\tphường Đống Đa",  # a tab: COPY must escape it
            personal_history="Dòng một\nDòng hai \\ gạch chéo",
            managing_unit=unit,
        )
        for i in range(2)
    ]


def test_bulk_rows_and_their_history_are_those_a_save_writes(tree, people, loader):
    """bulk_create_tracked (COPY on PostgreSQL, bulk_create elsewhere) writes the same row and
    the same history row, who, approver, on whose behalf, why, as save() does one by one."""
    context = ChangeContext(
        reason="Nhập tệp ho-so.xlsx: chuyển hồ sơ giấy",
        proposed_by=people["canbo_kv1"],
        approved_by=loader,
        acting_for=people["lanhdao_kv1"],
    )
    by_save, by_bulk = _two_people(tree["kv1"], 1)
    with tracked_change(context):
        by_save.save()
        (created,) = bulk_create_tracked(Employee, [by_bulk])
    assert created.pk is not None and created._state.adding is False
    fields = [f.attname for f in Employee._meta.concrete_fields if f.attname not in HISTORY_NOT_COMPARED]
    rows = {pk: Employee.objects.filter(pk=pk).values(*fields).get() for pk in (by_save.pk, by_bulk.pk)}
    assert rows[by_bulk.pk] == rows[by_save.pk]
    assert rows[by_bulk.pk]["place_of_birth"] == "Hà Nội\tphường Đống Đa"
    history = {
        pk: [
            {k: v for k, v in row.items() if k not in HISTORY_NOT_COMPARED}
            for row in Employee.history.filter(id=pk).values()
        ]
        for pk in (by_save.pk, by_bulk.pk)
    }
    assert history[by_bulk.pk] == history[by_save.pk]
    (row,) = history[by_bulk.pk]
    assert (row["history_type"], row["history_change_reason"]) == ("+", context.reason)
    assert (row["history_user_id"], row["approved_by_id"]) == (loader.pk, loader.pk)
    assert (row["proposed_by_id"], row["approved_for_id"]) == (people["canbo_kv1"].pk, people["lanhdao_kv1"].pk)


def test_the_bulk_path_needs_a_change_context(tree):
    with pytest.raises(UntrackedWriteError):
        bulk_create_tracked(Employee, _two_people(tree["kv1"], 3))
    assert not Employee.objects.exists()


@pytest.mark.postgres("COPY is PostgreSQL's")
def test_on_postgresql_the_bulk_path_copies_in_batches_with_ids_in_order(tree, loader):
    objs = [p for n in range(0, 6, 2) for p in _two_people(tree["kv1"], 10 + n)]
    with tracked_change(ChangeContext(reason="Lý do", approved_by=loader)), CaptureQueriesContext(connection) as sql:
        bulk_create_tracked(Employee, objs, batch_size=4)
    assert not [q for q in sql.captured_queries if "INSERT" in q["sql"]]  # COPY, not INSERT
    assert len([q for q in sql.captured_queries if "nextval" in q["sql"]]) == 2  # one per batch
    pks = [o.pk for o in objs]
    assert pks == sorted(pks)
    assert list(Employee.objects.filter(pk__in=pks).order_by("pk").values_list("citizen_id", flat=True)) == [
        o.citizen_id for o in objs
    ]
    assert Employee.history.filter(id__in=pks, history_type="+").count() == 6
