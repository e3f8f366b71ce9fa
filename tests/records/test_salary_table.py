"""The 2004 salary table's holding periods: A0 ranks require college (cao đẳng) and hold a step
36 months, as the due engine's rule rows say (DOMAIN.md, Regular salary step); records 0018
corrected the 24 months first loaded, with a history row naming why."""

import datetime

import pytest

from records.models import SalaryRank
from records.models.salary import next_step

pytestmark = pytest.mark.django_db


def test_every_a0_rank_holds_a_step_36_months_and_its_history_says_why():
    a0 = SalaryRank.objects.filter(scale_group="A0")
    assert a0.exists()
    assert set(a0.values_list("months_per_step", flat=True)) == {36}
    for rank in a0:
        reasons = list(rank.history.values_list("history_change_reason", flat=True))
        assert any(r and "A0" in r and "36" in r for r in reasons), reasons


def test_classes_b_and_c_keep_24_months_and_a1_36():
    months = dict(SalaryRank.objects.values_list("scale_group", "months_per_step").distinct())
    assert months["B"] == 24 and months["C1"] == 24 and months["A1"] == 36


def test_the_next_step_of_an_a0_rank_is_due_36_months_to_the_day():
    # Kế toán viên trung cấp (06.032, A0), step 1 since 10/05/2023: due 10/05/2026, not 10/05/2025.
    values = next_step(rank_code="06.032", step=1, since=datetime.date(2023, 5, 10))
    assert values["salary_step"] == 2
    assert values["effective_date"] == datetime.date(2026, 5, 10)
