"""The due-date rules on hand-computed cases (derived from the texts in shared/DOMAIN.md), with
the rule rows the data migration loads (so the rows are tested too)."""

import datetime

import pytest

from duedates import rules
from duedates.rules import NonCounted, Sanction
from duedates.services import RuleSet

D = datetime.date
CS, PE, CT = rules.CIVIL_SERVANT, rules.PUBLIC_EMPLOYEE, rules.CONTRACT


@pytest.fixture
def loaded(db):
    return RuleSet(as_of=D(2026, 12, 1)).rules


def retire(loaded, born, sex="male", precision="day", status=CS):
    return rules.retirement(born=born, precision=precision, sex=sex, status=status, rules=loaded)


# --- retirement month: men ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "born, month, age",
    [
        (D(1960, 6, 15), (2020, 6), (60, 0)),  # reached 60 in 2020: old code, retired in 2020
        (D(1960, 12, 10), (2020, 12), (60, 0)),  # the last month under the old code
        (D(1961, 1, 1), (2021, 4), (60, 3)),  # 60 in Jan 2021 is not enough: 60y3m in April
        (D(1961, 9, 20), (2021, 12), (60, 3)),  # 60y3m reached in December 2021
        (D(1961, 10, 5), (2022, 4), (60, 6)),  # 60y3m would be Jan 2022, but 2022 asks 60y6m
        (D(1962, 3, 3), (2022, 9), (60, 6)),
        (D(1963, 7, 1), (2024, 7), (61, 0)),  # 60y9m only in 2024, which asks 61
        (D(1966, 2, 14), (2027, 11), (61, 9)),  # 61y9m reached in Nov 2027
        (D(1966, 3, 31), (2027, 12), (61, 9)),
        (D(1966, 4, 10), (2028, 4), (62, 0)),  # too young in 2027, 62 from 2028
        (D(1970, 5, 10), (2032, 5), (62, 0)),
    ],
)
def test_men_retirement_month(loaded, born, month, age):
    result = retire(loaded, born)
    assert result.kind == rules.RETIREMENT
    year, m = month
    assert result.due_date == rules.month_end(year, m)
    assert (result.inputs["age_years"], result.inputs["age_months"]) == age
    assert result.deadlines["pension_start"] == rules.add_months(D(year, m, 1), 1)


# --- retirement month: women -------------------------------------------------------------------


@pytest.mark.parametrize(
    "born, month",
    [
        (D(1965, 8, 20), (2020, 8)),  # 55 in 2020: old code
        (D(1966, 1, 9), (2021, 5)),  # 55y4m in May 2021
        (D(1966, 8, 31), (2021, 12)),
        (D(1966, 9, 1), (2022, 5)),  # 55y4m would be Jan 2022; 2022 asks 55y8m
        (D(1970, 6, 15), (2027, 10)),  # 57 in 2027 is short of 57y4m
        (D(1975, 2, 1), (2034, 10)),  # 59y8m in 2034
        (D(1980, 3, 10), (2040, 3)),  # 60 from 2035
    ],
)
def test_women_retirement_month(loaded, born, month):
    result = retire(loaded, born, sex="female")
    assert result.due_date == rules.month_end(*month)


def test_moment_is_end_of_month_and_pension_the_first_of_next(loaded):
    result = retire(loaded, D(1966, 2, 14))
    assert result.due_date == D(2027, 11, 30)
    assert result.deadlines["pension_start"] == D(2027, 12, 1)


def test_pension_start_across_the_year(loaded):
    result = retire(loaded, D(1961, 9, 20))
    assert result.deadlines["pension_start"] == D(2022, 1, 1)


# --- birth-date precision ----------------------------------------------------------------------


def test_year_only_birth_is_first_of_january(loaded):
    assert retire(loaded, D(1961, 1, 1), precision="year").due_date == D(2021, 4, 30)


def test_year_only_ignores_the_stored_month(loaded):
    # The same stored date read as a full date retires in October 2021, as a year in April.
    assert retire(loaded, D(1961, 7, 20)).due_date == D(2021, 10, 31)
    result = retire(loaded, D(1961, 7, 20), precision="year")
    assert result.due_date == D(2021, 4, 30)
    assert result.inputs["birth_used"] == "1961-01-01"


def test_year_only_woman(loaded):
    assert retire(loaded, D(1970, 1, 1), sex="female", precision="year").due_date == D(2027, 5, 31)


