"""The hash chain of the append-only tables (tracking.ledger), on SQLite and PostgreSQL: every
insert path links its rows, verify_history passes on an untouched database and names a changed,
deleted or forged row. The tampering with triggers switched off, the append-only triggers and
the backup round trip are PostgreSQL's (test_ledger_postgres.py)."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from records.models import AccessLog, Employee
from tests.conftest import make_employee, rewriting_history
from tracking.ledger import chain_id, chains, covered_models, verify
from tracking.models import LedgerLink, SentHead
from units.models import Role, RoleGrant
from workflows.models import ApprovalDecision


def settle():
    """PostgreSQL links rows at commit (deferred triggers); a test's transaction never commits,
    so fire them now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def links_of(model):
    return LedgerLink.objects.filter(chain_id=chain_id(model._meta.db_table))


def assert_all_linked(model):
    settle()
    rows = set(model._default_manager.values_list("pk", flat=True))
    assert rows and rows == set(links_of(model).values_list("row_id", flat=True))
    seqs = sorted(links_of(model).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_covered_tables():
    tables = {m._meta.db_table for m in covered_models()}
    assert {
        "records_historicalemployee",
        "units_historicalrolegrant",
        "workflows_approvaldecision",
        "records_accesslog",
        "records_exportlog",
        "workflows_historicalchangerequest",
    } <= tables
    assert len({c for _t, _p, c in chains()}) == len(tables)


def test_save_path_links_rows(people):
    """save(): simple-history's row of each grant made by the fixture."""
    assert_all_linked(RoleGrant.history.model)
    assert verify().ok


def test_bulk_paths_link_rows(people, loader, tree):
    """bulk_create (the read log), bulk_create_tracked (COPY on PostgreSQL, bulk_create and
    bulk_history_create elsewhere) and simple-history's bulk_history_create."""
    user = people["xem_cuc"]
    AccessLog.objects.bulk_create(
        [AccessLog(user=user, kind=AccessLog.Kind.VIEW, employee_name=f"P{i}", path="/x") for i in range(30)]
    )
    for i in range(3):
        make_employee(tree["kv1"], loader, citizen_id=f"00108500010{i}")
    grants = RoleGrant.objects.bulk_create(
        [RoleGrant(user=people["nobody"], unit=tree[u], role=Role.VIEWER) for u in ("kv1", "kv2", "kho_bac")]
    )
    RoleGrant.history.bulk_history_create(grants)
    for model in (AccessLog, Employee.history.model, RoleGrant.history.model):
        assert_all_linked(model)
    report = verify()
    assert report.ok, [str(b) for b in report.breaks]
    assert report.rows >= 30 + 3 + 12


def test_verify_names_changed_deleted_and_forged_rows(people):
    """Without the PostgreSQL triggers in the way (SQLite has none; on PostgreSQL the test
    module for it switches them off), each change is named by table, row and kind."""
    user = people["xem_cuc"]
    logs = [AccessLog.objects.create(user=user, kind=AccessLog.Kind.VIEW, path=f"/p{i}") for i in range(4)]
    settle()
    assert verify().ok
    with rewriting_history() as cursor:
        cursor.execute("UPDATE records_accesslog SET path = '/khac' WHERE id = %s", [logs[0].pk])
        cursor.execute("DELETE FROM records_accesslog WHERE id = %s", [logs[1].pk])
    AccessLog.objects.create(user=user, kind=AccessLog.Kind.VIEW, path="/sau")  # linked as usual
    settle()
    found = {(b.table, b.row_id, b.kind) for b in verify().breaks}
    assert found == {
        ("records_accesslog", logs[0].pk, "content"),
        ("records_accesslog", logs[1].pk, "missing"),
    }


def test_verify_history_command(people):
    settle()
    call_command("verify_history")  # an untouched database passes
    with rewriting_history() as cursor:
        cursor.execute(
            "DELETE FROM tracking_ledgerlink WHERE chain_id = %s AND seq = 2",
            [chain_id("units_historicalrolegrant")],
        )
    with pytest.raises(CommandError, match="bị phá vỡ"):
        call_command("verify_history", "--table", "units_historicalrolegrant")


def test_nightly_check_emails_the_ministry_auditors_and_keeps_the_head(people, tree):
    admin = RoleGrant.objects.create(user=people["nobody"], unit=tree["ministry"], role=Role.UNIT_ADMIN).user
    inspector = RoleGrant.objects.create(user=people["xem_cuc"], unit=tree["ministry"], role=Role.INSPECTOR).user
    RoleGrant.objects.create(user=people["canbo_kv1"], unit=tree["cuc"], role=Role.UNIT_ADMIN)  # not the ministry
    settle()
    from notifications.tasks import check_history_chains

    result = check_history_chains.delay().get()
    assert result["ok"]
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([admin.email, inspector.email])
    assert "nguyên vẹn" in message.subject
    assert result["token"] in message.body
    sent = SentHead.objects.get()
    assert sent.token == result["token"]
    assert sent.heads["units_historicalrolegrant"][0] == links_of(RoleGrant.history.model).count()
    # The token from the email checks out later, as long as the chain does.
    call_command("verify_history", "--token", result["token"])


def test_approval_decisions_are_chained():
    assert ApprovalDecision in covered_models()


# The last migration of each app when the hash chain was sealed over the rows (tracking 0001):
# a column added to a chained table after it changes every sealed row's content unless it is
# null there (the digest leaves nulls out: jsonb_strip_nulls), and verify_history would call
# every old row edited (it did, for units' search key, before it was kept out of the history).
SEALED_AFTER = {
    "accounts": 1,
    "campaigns": 2,
    "duedates": 7,
    "inspections": 3,
    "notifications": 6,
    "records": 22,
    "tracking": 1,
    "units": 8,
    "workdays": 2,
    "workflows": 15,
}


def test_no_migration_after_the_seal_adds_a_non_null_column_to_a_chained_table():
    from django.db.migrations import AddField
    from django.db.migrations.loader import MigrationLoader

    chained = {(m._meta.app_label, m._meta.model_name) for m in covered_models()}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    offending = []
    for (app, name), migration in loader.disk_migrations.items():
        if app not in SEALED_AFTER or int(name[:4]) <= SEALED_AFTER[app]:
            continue
        for operation in migration.operations:
            if isinstance(operation, AddField) and (app, operation.model_name.lower()) in chained:
                if not operation.field.null:
                    offending.append(f"{app}.{name}: {operation.model_name}.{operation.name}")
    assert not offending, offending
