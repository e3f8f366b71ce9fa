"""Moving inspection work from records to inspections (records/0010, inspections/0001-0003)
keeps every row, its history and the labels that name it: a database at the state before the
move, with a plan, its history row and an open request about it, comes out of the migrations
with the same rows in the renamed tables, the same content type, and the request naming the
new app, so it still applies."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

LAST_BEFORE_THE_MOVE = ("records", "0009_history_reason_text")


def migrate(*, before_the_move: bool):
    """Migrates to just before the move (and whatever depends on it back with it) or to the
    latest state; returns the models of the state the database is in."""
    executor = MigrationExecutor(connection)
    if before_the_move:
        state = executor.migrate([LAST_BEFORE_THE_MOVE, ("inspections", None)])
    else:
        state = executor.migrate(executor.loader.graph.leaf_nodes())
    return state.apps


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Whatever happens in the test, the tests after it need every migration applied again."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moving_inspection_work_keeps_rows_history_content_type_and_request_labels():
    old = migrate(before_the_move=True)
    Unit = old.get_model("units", "Unit")
    User = old.get_model("auth", "User")
    Plan = old.get_model("records", "InspectionPlan")
    ContentType = old.get_model("contenttypes", "ContentType")
    unit = Unit.objects.create(code="BTC", name="Bộ Tài chính", kind="ministry", path="0001", depth=1, numchild=0)
    user = User.objects.create(username="canbo")
    plan = Plan.objects.create(unit=unit, year=2026, title="Kế hoạch kiểm tra 2026")
    old.get_model("records", "HistoricalInspectionPlan").objects.create(
        id=plan.pk,
        unit=unit,
        year=2026,
        title=plan.title,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Lập kế hoạch",
    )
    content_type, _created = ContentType.objects.get_or_create(app_label="records", model="inspectionplan")
    operations = [{"action": "update", "model": "records.inspectionplan", "pk": plan.pk, "values": {"year": 2027}}]
    request = old.get_model("workflows", "ChangeRequest").objects.create(
        kind="inspection",
        unit=unit,
        title=plan.title,
        reason="Lùi kế hoạch",
        submitted_by=user,
        submitted_at=timezone.now(),
        subject_model="records.inspectionplan",
        subject_pk=plan.pk,
        operations=[*operations, {"action": "update", "model": "units.unit", "pk": unit.pk, "values": {}}],
    )

    new = migrate(before_the_move=False)

    moved = new.get_model("inspections", "InspectionPlan").objects.get(pk=plan.pk)
    assert (moved.title, moved.year, moved.unit_id) == (plan.title, 2026, unit.pk)
    assert moved._meta.db_table == "inspections_inspectionplan"
    [history] = new.get_model("inspections", "HistoricalInspectionPlan").objects.filter(id=plan.pk)
    assert history.history_change_reason == "Lập kế hoạch"
    content_type = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert (content_type.app_label, content_type.model) == ("inspections", "inspectionplan")
    request = new.get_model("workflows", "ChangeRequest").objects.get(pk=request.pk)
    assert request.subject_model == "inspections.inspectionplan"
    assert [op["model"] for op in request.operations] == ["inspections.inspectionplan", "units.unit"]
    assert request.operations[0]["values"] == {"year": 2027}