def test_month_only_birth_is_the_first(loaded):
    result = retire(loaded, D(1966, 1, 1), sex="female", precision="month")
    assert result.due_date == D(2021, 5, 31)
    assert result.inputs["birth_used"] == "1966-01-01"


# --- notice and decision deadlines -------------------------------------------------------------


def test_deadlines_civil_servant(loaded):
    result = retire(loaded, D(1966, 4, 10))
    assert result.due_date == D(2028, 4, 30)
    assert result.deadlines["notice"] == D(2027, 10, 31)
    assert result.deadlines["decision"] == D(2028, 1, 31)


def test_deadlines_public_employee(loaded):
    result = retire(loaded, D(1970, 6, 15), sex="female", status=PE)
    assert result.deadlines["notice"] == D(2027, 4, 30)
    assert result.deadlines["decision"] == D(2027, 7, 31)


def test_no_deadline_rule_for_contract_workers(loaded):
    result = retire(loaded, D(1966, 4, 10), status=CT)
    assert "notice" not in result.deadlines and "decision" not in result.deadlines


def test_no_deadline_before_the_civil_servant_rule_took_effect(loaded):
    # Retired April 2021: the notice would be due in October 2020, before Decree 170/2025.
    result = retire(loaded, D(1961, 1, 1))
    assert "notice" not in result.deadlines


# --- salary step: holding periods and exact days ----------------------------------------------


def step(loaded, start, cls="A1", status=CS, **kw):
    return rules.salary_step(step_start=start, salary_class=cls, status=status, rules=loaded, **kw)


@pytest.mark.parametrize(
    "cls, start, due",
    [
        ("A1", D(2023, 3, 14), D(2026, 3, 14)),  # 36 months
        ("A2.1", D(2022, 7, 1), D(2025, 7, 1)),
        ("A3.1", D(2021, 12, 31), D(2024, 12, 31)),
        ("A0", D(2023, 5, 10), D(2026, 5, 10)),  # A0 requires college: 36 (DOMAIN.md)
        ("B", D(2024, 1, 31), D(2026, 1, 31)),  # 24 months
        ("C1", D(2024, 2, 29), D(2026, 2, 28)),  # 29 Feb does not exist in 2026
        ("CGCC", D(2020, 7, 1), D(2025, 7, 1)),  # senior experts: 60 months
    ],
)
def test_holding_period_by_class(loaded, cls, start, due):
    result = step(loaded, start, cls=cls)
    assert result.kind == rules.SALARY_STEP
    assert result.due_date == due


def test_months_added_to_the_original_date(loaded):
    # 31 Aug 2020 + 36 + 6 (poor year 2021) = 42 months = 29 Feb 2024, never 28 Feb via steps.
    result = step(loaded, D(2020, 8, 31), poor_years=[2021])
    assert result.due_date == D(2024, 2, 29)


def test_month_end_clamp_with_extension(loaded):
    # 30 Nov 2022 + 24 + 3 (reprimand, public employee) = 28 Feb 2025.
    result = step(loaded, D(2022, 11, 30), cls="B", status=PE, sanctions=[Sanction(1, "reprimand", D(2023, 1, 5))])
    assert result.due_date == D(2025, 2, 28)


# --- extensions --------------------------------------------------------------------------------

START, BASE = D(2022, 1, 10), D(2025, 1, 10)


@pytest.mark.parametrize(
    "form, status, due",
    [
        ("reprimand", CS, D(2025, 7, 10)),
        ("reprimand", PE, D(2025, 4, 10)),
        ("reprimand", CT, D(2025, 4, 10)),
        ("warning", CS, D(2025, 7, 10)),
        ("warning", PE, D(2025, 7, 10)),
        ("demotion", CS, D(2026, 1, 10)),
        ("dismissal_from_post", PE, D(2026, 1, 10)),
        ("dismissal_from_post", CS, D(2026, 1, 10)),
    ],
)
def test_each_sanction_kind(loaded, form, status, due):
    result = step(loaded, START, status=status, sanctions=[Sanction(7, form, D(2023, 6, 1))])
    assert result.due_date == due
    (ext,) = result.inputs["extensions"]
    assert ext["id"] == 7 and ext["kind"] == form


def test_reprimand_of_public_employee_before_2021_amendment_was_six_months(loaded):
    result = step(loaded, D(2019, 1, 10), status=PE, sanctions=[Sanction(1, "reprimand", D(2020, 5, 1))])
    assert result.due_date == D(2022, 7, 10)


