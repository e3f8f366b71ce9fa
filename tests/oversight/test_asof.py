"""A person's file and a unit as they were at a date, and two dates compared: read from the
history, masked and scoped as the file and unit pages, the read logged."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from records.models import SUBRECORD_MODELS, AccessLog, Employee, Training
from tests.conftest import make_employee, rewriting_history, setup_context
from tests.workflows.conftest import decide, propose_step
from units.models import Position, StaffingQuota, Unit
from workflows.models import ChangeRequest


def backdate(days, *models):
    """Move every version written so far of `models` back by `days` (test data only)."""
    with rewriting_history():
        for model in models:
            model.history.all().update(history_date=timezone.now() - datetime.timedelta(days=days))


def day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


@pytest.fixture
def raised(client, people, employee_kv1):
    """Employee KV1's file written ten days ago at step 3, then raised to step 4 today by an
    approved request (a salary-history row added)."""
    backdate(10, Employee, *SUBRECORD_MODELS)
    client.force_login(people["canbo_kv1"])
    assert propose_step(client, employee_kv1, 4, "3.33").status_code == 302
    change_request = ChangeRequest.objects.get(employee=employee_kv1)
    client.force_login(people["lanhdao_kv1"])
    decide(client, change_request)
    client.logout()
    employee_kv1.refresh_from_db()
    assert employee_kv1.salary_step == 4
    return change_request


STEP = str(Employee._meta.get_field("salary_step").verbose_name)


def fields_of(response):
    return {str(row["label"]): str(row["value"]) for section in response.context["sections"] for row in section["rows"]}


def salary_rows(response):
    return next(s for s in response.context["subrecords"] if s["model"]._meta.model_name == "salaryhistory")["rows"]


def test_the_file_before_a_change_shows_the_old_values(client_for, people, employee_kv1, raised):
    client = client_for(people["thanhtra_cuc"])
    url = reverse("records:employee-asof", args=[employee_kv1.pk])
    before = client.get(url, {"at": day(5)})
    assert before.status_code == 200
    assert fields_of(before)[STEP] == "3"
    assert salary_rows(before) == []
    assert "Hồ sơ tại thời điểm " + day(5) in before.content.decode()
    now = client.get(url, {"at": day(0)})
    assert fields_of(now)[STEP] == "4"
    assert len(salary_rows(now)) == 1
    assert AccessLog.objects.filter(user=people["thanhtra_cuc"], employee=employee_kv1).count() == 2


def test_before_the_file_existed_it_is_not_there(client_for, people, employee_kv1, raised):
    response = client_for(people["thanhtra_cuc"]).get(
        reverse("records:employee-asof", args=[employee_kv1.pk]), {"at": day(20)}
    )
    assert response.context["past"] is None
    assert "Hồ sơ chưa có tại thời điểm này." in response.content.decode()


def test_comparing_two_dates_shows_the_change_and_its_request(client_for, people, employee_kv1, raised):
    client = client_for(people["xem_cuc"])
    response = client.get(reverse("records:employee-compare", args=[employee_kv1.pk]), {"start": day(5), "end": day(0)})
    assert response.status_code == 200
    changes = response.context["changes"]
    employee_change = next(c for c in changes if c["model"] == Employee._meta.verbose_name)
    assert {"field": STEP, "old": "3", "new": "4"} in [
        {**f, "field": str(f["field"])} for f in employee_change["fields"]
    ]
    assert [c["action"] for c in changes if c["model"] != Employee._meta.verbose_name] == ["added"]
    assert [entry["change_request"] for entry in response.context["entries"]] == [raised]
    assert f"Yêu cầu #{raised.pk}" in response.content.decode()


def test_nothing_changed_between_two_dates_before_the_change(client_for, people, employee_kv1, raised):
    response = client_for(people["xem_cuc"]).get(
        reverse("records:employee-compare", args=[employee_kv1.pk]), {"start": day(8), "end": day(5)}
    )
    assert response.context["changes"] == []
    assert response.context["entries"] == []


def test_sensitive_fields_stay_masked_as_of_a_date(client_for, people, employee_kv1, raised):
    """xem_cuc (a viewer of the Cục) may not see a CCCD on the file page, nor in the past."""
    client = client_for(people["xem_cuc"])
    file_page = client.get(reverse("records:employee-detail", args=[employee_kv1.pk]))
    past = client.get(reverse("records:employee-asof", args=[employee_kv1.pk]), {"at": day(5)})
    label = str(Employee._meta.get_field("citizen_id").verbose_name)
    assert fields_of(past)[label] == fields_of(file_page)[label]
    assert "001085000001" not in past.content.decode()


def test_out_of_scope_users_get_404(client_for, people, employee_kv1, tree, raised):
    client = client_for(people["canbo_kb"])
    for name, pk in (("employee-asof", employee_kv1.pk), ("employee-compare", employee_kv1.pk)):
        assert client.get(reverse(f"records:{name}", args=[pk]), {"at": day(5)}).status_code == 404
    for name in ("unit-asof", "unit-compare"):
        assert client.get(reverse(f"units:{name}", args=[tree["kv1"].pk])).status_code == 404
    assert not AccessLog.objects.filter(user=people["canbo_kb"]).exists()


def test_a_bad_date_is_a_clear_error(client_for, people, employee_kv1):
    client = client_for(people["thanhtra_cuc"])
    response = client.get(reverse("records:employee-asof", args=[employee_kv1.pk]), {"at": "31/02/2026"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()
    response = client.get(reverse("records:employee-compare", args=[employee_kv1.pk]), {"start": day(1), "end": day(3)})
    assert "Thời điểm sau phải ở sau thời điểm trước." in response.content.decode()


@pytest.fixture
def reshaped_unit(tree, loader, people):
    """KV1 ten days ago: a quota of 10 and a position; today: the quota raised to 12, its address
    changed, and a person moved in."""
    kv1 = tree["kv1"]
    with setup_context(loader):
        quota = StaffingQuota.objects.create(unit=kv1, year=2026, category="civil_servant", approved=10)
        Position.objects.create(unit=kv1, name="Chi cục trưởng", posts=1, is_leadership=True)
    make_employee(kv1, loader, citizen_id="001085000009", full_name="Lê Văn Cũ")
    backdate(10, Unit, StaffingQuota, Position, Employee)
    with setup_context(loader):
        quota.approved = 12
        quota.save()
        unit = Unit.objects.get(pk=kv1.pk)
        unit.address = "Số 1 Tràng Tiền"
        unit.save()
    make_employee(kv1, loader, citizen_id="001085000010", full_name="Phạm Thị Mới")
    return kv1


def test_a_unit_as_of_a_date(client_for, people, reshaped_unit):
    client = client_for(people["xem_cuc"])
    url = reverse("units:unit-asof", args=[reshaped_unit.pk])
    before = client.get(url, {"at": day(5)})
    assert before.status_code == 200
    assert [q.approved for q in before.context["quotas"]] == [10]
    assert [p.name for p in before.context["positions"]] == ["Chi cục trưởng"]
    assert before.context["past"].address == ""
    assert [p.full_name for p in before.context["staff"]] == ["Lê Văn Cũ"]
    now = client.get(url, {"at": day(0)})
    assert [q.approved for q in now.context["quotas"]] == [12]
    assert now.context["past"].address == "Số 1 Tràng Tiền"
    assert now.context["staff_count"] == 2
    compare = client.get(reverse("units:unit-compare", args=[reshaped_unit.pk]), {"start": day(5), "end": day(0)})
    fields = {str(f["field"]): (f["old"], f["new"]) for c in compare.context["changes"] for f in c["fields"]}
    assert fields["số được giao"] == ("10", "12")
    assert fields["địa chỉ"] == ("—", "Số 1 Tràng Tiền")


def add_trainings(employee, loader, first, count):
    """`count` training rows, each written and then edited, every other one deleted."""
    with setup_context(loader):
        for n in range(first, first + count):
            row = Training.objects.create(
                employee=employee,
                kind=Training.Kind.choices[0][0],
                name=f"Bồi dưỡng {n}",
                start_date=datetime.date(2020, 1, 1 + n),
            )
            row.institution = "Học viện Tài chính"
            row.save()
            if n % 2:
                row.delete()


def test_a_file_compared_costs_the_same_whatever_its_history(client_for, people, employee_kv1, raised, loader):
    """Per table a fixed number of queries (tables with edits on the page add one each, not rows)."""
    client = client_for(people["thanhtra_cuc"])
    url = reverse("records:employee-compare", args=[employee_kv1.pk])
    params = {"start": day(20), "end": day(0)}

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    add_trainings(employee_kv1, loader, 0, 2)
    count()  # the first request of a session reads what later ones find cached
    few = count()
    add_trainings(employee_kv1, loader, 2, 12)
    assert count() == few
    assert client.get(reverse("records:employee-asof", args=[employee_kv1.pk]), {"at": day(0)}).status_code == 200


def test_the_file_and_unit_pages_link_to_their_past(client_for, people, employee_kv1, tree):
    client = client_for(people["xem_cuc"])
    file_page = client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).content.decode()
    assert reverse("records:employee-asof", args=[employee_kv1.pk]) in file_page
    unit_page = client.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).content.decode()
    assert reverse("units:unit-asof", args=[tree["kv1"].pk]) in unit_page


def test_a_comparison_reads_each_history_table_once_for_both_dates(employee_kv1, raised, loader):
    """employee_file_at reads the two dates together: one query per history table, not one per
    table and date (nor per row or version); each reading is what the date alone reads."""
    from records.selectors import employee_file_as_of, employee_file_at

    add_trainings(employee_kv1, loader, 0, 3)
    start, end = timezone.now() - datetime.timedelta(days=20), timezone.now()
    with CaptureQueriesContext(connection) as queries:
        (was, was_rows), (now, now_rows) = employee_file_at(employee_kv1, [start, end])
    tables = [Employee, *SUBRECORD_MODELS]
    per_table = {
        m: sum(f'"{m.history.model._meta.db_table}"' in q["sql"].split(" WHERE ")[0] for q in queries) for m in tables
    }
    assert set(per_table.values()) == {1}, per_table
    assert len(queries) <= len(tables) + 2  # and the managing unit, the position of the versions
    for moment, person, rows in ((start, was, was_rows), (end, now, now_rows)):
        alone, alone_rows = employee_file_as_of(employee_kv1, moment)
        assert (person.version.history_id if person else None) == (alone.version.history_id if alone else None)
        for model in SUBRECORD_MODELS:
            assert sorted(r.version.history_id for r in rows[model]) == sorted(
                r.version.history_id for r in alone_rows[model]
            )
    assert len(now_rows[Training]) == len(was_rows[Training]) + 2  # three added, one deleted


def test_a_unit_compared_reads_each_history_table_once(reshaped_unit):
    from units.selectors import unit_as_of, unit_at

    start, end = timezone.now() - datetime.timedelta(days=5), timezone.now()
    with CaptureQueriesContext(connection) as queries:
        readings = unit_at(reshaped_unit, [start, end])
    history = [q for q in queries if "_historical" in q["sql"]]
    assert len(history) == 3  # one per history table for both dates
    assert len(queries) <= 3 + 2  # and the tree column history does not keep, once per reading
    for moment, (unit, quotas, positions) in zip((start, end), readings, strict=True):
        alone = unit_as_of(reshaped_unit, moment)
        assert unit.version.history_id == alone[0].version.history_id
        assert [q.version.history_id for q in quotas] == [q.version.history_id for q in alone[1]]
        assert [p.version.history_id for p in positions] == [p.version.history_id for p in alone[2]]
