"""tracking.asof.as_of: each row's version in force at a moment; a row deleted before it is
gone, a row that left the filter later is still in it, one that entered it later is not."""

import datetime

import pytest
from django.utils import timezone

from oversight.asof_forms import AsOfForm
from records.models import Employee
from tests.conftest import make_employee, setup_context
from tests.oversight.test_asof import backdate
from tracking.asof import as_of, moment
from units.models import Position


@pytest.fixture
def ten_days_ago(tree, loader):
    """Two positions of KV1 and a person of KV1 ten days ago; today one position is deleted,
    the other renamed, and the person moved to KV2."""
    kv1, kv2 = tree["kv1"], tree["kv2"]
    with setup_context(loader):
        kept = Position.objects.create(unit=kv1, name="Phó Chi cục trưởng", posts=2)
        gone = Position.objects.create(unit=kv1, name="Kiểm soát viên", posts=3)
    person = make_employee(kv1, loader, citizen_id="001085000011", full_name="Đỗ Văn Chuyển")
    backdate(10, Position, Employee)
    with setup_context(loader):
        kept.name = "Phó Chi cục trưởng thứ nhất"
        kept.save()
        Position.objects.get(pk=gone.pk).delete()
        person = Employee.objects.get(pk=person.pk)
        person.managing_unit = kv2
        person.save()
    return kept, gone, person


def test_the_version_in_force_deletions_and_moves(tree, ten_days_ago):
    kept, gone, person = ten_days_ago
    past = moment(timezone.localdate() - datetime.timedelta(days=5))
    now = timezone.now()
    then = as_of(Position, past, {"unit_id": tree["kv1"].pk})
    assert sorted((p.id, p.name) for p in then) == [(kept.pk, "Phó Chi cục trưởng"), (gone.pk, "Kiểm soát viên")]
    assert [(p.id, p.name) for p in as_of(Position, now, {"unit_id": tree["kv1"].pk})] == [
        (kept.pk, "Phó Chi cục trưởng thứ nhất")
    ]
    assert [e.id for e in as_of(Employee, past, {"managing_unit_id": tree["kv1"].pk})] == [person.pk]
    assert [e.id for e in as_of(Employee, past, {"managing_unit_id": tree["kv2"].pk})] == []
    assert [e.id for e in as_of(Employee, now, {"managing_unit_id": tree["kv1"].pk})] == []
    assert [e.id for e in as_of(Employee, now, {"managing_unit_id": tree["kv2"].pk})] == [person.pk]


def test_a_day_and_time_mean_the_end_of_that_minute():
    form = AsOfForm({"at": "02/01/2026", "time": "14:30"})
    assert form.is_valid(), form.errors
    assert timezone.localtime(form.moment).replace(tzinfo=None) == datetime.datetime(2026, 1, 2, 14, 30, 59, 999999)
    whole_day = AsOfForm({"at": "02/01/2026"})
    assert whole_day.is_valid()
    assert timezone.localtime(whole_day.moment).replace(tzinfo=None) == datetime.datetime(
        2026, 1, 2, 23, 59, 59, 999999
    )
    bad = AsOfForm({"at": "02/01/2026", "time": "25:00"})
    assert not bad.is_valid()
    assert "Giờ không hợp lệ" in str(bad.errors["time"])