def test_demotion_only_before_july_2025(loaded):
    start = D(2024, 1, 10)
    before = step(loaded, start, sanctions=[Sanction(1, "demotion", D(2025, 6, 30))])
    after = step(loaded, start, sanctions=[Sanction(1, "demotion", D(2025, 7, 1))])
    assert before.due_date == D(2028, 1, 10)
    assert after.due_date == D(2027, 1, 10)
    assert after.inputs["not_counted_extensions"][0]["why"] == "no_rule"


def test_sanction_before_the_step_does_not_count(loaded):
    result = step(loaded, START, sanctions=[Sanction(1, "warning", D(2022, 1, 9))])
    assert result.due_date == BASE
    assert result.inputs["not_counted_extensions"][0]["why"] == "outside"


def test_sanction_on_the_step_start_counts(loaded):
    assert step(loaded, START, sanctions=[Sanction(1, "warning", START)]).due_date == D(2025, 7, 10)


def test_sanction_on_the_due_date_does_not_count(loaded):
    assert step(loaded, START, sanctions=[Sanction(1, "warning", BASE)]).due_date == BASE


def test_sanction_within_the_extended_period_counts(loaded):
    # The reprimand moves the date to 10 Jul 2025; a warning of March 2025 falls before it.
    sanctions = [Sanction(1, "reprimand", D(2024, 12, 1)), Sanction(2, "warning", D(2025, 3, 1))]
    assert step(loaded, START, sanctions=sanctions).due_date == D(2026, 1, 10)


def test_annulled_sanction_does_not_count(loaded):
    result = step(loaded, START, sanctions=[Sanction(1, "warning", D(2023, 6, 1), annulled=True)])
    assert result.due_date == BASE
    assert result.inputs["not_counted_extensions"][0]["why"] == "annulled"


def test_poor_year_within_and_before(loaded):
    assert step(loaded, START, poor_years=[2023]).due_date == D(2025, 7, 10)
    assert step(loaded, START, poor_years=[2021]).due_date == BASE


def test_extensions_add_up(loaded):
    sanctions = [Sanction(1, "reprimand", D(2022, 5, 1)), Sanction(2, "warning", D(2023, 5, 1))]
    result = step(loaded, START, sanctions=sanctions, poor_years=[2024])
    assert result.due_date == D(2026, 7, 10)
    assert result.inputs["extension_months"] == 18


# --- time not counted --------------------------------------------------------------------------


def leave(start, end, days=None, pk=1):
    return NonCounted(pk, "unpaid_leave", start, end, days)


def test_whole_months_not_counted(loaded):
    result = step(loaded, START, periods=[leave(D(2023, 3, 1), D(2023, 5, 31))])
    assert result.due_date == D(2025, 4, 10)
    assert result.inputs["non_counted"]["whole_months"] == 3


def test_leftover_of_eleven_working_days_is_a_month(loaded):
    # 1–15 Mar 2023 (Wed to Wed): 11 working days.
    assert rules.count_working_days(D(2023, 3, 1), D(2023, 3, 15)) == 11
    assert step(loaded, START, periods=[leave(D(2023, 3, 1), D(2023, 3, 15))]).due_date == D(2025, 2, 10)


def test_leftover_of_ten_working_days_is_not(loaded):
    assert rules.count_working_days(D(2023, 3, 1), D(2023, 3, 14)) == 10
    assert step(loaded, START, periods=[leave(D(2023, 3, 1), D(2023, 3, 14))]).due_date == BASE


def test_leftovers_are_summed(loaded):
    periods = [leave(D(2023, 3, 1), D(2023, 3, 8)), leave(D(2023, 6, 5), D(2023, 6, 9), pk=2)]  # 6 + 5
    result = step(loaded, START, periods=periods)
    assert result.inputs["non_counted"]["leftover_working_days"] == 11
    assert result.due_date == D(2025, 2, 10)


def test_leftover_days_as_the_decision_counts_them(loaded):
    assert step(loaded, START, periods=[leave(D(2023, 3, 1), D(2023, 3, 14), days=12)]).due_date == D(2025, 2, 10)


def test_period_before_the_step_is_clipped(loaded):
    # 1 Dec 2021 – 9 Feb 2022: only 10 Jan – 9 Feb 2022 is within the step: one month.
    assert step(loaded, START, periods=[leave(D(2021, 12, 1), D(2022, 2, 9))]).due_date == D(2025, 2, 10)


