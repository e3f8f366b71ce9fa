"""A person's retirement decisions (lower / higher age, postponement, early retirement) on
hand-computed cases, with the rule rows the data migrations load.

The roadmap (Decree 135/2020 Art. 4, Appendix I): men 60y3m in 2021, +3 months a year, 62 from
2028; women 55y4m in 2021, +4 months a year, 60 from 2035; 60 / 55 up to 2020. A lower age
(Art. 5, Appendix II) is the age of the retirement month's own year minus the decision's months:
Appendix II is Appendix I five years earlier, so a person born five years after someone of
Appendix I, in the same month, retires in the same month."""

import datetime

import pytest

from duedates import rules
from duedates.rules import RetirementDecision as Decision
from duedates.services import RuleSet

D = datetime.date
CS = rules.CIVIL_SERVANT
ON = D(2026, 12, 1)
MARCH_2026, OCTOBER_2026, SEPTEMBER_2025 = D(2026, 3, 2), D(2026, 10, 1), D(2025, 9, 1)


@pytest.fixture
def loaded(db):
    return RuleSet(as_of=ON).rules


def retire(loaded, born, *decisions, sex="male", precision="day", on=ON):
    return rules.retirement(
        born=born, precision=precision, sex=sex, status=CS, rules=loaded, decisions=decisions, on=on
    )


def lower(months=60, date=MARCH_2026, **kw):
    return Decision(1, rules.LOWER_AGE, months=months, number="12/QĐ-BTC", date=date, legal_basis="Đ169(3)", **kw)


def higher(months, date=MARCH_2026, **kw):
    return Decision(2, rules.HIGHER_AGE, months=months, number="13/QĐ-BTC", date=date, **kw)


def postpone(months, ground, date=OCTOBER_2026, pk=3, **kw):
    return Decision(pk, rules.POSTPONEMENT, months=months, ground=ground, number=f"{pk}/QĐ", date=date, **kw)


def early(retire_from, date=SEPTEMBER_2025, **kw):
    return Decision(4, rules.EARLY_RETIREMENT, retire_from=retire_from, number="4/QĐ", date=date, **kw)


# --- lower age ----------------------------------------------------------------------------------


def test_lower_age_man_born_january_1966(loaded):
    """Man born 10/01/1966, 60 months lower: 2021 asks 60y3m − 5y = 55y3m, reached in April 2021
    (in January–March 2021 he is 55y0m–55y2m; in December 2020, 54y11m, below 60 − 5)."""
    result = retire(loaded, D(1966, 1, 10), lower(date=D(2021, 2, 1)))
    assert result.due_date == D(2021, 4, 30)
    assert result.deadlines["pension_start"] == D(2021, 5, 1)
    assert (result.inputs["age_years"], result.inputs["age_months"]) == (55, 3)
    # Without the decision: 61y9m in October 2027 (2026 asks 61y6m, which he reaches only in 2027).
    assert result.inputs["statutory"] == {
        "month": "2027-10",
        "age_years": 61,
        "age_months": 9,
        "moment": "2027-10-31",
        "age_rule": result.inputs["statutory"]["age_rule"],
    }
    assert result.inputs["age_shift_months"] == -60
    assert [d["number"] for d in result.inputs["decisions"]] == ["12/QĐ-BTC"]
    assert result.inputs["decisions"][0]["limit_months"] == 60


def test_lower_age_woman_uses_the_reduced_age_of_the_retirement_year(loaded):
    """Woman born 15/07/1975, 60 months lower: 2026 asks 57y − 5y = 52y (she is at most 51y5m in
    2026); 2027 asks 52y4m, reached in November 2027. Appendix I has the woman born 07/1970
    retiring in November 2027 too (pension from 12/2027)."""
    result = retire(loaded, D(1975, 7, 15), lower(), sex="female")
    assert result.due_date == D(2027, 11, 30)
    assert result.deadlines["pension_start"] == D(2027, 12, 1)
    assert (result.inputs["age_years"], result.inputs["age_months"]) == (52, 4)
    assert result.inputs["statutory"]["month"] == "2035-07"  # 60 in 2035, without the decision
    assert retire(loaded, D(1970, 7, 15), sex="female").due_date == result.due_date


