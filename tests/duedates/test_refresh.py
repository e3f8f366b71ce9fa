"""The refresh of stored due items: idempotent, bulk, only changed people recomputed, and a
changed rule row changes the result without a code change."""

import datetime

import pytest

from duedates.models import DueItem, DueState, RefreshRun, RetirementAge
from duedates.services import RuleSet, refresh_changed, refresh_due_items
from duedates.tasks import refresh_due_dates
from records.models import Discipline, Employee, NonCountedPeriod
from records.models.employee import today
from tests.conftest import make_employee, setup_context

D = datetime.date


@pytest.fixture
def staff(tree, loader):
    """Three people of KV1; a 01.003 (A1, 9 steps) at step 3 since 14 Mar 2023."""
    people = [
        make_employee(
            tree["kv1"],
            loader,
            citizen_id=f"0010{70 + i}00000{i}",
            full_name=f"Nguyễn Văn {name}",
            date_of_birth=D(1970 + i, 5, 10),
            salary_effective_date=D(2023, 3, 14),
        )
        for i, name in enumerate(("An", "Bình", "Cường"))
    ]
    return people


def items(employee):
    return {i.kind: i for i in DueItem.objects.filter(employee=employee)}


def test_refresh_stores_retirement_and_step(staff):
    counts = refresh_due_items(as_of=D(2026, 12, 1))
    assert counts == {"examined": 3, "recomputed": 3}
    first = items(staff[0])
    assert first["retirement"].due_date == D(2032, 5, 31)
    assert first["retirement"].pension_start == D(2032, 6, 1)
    assert first["retirement"].notice_deadline == D(2031, 11, 30)
    assert first["retirement"].decision_deadline == D(2032, 2, 29)
    assert first["salary_step"].due_date == D(2026, 3, 14)
    assert first["salary_step"].inputs["salary_class"] == "A1"
    assert first["salary_step"].inputs["start"] == "2023-03-14"
    assert any(r.startswith("HoldingPeriod:") for r in first["salary_step"].rule_ids)


def test_refresh_is_idempotent(staff):
    refresh_due_items(as_of=D(2026, 12, 1))
    before = list(DueItem.objects.order_by("pk").values_list("pk", "kind", "due_date", "computed_at"))
    assert refresh_due_items(as_of=D(2026, 12, 1)) == {"examined": 3, "recomputed": 0}
    assert list(DueItem.objects.order_by("pk").values_list("pk", "kind", "due_date", "computed_at")) == before


def test_cannot_compute_is_stored_with_its_reason(tree, loader):
    person = make_employee(tree["kv1"], loader, citizen_id="001085000009")  # no salary effective date
    refresh_due_items(employee_ids=[person.pk], as_of=D(2026, 12, 1))
    item = items(person)["cannot_compute"]
    assert item.about == "salary_step"
    assert item.reason == "Chưa có ngày hưởng bậc lương hiện hưởng."
    assert item.due_date is None


def test_query_count_does_not_grow_with_people(staff, tree, loader, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RuleSet(as_of=D(2026, 12, 1))  # the rule rows read once, then kept in the cache for both runs
    with CaptureQueriesContext(connection) as three:
        refresh_due_items(as_of=D(2026, 12, 1))
    DueItem.objects.all().delete()
    DueState.objects.all().delete()
    for i in range(7):
        make_employee(
            tree["kv2"],
            loader,
            citizen_id=f"00108500010{i}",
            full_name=f"Lê Văn Số {i}",
            salary_effective_date=D(2022, 1, 1),
        )
    with CaptureQueriesContext(connection) as ten:
        refresh_due_items(as_of=D(2026, 12, 1))
    assert len(ten) == len(three)


def test_a_new_roadmap_row_changes_the_result(staff):
    refresh_due_items(as_of=D(2026, 12, 1))
    assert items(staff[0])["retirement"].due_date == D(2032, 5, 31)
    # A later law raises men's age to 62y6m from 2030: a row, not code.
    RetirementAge.objects.create(
        sex="male", from_year=2030, years=62, months=6, valid_from=D(2027, 1, 1), legal_source="Luật giả định"
    )
    run = refresh_changed(as_of=D(2026, 12, 1))
    assert run.full and run.recomputed == 3
    item = items(staff[0])["retirement"]
    assert item.due_date == D(2032, 11, 30)
    assert (item.inputs["age_years"], item.inputs["age_months"]) == (62, 6)


def test_nightly_recomputes_only_the_changed_person(staff, loader):
    first = refresh_changed(as_of=D(2026, 12, 1))
    assert first.full and first.recomputed == 3
    untouched = items(staff[1])["salary_step"].computed_at
    with setup_context(loader):
        Discipline.objects.create(employee=staff[0], form="warning", reason="Vi phạm", effective_from=D(2024, 6, 3))
    second = refresh_changed(as_of=D(2026, 12, 1))
    assert not second.full
    assert (second.examined, second.recomputed) == (1, 1)
    assert items(staff[0])["salary_step"].due_date == D(2026, 9, 14)
    assert items(staff[0])["salary_step"].inputs["extensions"][0]["kind"] == "warning"
    assert items(staff[1])["salary_step"].computed_at == untouched
    # Nothing changed since: nothing examined, nothing written.
    third = refresh_changed(as_of=D(2026, 12, 1))
    assert (third.examined, third.recomputed) == (0, 0)


def test_annulling_a_sanction_and_a_leave_through_tracked_writes(staff, loader):
    with setup_context(loader):
        sanction = Discipline.objects.create(
            employee=staff[0], form="reprimand", reason="Vi phạm", effective_from=D(2024, 6, 3)
        )
        NonCountedPeriod.objects.create(
            employee=staff[0], kind="unpaid_leave", start_date=D(2024, 9, 2), end_date=D(2024, 11, 1)
        )
    refresh_changed(as_of=D(2026, 12, 1))
    # 36 + 6 (reprimand) + 2 (2 Sep – 1 Nov: two whole months) = 44 months from 14 Mar 2023.
    assert items(staff[0])["salary_step"].due_date == D(2026, 11, 14)
    with setup_context(loader):
        sanction.annulled = True
        sanction.annulment_decision = "QĐ 12/QĐ-CT"
        sanction.save()
    refresh_changed(as_of=D(2026, 12, 1))
    assert items(staff[0])["salary_step"].due_date == D(2026, 5, 14)


def test_year_only_birth_on_the_file(tree, loader):
    person = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001061000001",
        date_of_birth=D(1961, 1, 1),
        birth_date_precision=Employee.BirthDatePrecision.YEAR,
        salary_effective_date=D(2019, 1, 1),
    )
    refresh_due_items(employee_ids=[person.pk], as_of=D(2026, 12, 1))
    assert items(person)["retirement"].due_date == D(2021, 4, 30)


