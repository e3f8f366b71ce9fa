"""The hash chain on PostgreSQL against an attacker with full access: triggers switched off by a
superuser, then a value changed, a row deleted, a row forged, two rows swapped, a row rewritten
with every later link recomputed. verify_history names each one (the last by the head emailed
before). Also: UPDATE and DELETE refused by the append-only triggers, concurrent writers on one
chain, and a pg_dump / pg_restore round trip after which verify_history passes."""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError, connection, connections, transaction

from records.models import AccessLog, Employee
from tests.conftest import make_employee, rewriting_history
from tests.tracking.test_ledger import settle
from tracking.ledger import chain_id, covered_models, link_hash, verify
from tracking.models import LedgerLink, SentHead
from units.models import Role, RoleGrant

pytestmark = pytest.mark.postgres("triggers, advisory locks, pg_dump")

EMPLOYEES = "records_historicalemployee"
GRANTS = "units_historicalrolegrant"
READS = "records_accesslog"


@pytest.fixture
def chained(people, loader, tree):
    employees = [
        make_employee(tree["kv1"], loader, citizen_id=f"00108500020{i}", full_name=name)
        for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    ]
    reads = [AccessLog.objects.create(user=people["xem_cuc"], kind="view", path=f"/p{i}") for i in range(6)]
    settle()
    report = verify()
    assert report.ok, [str(b) for b in report.breaks]
    return {"employees": employees, "reads": reads}


def history_ids(employee):
    return list(Employee.history.filter(id=employee.pk).order_by("history_id").values_list("history_id", flat=True))


def breaks(**kwargs):
    return {(b.table, b.row_id, b.kind) for b in verify(**kwargs).breaks}


def test_update_of_a_value_is_named(chained):
    (row,) = history_ids(chained["employees"][1])
    with rewriting_history() as cursor:
        cursor.execute(f"UPDATE {EMPLOYEES} SET salary_coefficient = 9.99 WHERE history_id = %s", [row])
    assert breaks() == {(EMPLOYEES, row, "content")}


def test_deleted_row_is_named(chained):
    row = chained["reads"][2].pk
    with rewriting_history() as cursor:
        cursor.execute(f"DELETE FROM {READS} WHERE id = %s", [row])
    assert breaks() == {(READS, row, "missing")}


def test_forged_row_is_named(chained):
    model = RoleGrant.history.model
    columns = ", ".join(f.column for f in model._meta.concrete_fields if not f.primary_key)
    with rewriting_history() as cursor:
        cursor.execute(
            f"INSERT INTO {GRANTS} ({columns}) SELECT {columns} FROM {GRANTS} ORDER BY history_id LIMIT 1 "
            "RETURNING history_id"
        )
        (forged,) = cursor.fetchone()
    assert breaks() == {(GRANTS, forged, "extra")}


def test_two_rows_swapped_are_named(chained):
    (first,), (second,) = history_ids(chained["employees"][0]), history_ids(chained["employees"][2])
    with rewriting_history() as cursor:
        for old, new in ((first, -1), (second, first), (-1, second)):
            cursor.execute(f"UPDATE {EMPLOYEES} SET history_id = %s WHERE history_id = %s", [new, old])
    assert breaks() == {(EMPLOYEES, first, "order"), (EMPLOYEES, second, "order")}


def test_chain_rewritten_from_a_row_on_is_caught_by_the_head_sent_before(chained, people, tree):
    from notifications.tasks import check_history_chains

    RoleGrant.objects.create(user=people["thanhtra_cuc"], unit=tree["ministry"], role=Role.INSPECTOR)
    sent = check_history_chains.delay().get()  # the nightly email: result and heads
    (email,) = mail.outbox
    assert sent["token"] in email.body
    more = [AccessLog.objects.create(user=people["xem_cuc"], kind="view", path=f"/q{i}") for i in range(3)]
    settle()
    assert verify().ok
    victim = chained["reads"][1].pk
    chain = chain_id(READS)
    with rewriting_history() as cursor:
        cursor.execute(f"UPDATE {READS} SET path = '/khac' WHERE id = %s", [victim])
        # Recompute the victim's link and every later one, as an attacker who knows the scheme.
        cursor.execute("SELECT seq FROM tracking_ledgerlink WHERE chain_id = %s AND row_id = %s", [chain, victim])
        (start,) = cursor.fetchone()
        cursor.execute("SELECT hash FROM tracking_ledgerlink WHERE chain_id = %s AND seq = %s", [chain, start - 1])
        (prev,) = cursor.fetchone()
        cursor.execute(
            f"SELECT l.seq, l.row_id, qlcb_ledger_digest(t, 'id') FROM tracking_ledgerlink l "
            f"JOIN {READS} t ON t.id = l.row_id WHERE l.chain_id = %s AND l.seq >= %s ORDER BY l.seq",
            [chain, start],
        )
        for seq, row_id, digest in cursor.fetchall():
            prev = link_hash(bytes(prev), chain, seq, row_id, bytes(digest))
            cursor.execute(
                "UPDATE tracking_ledgerlink SET digest = %s, hash = %s WHERE chain_id = %s AND seq = %s",
                [bytes(digest), prev, chain, seq],
            )
    assert len(more) == 3
    found = verify().breaks
    assert {(b.table, b.kind) for b in found} == {(READS, "head")}, [str(b) for b in found]
    assert "viết lại" in str(found[0])
    # The attacker rewrites the table of heads sent as well: the head in the email still tells.
    with rewriting_history() as cursor:
        cursor.execute("DELETE FROM tracking_senthead")
    assert verify().ok
    assert {b.kind for b in verify(tokens=[sent["token"]]).breaks} == {"head"}