@pytest.mark.parametrize("sex", ["male", "female"])
@pytest.mark.parametrize("born", [D(1961, 1, 1), D(1963, 7, 1), D(1966, 3, 31), D(1968, 9, 5), D(1972, 12, 1)])
def test_appendix_ii_is_appendix_i_five_years_earlier(loaded, sex, born):
    reduced = retire(loaded, born.replace(year=born.year + 5), lower(date=D(2021, 1, 4)), sex=sex)
    assert reduced.due_date == retire(loaded, born, sex=sex).due_date


def test_lower_age_reached_during_2020_retires_under_the_old_code(loaded):
    """Man born 15/06/1965, 60 months lower: 55 in June 2020, when the old code asked 60 − 5."""
    assert retire(loaded, D(1965, 6, 15), lower(date=D(2021, 1, 4))).due_date == D(2020, 6, 30)


def test_lower_age_with_a_year_only_birth(loaded):
    """Born in 1971 (year only → 01/01/1971), 60 months lower: 2027 asks 56y9m, reached in October."""
    result = retire(loaded, D(1971, 6, 6), lower(), precision="year")
    assert result.due_date == D(2027, 10, 31)
    assert (result.inputs["age_years"], result.inputs["age_months"]) == (56, 9)


# --- higher age ---------------------------------------------------------------------------------


def test_higher_age_man_five_years(loaded):
    """Man born 10/04/1966: 62 in April 2028; 60 months higher: 67 in April 2033."""
    result = retire(loaded, D(1966, 4, 10), higher(60))
    assert result.due_date == D(2033, 4, 30)
    assert result.inputs["statutory"]["moment"] == "2028-04-30"
    # The notice and the decision follow the age the person retires at.
    assert result.deadlines["notice"] == D(2032, 10, 31)
    assert result.deadlines["decision"] == D(2033, 1, 31)


def test_higher_age_woman_two_years(loaded):
    """Woman born 09/01/1970: Appendix I, 57y4m in May 2027. 24 months higher: 2029 asks 58y + 2y =
    60y (she is at most 59y11m in 2029); 2030 asks 58y4m + 2y = 60y4m, reached in May 2030."""
    result = retire(loaded, D(1970, 1, 9), higher(24), sex="female")
    assert result.inputs["statutory"]["month"] == "2027-05"
    assert result.due_date == D(2030, 5, 31)
    assert (result.inputs["age_years"], result.inputs["age_months"]) == (60, 4)


# --- postponement -------------------------------------------------------------------------------


def test_postponement_of_three_months_ends_on_29_february(loaded):
    """Man born 14/02/1966: November 2027 (61y9m). Serious illness, 3 months: the end of February
    2028, a leap year; the pension from 01/03/2028. The notice and decision stay before November."""
    result = retire(loaded, D(1966, 2, 14), postpone(3, "b"))
    assert result.due_date == D(2028, 2, 29)
    assert result.deadlines["pension_start"] == D(2028, 3, 1)
    assert result.deadlines["notice"] == D(2027, 5, 31)
    assert result.deadlines["decision"] == D(2027, 8, 31)
    assert result.inputs["postponed_months"] == 3
    assert result.inputs["age_moment"] == "2027-11-30"


def test_postponement_of_six_months_woman(loaded):
    """Woman born 20/05/1970: 57y4m in September 2027 (Appendix I: pension from 10/2027).
    Long-term illness, 6 months: 31/03/2028."""
    result = retire(loaded, D(1970, 5, 20), postpone(6, "c"), sex="female")
    assert result.due_date == D(2028, 3, 31)
    assert result.deadlines["pension_start"] == D(2028, 4, 1)


def test_only_the_longest_postponement_counts(loaded):
    result = retire(loaded, D(1966, 2, 14), postpone(1, "a", pk=5), postpone(3, "b", pk=6))
    assert result.due_date == D(2028, 2, 29)
    assert [(d["id"], d["why"]) for d in result.inputs["decisions_ignored"]] == [(5, "shorter")]


def test_postponement_over_the_ground_limit_cannot_be_computed(loaded):
    """Ground (a) (Tết, bereavement, disaster) allows 1 month at most (Decree 170/2025 Art. 61(3)(a))."""
    result = retire(loaded, D(1966, 2, 14), postpone(2, "a"))
    assert result.kind == rules.CANNOT_COMPUTE
    assert "vượt mức tối đa 1 tháng" in result.reason