def test_the_task_runs_the_nightly_refresh(staff):
    assert refresh_due_dates() == {"examined": 3, "recomputed": 3, "full": True}
    assert refresh_due_dates() == {"examined": 0, "recomputed": 0, "full": False}
    assert RefreshRun.objects.count() == 2


def test_stored_items_are_the_computed_ones(staff, loader):
    """What the refresh writes (COPY on PostgreSQL, bulk_create elsewhere) is, column by column,
    what the pages compute for the same people: dates, reason, every input, the rules and their
    version; a sanction and a leave give the inputs nested lists to carry."""
    from duedates.selectors import compute_items

    with setup_context(loader):
        Discipline.objects.create(employee=staff[0], form="warning", reason="Vi phạm", effective_from=D(2024, 6, 3))
        NonCountedPeriod.objects.create(
            employee=staff[0], kind="unpaid_leave", start_date=D(2024, 9, 2), end_date=D(2024, 11, 1)
        )
    as_of = today()
    refresh_due_items(as_of=as_of)
    columns = [f.attname for f in DueItem._meta.concrete_fields if f.attname not in ("id", "computed_at")]
    computed = compute_items([p.pk for p in staff], as_of)
    for person in staff:
        stored = list(DueItem.objects.filter(employee=person).order_by("kind").values(*columns))
        expected = [{c: getattr(i, c) for c in columns} for i in sorted(computed[person.pk], key=lambda i: i.kind)]
        assert stored == expected
    assert DueItem.objects.get(employee=staff[0], kind="salary_step").inputs["extensions"][0]["kind"] == "warning"


def test_a_full_refresh_in_small_chunks_reaches_everyone_once(staff, tree, loader):
    """Everyone is read a chunk (an id range) at a time: with chunks of two, each of the three
    people is computed once, and a second run finds nothing changed."""
    counts = refresh_due_items(as_of=D(2026, 12, 1), chunk_size=2)
    assert counts == {"examined": 3, "recomputed": 3}
    assert DueItem.objects.count() == 6
    assert DueState.objects.count() == 3
    assert refresh_due_items(as_of=D(2026, 12, 1), chunk_size=2) == {"examined": 3, "recomputed": 0}


def test_recomputing_replaces_the_rows_of_the_changed_person_only(staff, loader):
    """A recomputed person's rows are replaced (a kind that no longer applies goes); the other
    people's rows are not touched, not even rewritten."""
    refresh_due_items(as_of=D(2026, 12, 1))
    others = list(DueItem.objects.exclude(employee=staff[0]).order_by("pk").values_list("pk", "computed_at"))
    with setup_context(loader):
        staff[0].salary_effective_date = None  # the step can no longer be computed
        staff[0].save()
    assert refresh_due_items(as_of=D(2026, 12, 1)) == {"examined": 3, "recomputed": 1}
    assert set(items(staff[0])) == {"retirement", "cannot_compute"}
    assert DueState.objects.filter(employee=staff[0]).count() == 1
    assert list(DueItem.objects.exclude(employee=staff[0]).order_by("pk").values_list("pk", "computed_at")) == others