def test_update_and_delete_are_refused(chained):
    targets = [
        (Employee.history.filter(id=chained["employees"][0].pk), {"full_name": "Khác"}),
        (RoleGrant.history.all(), {"role": Role.UNIT_ADMIN}),
        (AccessLog.objects.filter(pk=chained["reads"][0].pk), {"path": "/khac"}),
        (LedgerLink.objects.all(), {"row_id": -5}),
    ]
    for queryset, values in targets:
        with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
            queryset.update(**values)
        with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
            queryset.delete()
    SentHead.objects.create(sent_at="2026-01-01T00:00Z", token="x")
    with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic():
        SentHead.objects.all().delete()


def test_every_covered_table_has_both_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname IN ('qlcb_ledger_link', 'qlcb_append_only')"
        )
        found = set(cursor.fetchall())
    for model in covered_models():
        table = model._meta.db_table
        assert {(table, "qlcb_ledger_link"), (table, "qlcb_append_only")} <= found, table


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the suite's other committed tests
def test_concurrent_writers_do_not_fork_the_chain(people):
    user = people["xem_cuc"]
    errors = []

    def write(n):
        try:
            for i in range(20):
                with transaction.atomic():
                    AccessLog.objects.create(user=user, kind="view", path=f"/{n}/{i}a")
                    AccessLog.objects.create(user=user, kind="view", path=f"/{n}/{i}b")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    links = LedgerLink.objects.filter(chain_id=chain_id(READS))
    assert sorted(links.values_list("seq", flat=True)) == list(range(1, 161))
    report = verify(tables=[READS])
    assert report.ok and report.rows == 160, [str(b) for b in report.breaks]


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing: apt-get install postgresql-client")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the salary table of the migrations
def test_backup_and_restore_keeps_the_chain(people, loader, tree, tmp_path):
    """The round trip of README's production section: pg_dump -Fc, pg_restore into a new
    database, verify_history there passes, and still catches a change."""
    make_employee(tree["kv2"], loader, citizen_id="001085000301")
    AccessLog.objects.create(user=people["xem_cuc"], kind="view", path="/truoc-sao-luu")
    assert verify().ok
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    where = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db["USER"]]
    dump, restored = tmp_path / "qlcb.dump", f"{db['NAME']}_restore"
    subprocess.run([_pg_tool("pg_dump"), *where, "-Fc", "-f", dump, db["NAME"]], env=env, check=True)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run([_pg_tool("pg_restore"), *where, "--no-owner", "-d", restored, dump], env=env, check=True)
        url = f"postgres://{db['USER']}@{where[1]}:{where[3]}/{restored}"
        run = {"env": {**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.test_settings"}}
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_history"]
        passed = subprocess.run(manage, capture_output=True, text=True, **run)
        assert passed.returncode == 0, passed.stdout + passed.stderr
        assert "Chuỗi băm nguyên vẹn" in passed.stdout
        tamper = "SET session_replication_role = replica; UPDATE records_accesslog SET path = '/sau'"
        subprocess.run([_pg_tool("psql"), *where, "-d", restored, "-c", tamper], env=env, check=True)
        failed = subprocess.run(manage, capture_output=True, text=True, **run)
        assert failed.returncode == 1 and "records_accesslog" in failed.stdout, failed.stdout + failed.stderr
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')


def test_the_application_role_of_the_readme_cannot_undo_the_triggers(chained):
    """README, production: the application's role has row rights only, not ownership."""
    attempts = [
        f"UPDATE {READS} SET path = '/khac'",
        f"DELETE FROM {EMPLOYEES}",
        f"ALTER TABLE {READS} DISABLE TRIGGER qlcb_append_only",
        f"DROP TRIGGER qlcb_ledger_link ON {READS}",
        "SET session_replication_role = replica",
        f"TRUNCATE {READS}",
        "CREATE OR REPLACE FUNCTION qlcb_append_only() RETURNS trigger LANGUAGE sql AS 'SELECT NULL'",
    ]
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE qlcb_app_test")  # rolled back with the test
        cursor.execute("GRANT USAGE ON SCHEMA public TO qlcb_app_test")
        cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO qlcb_app_test")
        cursor.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO qlcb_app_test")
        cursor.execute("SET ROLE qlcb_app_test")
        try:
            refused = 0
            for sql in attempts:
                with pytest.raises(DatabaseError), transaction.atomic():
                    cursor.execute(sql)
                refused += 1
            AccessLog.objects.create(user_id=chained["reads"][0].user_id, kind="view", path="/app")
        finally:
            cursor.execute("RESET ROLE")
    assert refused == len(attempts)
    settle()
    assert verify(tables=[READS]).ok