def test_running_period_cannot_be_computed(loaded):
    result = step(loaded, START, periods=[leave(D(2024, 3, 1), None)])
    assert result.kind == rules.CANNOT_COMPUTE
    assert "chưa có ngày kết thúc" in result.reason


@pytest.mark.django_db
def test_working_days_follow_the_vietnamese_calendar():
    assert rules.count_working_days(D(2026, 11, 30), D(2026, 12, 6)) == 5
    assert rules.count_working_days(D(2026, 12, 5), D(2026, 12, 6)) == 0
    assert rules.count_working_days(D(2026, 12, 7), D(2026, 12, 6)) == 0
    # Two weeks of unpaid leave over Tết 2026 (16–20/02 are public holidays): 5 working days.
    assert rules.count_working_days(D(2026, 2, 9), D(2026, 2, 22)) == 5
    # The 2026 New Year swap: Fri 02/01 off, Sat 10/01 worked (workdays' declared days).
    assert rules.count_working_days(D(2025, 12, 29), D(2026, 1, 11)) == 9


# --- cannot compute ----------------------------------------------------------------------------


def test_missing_step_date(loaded):
    result = step(loaded, None)
    assert result.kind == rules.CANNOT_COMPUTE and result.about == rules.SALARY_STEP
    assert result.reason == "Chưa có ngày hưởng bậc lương hiện hưởng."


def test_unknown_rank_class(loaded):
    assert step(loaded, START, cls=None).kind == rules.CANNOT_COMPUTE
    result = step(loaded, START, cls="X9")
    assert result.kind == rules.CANNOT_COMPUTE and "X9" in result.reason


def test_sanction_without_effective_date(loaded):
    result = step(loaded, START, sanctions=[Sanction(3, "warning", None)])
    assert result.kind == rules.CANNOT_COMPUTE and result.inputs == {"discipline": 3}
    # annulled, it no longer matters
    assert step(loaded, START, sanctions=[Sanction(3, "warning", None, annulled=True)]).due_date == BASE


# --- beyond the last step ----------------------------------------------------------------------


def beyond(loaded, start, percent=0, cls="A1", **kw):
    kw.setdefault("status", CS)
    return rules.beyond_last_step(step_start=start, salary_class=cls, current_percent=percent, rules=loaded, **kw)


@pytest.mark.parametrize(
    "cls, start, percent, due, next_percent",
    [
        ("A1", D(2020, 3, 1), 0, D(2023, 3, 1), 5),
        ("A1", D(2020, 3, 1), 5, D(2024, 3, 1), 6),
        ("A1", D(2020, 3, 1), 7, D(2026, 3, 1), 8),
        ("B", D(2021, 6, 15), 0, D(2023, 6, 15), 5),
        ("B", D(2021, 6, 15), 5, D(2024, 6, 15), 6),
    ],
)
def test_beyond_last_step(loaded, cls, start, percent, due, next_percent):
    result = beyond(loaded, start, percent, cls=cls)
    assert result.kind == rules.BEYOND_LAST_STEP
    assert result.due_date == due and result.inputs["next_percent"] == next_percent


def test_beyond_increment_delayed_and_later_ones_shifted(loaded):
    warning = [Sanction(1, "warning", D(2023, 10, 1))]  # within the 5% → 6% year
    assert beyond(loaded, D(2020, 3, 1), 5, sanctions=warning).due_date == D(2024, 9, 1)
    assert beyond(loaded, D(2020, 3, 1), 6, sanctions=warning).due_date == D(2025, 9, 1)


def test_senior_experts_get_no_beyond_allowance(loaded):
    assert beyond(loaded, D(2020, 3, 1), cls="CGCC") is None


def test_compute_gives_beyond_at_the_last_step(loaded):
    person = {
        "born": D(1970, 5, 10),
        "precision": "day",
        "sex": "male",
        "status": CS,
        "rank_code": "01.003",
        "step": 9,
        "last_step": 9,
        "step_start": D(2020, 3, 1),
        "current_percent": 0,
        "salary_class": "A1",
        "sanctions": [],
        "poor_years": [],
        "periods": [],
    }
    kinds = {r.kind: r.due_date for r in rules.compute(person, loaded)}
    assert kinds == {rules.RETIREMENT: D(2032, 5, 31), rules.BEYOND_LAST_STEP: D(2023, 3, 1)}
    kinds = {r.kind: r.due_date for r in rules.compute({**person, "step": 8}, loaded)}
    assert kinds[rules.SALARY_STEP] == D(2023, 3, 1)
