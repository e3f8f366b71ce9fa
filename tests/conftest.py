"""Shared fixtures: a small unit tree and one user per role, everyone named by what they do.

Bộ Tài chính (ministry)
├── Cục Thuế (agency)            viewer: xem_cuc, inspector: thanhtra_cuc, approver: lanhdao_cuc
│   ├── Chi cục KV1 (sub_agency) officer: canbo_kv1, approver: lanhdao_kv1
│   └── Chi cục KV2 (sub_agency) officer: canbo_kv2, approver: lanhdao_kv2
└── Kho bạc (agency)             officer: canbo_kb
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.backends.base.creation import BaseDatabaseCreation

from records.models import Employee, SalaryHistory
from records.services import load_initial_employees
from tracking import ledger
from tracking.context import ChangeContext, tracked_change
from units.models import Role, RoleGrant, Unit


def pytest_runtest_setup(item):
    """`@pytest.mark.postgres("why")`: the test needs PostgreSQL; elsewhere it is skipped, saying
    why and how to run it (.ci/run's second stage runs the suite on PostgreSQL)."""
    marker = item.get_closest_marker("postgres")
    if marker and connection.vendor != "postgresql":
        why = marker.args[0] if marker.args else "PostgreSQL only"
        pytest.skip(f"needs PostgreSQL: {why} (run with DATABASE_URL=postgres://…)")


@contextmanager
def rewriting_history():
    """Test data only: change or remove rows of the append-only tables (history, the read log…)
    as a superuser of PostgreSQL can, its triggers off for the session (tracking.ledger refuses
    UPDATE and DELETE there; SQLite has no such triggers). The hash chain no longer verifies."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def _restore_untriggered(restore):
    """serialized_rollback saves every row again (an UPDATE where the row is still there), with
    its times cut to milliseconds: on PostgreSQL the append-only triggers would refuse it, so the
    rows are reloaded with the triggers off, and the chains of what was reloaded are linked anew
    (test data only: tracking.ledger never relinks rows)."""

    def deserialize_db_from_string(self, data):
        postgres = self.connection.vendor == "postgresql"
        with self.connection.cursor() as cursor:
            if postgres:
                cursor.execute("SET session_replication_role = replica")
            try:
                restore(self, data)
                cursor.execute("DELETE FROM tracking_ledgerlink")
            finally:
                if postgres:
                    cursor.execute("SET session_replication_role = origin")
            for table, pk, chain in ledger.chains():
                if postgres:
                    cursor.execute("SELECT qlcb_ledger_seal(%s, %s, %s)", [chain, table, pk])
                else:
                    ledger._seal_python(cursor, self.connection, table, pk, chain)

    return deserialize_db_from_string


BaseDatabaseCreation.deserialize_db_from_string = _restore_untriggered(BaseDatabaseCreation.deserialize_db_from_string)

PASSWORD = "Test-password-2026"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty local cache: ids come round again from one test to the
    next, and a user kept in the cache (config.user_cache) must not outlive its test. Cleared
    after the test too: a module's data built once (tests/url_matrix) is made before the next
    test's own clearing, and must not find the last test's copies (a policy rolled back)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    local = isinstance(caches["default"], LocMemCache)
    if local:
        caches["default"].clear()
    yield
    if local:
        caches["default"].clear()


@pytest.fixture
def loader(db):
    return get_user_model().objects.create_user(username="loader", password=PASSWORD)


def setup_context(loader):
    """Test data is written like demo data: tracked, naming the loader and a reason."""
    return tracked_change(ChangeContext(reason="Dữ liệu kiểm thử", approved_by=loader))


@pytest.fixture
def tree(db, loader):
    def unit(parent, code, name, kind):
        fields = {"code": code, "name": name, "kind": kind}
        if parent is None:
            return Unit.objects.add_root(fields)
        return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), fields)

    with setup_context(loader):
        ministry = unit(None, "BTC", "Bộ Tài chính", Unit.Kind.MINISTRY)
        cuc = unit(ministry, "BTC.CT", "Cục Thuế", Unit.Kind.AGENCY)
        kho_bac = unit(ministry, "BTC.KB", "Kho bạc Nhà nước", Unit.Kind.AGENCY)
        kv1 = unit(cuc, "BTC.CT.KV1", "Chi cục Thuế khu vực I", Unit.Kind.SUB_AGENCY)
        kv2 = unit(cuc, "BTC.CT.KV2", "Chi cục Thuế khu vực II", Unit.Kind.SUB_AGENCY)
    return {
        name: Unit.objects.get(pk=u.pk)
        for name, u in {"ministry": ministry, "cuc": cuc, "kho_bac": kho_bac, "kv1": kv1, "kv2": kv2}.items()
    }


def add_personnel_department(tree, loader):
    """The Cục's personnel department (Phòng Tổ chức cán bộ), the second level of a two-level
    policy for its Chi cục."""
    with setup_context(loader):
        return Unit.objects.add_child(
            Unit.objects.get(pk=tree["cuc"].pk),
            {
                "code": "BTC.CT.TCCB",
                "name": "Phòng Tổ chức cán bộ Cục Thuế",
                "kind": Unit.Kind.DEPARTMENT,
                "is_personnel_department": True,
            },
        )


def make_user(username, *grants, email=True):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.test" if email else "",
        first_name=username,
    )
    for unit, role in grants:
        RoleGrant.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(tree):
    t = tree
    return {
        "canbo_kv1": make_user("canbo_kv1", (t["kv1"], Role.OFFICER)),
        "lanhdao_kv1": make_user("lanhdao_kv1", (t["kv1"], Role.APPROVER)),
        "canbo_kv2": make_user("canbo_kv2", (t["kv2"], Role.OFFICER)),
        "lanhdao_kv2": make_user("lanhdao_kv2", (t["kv2"], Role.APPROVER)),
        "xem_cuc": make_user("xem_cuc", (t["cuc"], Role.VIEWER)),
        "thanhtra_cuc": make_user("thanhtra_cuc", (t["cuc"], Role.INSPECTOR)),
        "lanhdao_cuc": make_user("lanhdao_cuc", (t["cuc"], Role.APPROVER), (t["cuc"], Role.OFFICER)),
        "canbo_kb": make_user("canbo_kb", (t["kho_bac"], Role.OFFICER)),
        "nobody": make_user("nobody"),
    }


def make_employee(unit, loader, *, citizen_id, full_name="Nguyễn Văn An", **overrides):
    row = {
        "full_name": full_name,
        "date_of_birth": datetime.date(1985, 3, 14),
        "sex": Employee.Sex.MALE,
        "citizen_id": citizen_id,
        "rank_code": "01.003",
        "salary_step": 3,
        "salary_coefficient": Decimal("3.00"),
        "employment_status": Employee.EmploymentStatus.CIVIL_SERVANT,
        "managing_unit": unit,
        **overrides,
    }
    (employee,) = load_initial_employees(
        rows=[row], context=ChangeContext(reason="Dữ liệu kiểm thử", approved_by=loader)
    )
    return employee


def give_salary_history(employee, loader) -> SalaryHistory:
    """`employee` at step 3 of rank 01.003 since 01/01/2019 (step 2 since 01/01/2016 before it),
    as their salary history says and their profile follows; the latest row is returned. The
    next step offered is 4, due on 01/01/2022."""
    with setup_context(loader):
        SalaryHistory.objects.create(
            employee=employee,
            effective_date=datetime.date(2016, 1, 1),
            rank_code="01.003",
            salary_step=2,
            salary_coefficient=Decimal("2.67"),
            decision_number="1/QĐ-CCT",
        )
        row = SalaryHistory.objects.create(
            employee=employee,
            effective_date=datetime.date(2019, 1, 1),
            rank_code="01.003",
            salary_step=3,
            salary_coefficient=Decimal("3.00"),
            decision_number="7/QĐ-CCT",
        )
        employee.salary_effective_date = datetime.date(2019, 1, 1)
        employee.save()
    return row


@pytest.fixture
def employee_kv1(tree, loader):
    return make_employee(tree["kv1"], loader, citizen_id="001085000001", full_name="Nguyễn Văn An")


@pytest.fixture
def employee_kv2(tree, loader):
    return make_employee(tree["kv2"], loader, citizen_id="001085000002", full_name="Trần Thị Bình")


@pytest.fixture
def client_for(client):
    """Log a fixture user in on the test client and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login
