"""Migration records 0011: a profile ahead of its salary history (a salary change approved before
salary changes became salary-history rows) keeps the approved salary, now as a dated history row."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("records", "0010_inspection_work_moved_to_inspections")]
AFTER = [("records", "0011_salary_from_history")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """The tests after this one need every migration applied again, not only up to AFTER."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Models as of `targets` for records, and for every other app as the database now is (the
    # apps that depend on a later records migration went back with it).
    return executor.migrate(targets).apps


def person(apps, unit, citizen_id, *, step, coefficient, since):
    return apps.get_model("records", "Employee").objects.create(
        full_name="Nguyễn Văn An",
        date_of_birth=datetime.date(1985, 3, 14),
        sex="male",
        citizen_id=citizen_id,
        rank_code="01.003",
        salary_step=step,
        salary_coefficient=Decimal(coefficient),
        salary_effective_date=since,
        employment_status="civil_servant",
        managing_unit_id=unit.pk,
    )


def salary(apps, employee, *, step, coefficient, on):
    return apps.get_model("records", "SalaryHistory").objects.create(
        employee_id=employee.pk,
        effective_date=on,
        rank_code="01.003",
        salary_step=step,
        salary_coefficient=Decimal(coefficient),
        decision_number="7/QĐ-CCT",
    )


def test_profiles_and_their_latest_salary_rows_agree_after_the_migration():
    apps = migrate(BEFORE)
    unit = apps.get_model("units", "Unit").objects.create(
        path="0001", depth=1, code="BTC", name="Bộ Tài chính", kind="ministry"
    )
    ahead = person(apps, unit, "001085000001", step=4, coefficient="3.33", since=datetime.date(2019, 1, 1))
    salary(apps, ahead, step=3, coefficient="3.00", on=datetime.date(2019, 1, 1))
    dated = person(apps, unit, "001085000002", step=3, coefficient="3.00", since=None)
    salary(apps, dated, step=3, coefficient="3.00", on=datetime.date(2020, 7, 1))
    without_rows = person(apps, unit, "001085000003", step=2, coefficient="2.67", since=None)

    apps = migrate(AFTER)
    Employee = apps.get_model("records", "Employee")
    SalaryHistory = apps.get_model("records", "SalaryHistory")
    for employee in (ahead, dated):
        employee = Employee.objects.get(pk=employee.pk)
        latest = SalaryHistory.objects.filter(employee_id=employee.pk).order_by("-effective_date", "-pk").first()
        assert (
            employee.rank_code,
            employee.salary_step,
            employee.salary_coefficient,
            employee.salary_effective_date,
        ) == (latest.rank_code, latest.salary_step, latest.salary_coefficient, latest.effective_date)
    kept = SalaryHistory.objects.filter(employee_id=ahead.pk).order_by("effective_date")
    assert [(row.salary_step, row.effective_date) for row in kept] == [
        (3, datetime.date(2019, 1, 1)),
        (4, datetime.date(2019, 1, 2)),
    ]
    assert (
        apps.get_model("records", "HistoricalSalaryHistory")
        .objects.get(id=kept[1].pk)
        .history_change_reason.startswith("Đồng bộ lương hiện hưởng")
    )
    assert Employee.objects.get(pk=dated.pk).salary_effective_date == datetime.date(2020, 7, 1)
    assert Employee.objects.get(pk=without_rows.pk).salary_effective_date is None
    assert not SalaryHistory.objects.filter(employee_id=without_rows.pk).exists()
