"""An import whose worker died while checking or applying the file is not left "in progress"
for ever: the sweep closes it with a message in Vietnamese, writes nothing, and returns an
approved request to its submitter; a batch a live worker holds is left alone (PostgreSQL)."""

import threading

import pytest
from django.db import connections
from django.urls import reverse

from records.models import Employee
from tests.workflows.conftest import decide, open_task
from workflows import imports
from workflows.flows import ChangeRequestFlow
from workflows.imports.liveness import working_on
from workflows.models import ChangeRequest, ImportBatch

from .test_import import people_rows, upload, xlsx


def _died_while(batch, status):
    """What a worker leaves when it dies after taking the batch (the status is committed
    before the work; the apply's transaction rolls back with it)."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=status)


def test_a_check_interrupted_by_a_dead_worker_is_failed_with_a_message_and_its_file_dropped(
    officer, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the worker never gets to it...
        officer.post(
            reverse("records:import-new"),
            {"unit": tree["kv1"].pk, "file": xlsx(people_rows(2)), "reason": "Nhập hồ sơ giấy"},
        )
    batch = ImportBatch.objects.latest("pk")
    _died_while(batch, ImportBatch.Status.VALIDATING)  # ...or it died while checking

    assert imports.recover_interrupted_imports() == 1

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "bị gián đoạn" in batch.errors[0]["message"]
    assert not batch.file
    assert batch.change_request is None
    assert imports.recover_interrupted_imports() == 0  # once


def test_an_apply_interrupted_by_a_dead_worker_returns_the_request_and_writes_nothing(
    officer, client, tree, people, django_capture_on_commit_callbacks
):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(3)), capture=django_capture_on_commit_callbacks)
    client.force_login(people["lanhdao_kv1"])
    with django_capture_on_commit_callbacks(execute=False):  # approved; the apply task is lost with its worker
        assert decide(client, batch.change_request, "approve").status_code == 302
    _died_while(batch, ImportBatch.Status.APPLYING)

    assert imports.recover_interrupted_imports() == 1

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    change_request = ChangeRequest.objects.get(pk=batch.change_request_id)
    assert change_request.status == ChangeRequest.Status.RETURNED
    assert "bị gián đoạn" in change_request.decision_comment
    assert open_task(change_request, ChangeRequestFlow.rework).owner == people["canbo_kv1"]
    assert not Employee.objects.filter(managing_unit=tree["kv1"]).exists()


@pytest.mark.postgres("advisory locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_batch_a_live_worker_holds_is_left_alone_and_a_second_delivery_does_not_take_it(
    officer, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        officer.post(
            reverse("records:import-new"), {"unit": tree["kv1"].pk, "file": xlsx(people_rows(2)), "reason": "Nhập"}
        )
    batch = ImportBatch.objects.latest("pk")
    holding, release = threading.Event(), threading.Event()

    def live_worker():  # another process's connection, at work on the batch
        try:
            with working_on(batch.pk) as held:
                assert held
                ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=live_worker)
    worker.start()
    try:
        assert holding.wait(30)
        assert imports.recover_interrupted_imports() == 0
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
        assert imports.validate_import_batch(batch_id=batch.pk) == ""  # the redelivered task
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.QUEUED
    finally:
        release.set()
        worker.join(30)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)
    assert imports.recover_interrupted_imports() == 1  # the worker is gone: now it is closed