def test_postponement_dated_before_any_limit_row_cannot_be_computed(loaded):
    result = retire(loaded, D(1966, 2, 14), postpone(1, "a", date=D(2024, 5, 2)))
    assert result.kind == rules.CANNOT_COMPUTE
    assert "Chưa có quy định số tháng tối đa" in result.reason


# --- lower age and postponement together ------------------------------------------------------


def test_lower_age_and_postponement(loaded):
    """Man born 10/05/1971, 60 months lower: 2027 asks 56y9m (he reaches it only in February 2028);
    2028 asks 57, reached in May 2028 (as the man born 05/1966 of Appendix I). Then a month's
    postponement (Tết, bereavement…): 30/06/2028. The notice and the decision are counted from May."""
    result = retire(loaded, D(1971, 5, 10), lower(), postpone(1, "a"))
    assert result.due_date == D(2028, 6, 30)
    assert result.deadlines["pension_start"] == D(2028, 7, 1)
    assert result.deadlines["notice"] == D(2027, 11, 30)
    assert result.deadlines["decision"] == D(2028, 2, 29)
    assert result.inputs["age_moment"] == "2028-05-31"
    assert result.inputs["statutory"]["moment"] == "2033-05-31"
    assert {d["kind"] for d in result.inputs["decisions"]} == {rules.LOWER_AGE, rules.POSTPONEMENT}


# --- early retirement ---------------------------------------------------------------------------


def test_early_retirement_keeps_the_statutory_date_as_the_baseline(loaded):
    """Man born 10/04/1966: statutory 30/04/2028. Early retirement from 01/01/2026 (Decree
    178/2024): the moment is the end of 31/12/2025; 28 months early (January 2026 – April 2028)."""
    result = retire(loaded, D(1966, 4, 10), early(D(2026, 1, 1)))
    assert result.due_date == D(2025, 12, 31)
    assert result.deadlines["pension_start"] == D(2026, 1, 1)
    assert result.inputs["age_moment"] == "2028-04-30"
    assert result.inputs["statutory"]["moment"] == "2028-04-30"
    assert result.inputs["months_early"] == 28
    assert "notice" not in result.deadlines and "decision" not in result.deadlines  # decided already


def test_early_retirement_after_the_statutory_date_cannot_be_computed(loaded):
    result = retire(loaded, D(1966, 4, 10), early(D(2028, 6, 1)))
    assert result.kind == rules.CANNOT_COMPUTE


def test_early_retirement_replaces_a_postponement(loaded):
    result = retire(loaded, D(1966, 4, 10), postpone(3, "b"), early(D(2026, 1, 1)))
    assert result.due_date == D(2025, 12, 31)
    assert [d["why"] for d in result.inputs["decisions_ignored"]] == ["early"]


# --- decisions that do not count --------------------------------------------------------------


def test_annulled_decision_is_ignored(loaded):
    result = retire(loaded, D(1966, 4, 10), lower(annulled=True))
    assert result.due_date == D(2028, 4, 30)
    assert result.inputs["decisions"] == []
    assert result.inputs["decisions_ignored"][0]["why"] == "annulled"


def test_decision_not_yet_in_force_is_ignored(loaded):
    """As of 01/12/2026, a decision dated 15/12/2026 is not in force yet; as of 20/12/2026 it is."""
    decision = higher(12, date=D(2026, 12, 15))
    before = retire(loaded, D(1966, 4, 10), decision, on=D(2026, 12, 1))
    assert before.due_date == D(2028, 4, 30)
    assert before.inputs["decisions_ignored"][0]["why"] == "not_in_force"
    assert retire(loaded, D(1966, 4, 10), decision, on=D(2026, 12, 20)).due_date == D(2029, 4, 30)


def test_the_later_age_decision_replaces_the_earlier(loaded):
    result = retire(loaded, D(1966, 4, 10), higher(60, date=D(2025, 1, 2)), higher(12, date=D(2026, 1, 5)))
    assert result.due_date == D(2029, 4, 30)
    assert result.inputs["decisions_ignored"][0]["why"] == "superseded"


def test_without_decisions_the_inputs_are_unchanged(loaded):
    assert "decisions" not in retire(loaded, D(1966, 4, 10)).inputs
