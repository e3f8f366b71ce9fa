"""An approved import is written from the plan its validation stored, not by reading and checking
the file again; a change since the check to what the check read, or a plan that is not the one
stored, sends the apply back to the whole check."""

import pytest

from records.models import Employee, WorkHistory
from tests.conftest import make_employee
from tests.records.test_import import approve, born, cccd, people_rows, upload, xlsx
from tests.tracking.test_ledger import settle
from tracking.context import ChangeContext, tracked_change
from workflows.imports import services
from workflows.models import ImportBatch


@pytest.fixture
def passes(monkeypatch):
    """The `apply` flag of every pass over a stored file (the real read_batch runs)."""
    seen = []
    read_batch = services.read_batch

    def recording(batch, *, apply, **kwargs):
        seen.append(apply)
        return read_batch(batch, apply=apply, **kwargs)

    monkeypatch.setattr(services, "read_batch", recording)
    return seen


def edit(employee, loader, **values):
    with tracked_change(ChangeContext(reason="Sửa hồ sơ trong lúc tệp chờ duyệt", approved_by=loader)):
        for name, value in values.items():
            setattr(employee, name, value)
        employee.save()
    settle()  # committed, as another request's write would be: its history row is linked


def test_approved_file_is_written_from_its_plan_while_other_people_change(
    officer, client, tree, people, loader, passes, django_capture_on_commit_callbacks
):
    elsewhere = make_employee(tree["kv2"], loader, citizen_id="001085000777")
    batch = upload(officer, tree["kv1"], xlsx(people_rows(3)), capture=django_capture_on_commit_callbacks)
    plan = batch.summary["plan"]
    storage = batch.file.storage
    assert storage.exists(plan["name"])
    edit(elsewhere, loader, full_name="Trần Văn Khác")  # not a person of the file

    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.APPLIED
    assert passes == [False]  # the validation's pass only
    assert Employee.objects.filter(managing_unit=tree["kv1"]).count() == 3
    assert WorkHistory.objects.filter(employee__managing_unit=tree["kv1"]).count() == 6
    assert WorkHistory.history.filter(change_request=batch.change_request).count() == 6
    assert "plan" not in batch.summary and not storage.exists(plan["name"])
    assert batch.rows_done == batch.rows_total == 15


def test_a_person_of_the_file_changed_since_the_check_sends_the_apply_to_the_whole_check(
    officer, client, tree, people, loader, passes, django_capture_on_commit_callbacks
):
    known = make_employee(tree["kv1"], loader, citizen_id=cccd(1), full_name="Nguyễn Văn Số 1", date_of_birth=born(1))
    batch = upload(officer, tree["kv1"], xlsx(people_rows(3)), capture=django_capture_on_commit_callbacks)
    edit(known, loader, place_of_birth="Huế")

    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)

    assert passes == [False, True]  # the whole check again: the person's row no longer does what was approved
    assert batch.status == ImportBatch.Status.FAILED
    assert "đã thay đổi sau khi tệp được kiểm tra" in batch.errors[0]["message"]
    assert Employee.objects.filter(managing_unit=tree["kv1"]).count() == 1


def test_a_plan_that_is_not_the_one_stored_at_the_check_is_not_used(
    officer, client, tree, people, passes, django_capture_on_commit_callbacks
):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(3)), capture=django_capture_on_commit_callbacks)
    name = batch.summary["plan"]["name"]
    storage = batch.file.storage
    storage.delete(name)
    storage.save(name, xlsx(people_rows(1)))  # any other bytes

    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)

    assert passes == [False, True]
    assert batch.status == ImportBatch.Status.APPLIED
    assert Employee.objects.filter(managing_unit=tree["kv1"]).count() == 3
