"""An xlsx import validated and applied by a real Celery worker on Redis: the upload queues the
validation, the approval queues the apply, and the flow waiting on it finishes."""

import time

import pytest
from django.urls import reverse

from records.models import Employee
from tests.records.test_import import REASON, people_rows, xlsx
from tests.workflows.conftest import decide
from workflows.models import ChangeRequest, ImportBatch

# Transactional tests flush the database after each test; serialized rollback restores the
# data migrations (salary table, first policy) for the next one.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def wait_for(predicate, worker, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail("timed out; worker log:\n" + worker.log_path.read_text()[-4000:])


def test_import_is_validated_and_applied_by_the_worker(celery_worker_process, client, people, tree, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the worker's VAR_DIR is tmp_path too
    client.force_login(people["canbo_kv1"])
    response = client.post(
        reverse("records:import-new"), {"unit": tree["kv1"].pk, "file": xlsx(people_rows(20)), "reason": REASON}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")

    def status():
        batch.refresh_from_db()
        return batch.status

    wait_for(lambda: status() == ImportBatch.Status.SUBMITTED, celery_worker_process)
    assert batch.rows_total > 0 and batch.rows_done == batch.rows_total
    assert client.get(reverse("records:import-status", args=[batch.pk])).status_code == 200

    client.force_login(people["lanhdao_kv1"])
    assert decide(client, batch.change_request, "approve").status_code == 302
    wait_for(lambda: status() == ImportBatch.Status.APPLIED, celery_worker_process)
    change_request = ChangeRequest.objects.get(pk=batch.change_request_id)
    assert change_request.status == ChangeRequest.Status.APPLIED
    wait_for(
        lambda: change_request.process.__class__.objects.get(pk=change_request.process_id).status == "DONE",
        celery_worker_process,
    )
    imported = Employee.objects.filter(managing_unit=tree["kv1"])
    assert imported.count() == 20
    assert imported.first().history.latest().change_request == change_request
