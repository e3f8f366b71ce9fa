"""The holding period of a step has one source, the due engine's rule rows (duedates.HoldingPeriod,
by the rank's salary class): A0 ranks require college (cao đẳng) and hold a step 36 months (DOMAIN.md,
Regular salary step). The salary table once held its own copy (SalaryRank.months_per_step, 24
months for A0 until records 0018); records 0020 removed it, its history kept."""

import datetime

import pytest

from duedates.models import HoldingPeriod
from records.models import SalaryRank
from records.models.salary import next_step

pytestmark = pytest.mark.django_db


def test_the_salary_table_no_longer_holds_a_holding_period_of_its_own():
    assert "months_per_step" not in {field.name for field in SalaryRank._meta.get_fields()}
    a0 = SalaryRank.objects.filter(scale_group="A0")
    assert a0.exists()
    for rank in a0:  # the A0 correction of records 0018 stays in the table's history
        reasons = list(rank.history.values_list("history_change_reason", flat=True))
        assert any(r and "A0" in r and "36" in r for r in reasons), reasons


def test_every_class_of_the_table_has_its_holding_period_as_a_rule_row():
    classes = set(SalaryRank.objects.values_list("scale_group", flat=True))
    months = dict(HoldingPeriod.objects.filter(valid_to=None).values_list("salary_class", "months"))
    assert classes <= set(months)
    assert months["A0"] == 36 and months["A1"] == 36 and months["B"] == 24 and months["C1"] == 24


def test_the_next_step_takes_the_coefficient_of_the_table_in_force_on_its_due_day():
    # Kế toán viên trung cấp (06.032, A0), step 1 → 2, due 10/05/2026 (the engine's date).
    values = next_step(rank_code="06.032", step=1, due=datetime.date(2026, 5, 10))
    assert (values["salary_step"], values["effective_date"]) == (2, datetime.date(2026, 5, 10))
    assert values["salary_coefficient"] > 0
    assert "effective_date" not in next_step(rank_code="06.032", step=1, due=datetime.date(2999, 1, 1))
    assert next_step(rank_code="06.032", step=99, due=None) is None
