"""The end of a fixed-term contract and of a probation, on hand-computed cases, with the rule rows
the data migration loads (duedates 0005: probation lengths by status and class, the notice days
before the end), so the rows are tested too."""

import datetime

import pytest

from duedates import rules, term_rules
from duedates.models import EndNotice, ProbationLength
from duedates.services import RuleSet
from duedates.term_rules import Contract, ProbationTerm
from workdays.calendar import is_working_day

D = datetime.date
CS, PE, CT = rules.CIVIL_SERVANT, rules.PUBLIC_EMPLOYEE, rules.CONTRACT
FIXED, INDEFINITE = "fixed_term", "indefinite"


@pytest.fixture
def loaded(db):
    return RuleSet(as_of=D(2026, 12, 1)).term_rules


def contract(loaded, *contracts, status=CT):
    return term_rules.contract_end(contracts=contracts, status=status, rules=loaded)


def probation(loaded, start, end=None, *, status=CS, cls="A1", kind="probation"):
    return term_rules.probation_end(
        probations=[ProbationTerm(7, kind, start, end)], status=status, salary_class=cls, rules=loaded
    )


# --- fixed-term contracts ----------------------------------------------------------------------


def test_contract_end_with_notice_fifteen_days_before(loaded):
    # 31/03/2027 is a Wednesday; 15 days before is Tuesday 16/03/2027, a working day.
    result = contract(loaded, Contract(1, FIXED, D(2026, 4, 1), D(2027, 3, 31)))
    assert result.kind == term_rules.CONTRACT_END
    assert result.due_date == D(2027, 3, 31)
    assert result.deadlines["notice"] == D(2027, 3, 16)
    assert result.inputs["notice"]["days"] == 15
    assert result.inputs["notice"]["moved_from"] is None
    assert result.rule_ids == [f"EndNotice:{EndNotice.objects.get(kind='contract_end').pk}"]


def test_contract_ending_on_a_weekend_keeps_its_end_but_the_notice_falls_back_from_new_year(loaded):
    # The contract ends on Saturday 16/01/2027: the end is the contract's, not moved. 15 days
    # before is Friday 01/01/2027 (New Year's Day, a public holiday): the notice falls back to
    # Thursday 31/12/2026.
    assert D(2027, 1, 16).weekday() == 5
    assert not is_working_day(D(2027, 1, 1))
    result = contract(loaded, Contract(1, FIXED, D(2026, 1, 17), D(2027, 1, 16)))
    assert result.due_date == D(2027, 1, 16)
    assert result.deadlines["notice"] == D(2026, 12, 31)
    assert result.inputs["notice"]["moved_from"] == "2027-01-01"


def test_contract_notice_on_a_sunday_falls_back_to_friday(loaded):
    # End Monday 15/03/2027; 15 days before is Sunday 28/02/2027 → Friday 26/02/2027.
    assert D(2027, 2, 28).weekday() == 6
    result = contract(loaded, Contract(1, FIXED, D(2026, 3, 16), D(2027, 3, 15)))
    assert result.deadlines["notice"] == D(2027, 2, 26)


def test_the_current_contract_is_the_latest_one_and_an_indefinite_one_ends_nothing(loaded):
    old = Contract(1, FIXED, D(2024, 1, 1), D(2024, 12, 31))
    new = Contract(2, FIXED, D(2025, 1, 1), D(2026, 12, 31))
    assert contract(loaded, new, old).due_date == D(2026, 12, 31)
    assert contract(loaded, old, new, Contract(3, INDEFINITE, D(2027, 1, 1), None)) is None


def test_contract_end_only_for_contract_workers(loaded):
    # A former contract worker now recruited as a civil servant: the old contract ends nothing.
    assert contract(loaded, Contract(1, FIXED, D(2024, 1, 1), D(2027, 6, 30)), status=CS) is None


def test_fixed_term_contract_without_an_end_cannot_be_computed(loaded):
    result = contract(loaded, Contract(9, FIXED, D(2024, 1, 1), None))
    assert result.kind == rules.CANNOT_COMPUTE
    assert result.about == term_rules.CONTRACT_END
    assert result.inputs == {"contract": 9}


# --- probation ---------------------------------------------------------------------------------


def test_civil_servant_class_c_twelve_months_across_a_leap_february(loaded):
    # Starts 01/03/2024, 12 months: the day before 01/03/2025 is 28/02/2025. 30 days before is
    # 29/01/2025, the first day of Tết (holiday 25/01–02/02/2025): the notice falls back to
    # Friday 24/01/2025.
    result = probation(loaded, D(2024, 3, 1))
    assert result.kind == term_rules.PROBATION_END
    assert result.due_date == D(2025, 2, 28)
    assert result.inputs["length"]["months"] == 12
    assert result.inputs["explicit_end"] is False
    assert result.deadlines["notice"] == D(2025, 1, 24)
    assert result.inputs["notice"]["moved_from"] == "2025-01-29"


def test_civil_servant_class_d_six_months_ends_on_the_29th_of_february(loaded):
    # Starts 31/08/2023, 6 months: 30/08/2023 + 6 months = 29/02/2024 (leap year).
    result = probation(loaded, D(2023, 8, 31), cls="A0")
    assert result.due_date == D(2024, 2, 29)
    assert result.inputs["length"]["months"] == 6


def test_probation_started_on_the_31st_ends_at_the_month_end(loaded):
    # Public employee, college level (A0), 9 months from 31/01/2025: 30/01/2025 + 9 months =
    # 30/10/2025.
    assert probation(loaded, D(2025, 1, 31), status=PE, cls="A0").due_date == D(2025, 10, 30)
    # Public employee, university level (A1), 12 months from 01/09/2023 → 31/08/2024.
    assert probation(loaded, D(2023, 9, 1), status=PE, cls="A1").due_date == D(2024, 8, 31)
    # Intermediate level (B), 6 months from 31/03/2022: 30/03 + 6 months = 30/09/2022.
    assert probation(loaded, D(2022, 3, 31), status=PE, cls="B").due_date == D(2022, 9, 30)


def test_contract_worker_trial_in_days(loaded):
    # Thử việc, intermediate level: 30 days from 02/11/2026 → 01/12/2026; notice 5 days before:
    # Thursday 26/11/2026.
    result = probation(loaded, D(2026, 11, 2), status=CT, cls="B", kind="trial")
    assert result.due_date == D(2026, 12, 1)
    assert result.inputs["length"] == {"months": 0, "days": 30, "rule": result.rule_ids[0]}
    assert result.deadlines["notice"] == D(2026, 11, 26)


def test_an_explicit_end_is_used_and_the_length_rule_is_not(loaded):
    result = probation(loaded, D(2024, 3, 1), D(2024, 11, 15))
    assert result.due_date == D(2024, 11, 15)
    assert result.inputs["explicit_end"] is True
    assert "length" not in result.inputs
    assert not any(r.startswith("ProbationLength:") for r in result.rule_ids)


def test_civil_servant_probation_from_july_2025_has_no_length_rule(loaded):
    # The rows for công chức end on 30/06/2025 (Law 80/2025): a probation starting later without
    # an end on file cannot be computed, and says why; with its end on file it can.
    result = probation(loaded, D(2025, 8, 1))
    assert result.kind == rules.CANNOT_COMPUTE
    assert result.about == term_rules.PROBATION_END
    assert "tập sự" in result.reason
    assert probation(loaded, D(2025, 8, 1), D(2026, 7, 31)).due_date == D(2026, 7, 31)


def test_latest_probation_counts_and_none_without_one(loaded):
    assert term_rules.probation_end(probations=[], status=CS, salary_class="A1", rules=loaded) is None
    result = term_rules.probation_end(
        probations=[ProbationTerm(1, "probation", D(2024, 3, 1), None), ProbationTerm(2, "trial", D(2021, 1, 4), None)],
        status=CS,
        salary_class="A1",
        rules=loaded,
    )
    assert result.inputs["probation"] == 1


def test_a_changed_row_changes_the_result_without_code(db):
    row = ProbationLength.objects.get(status=CS, salary_class="A1")
    row.months = 6
    row.save()
    loaded = RuleSet(as_of=D(2026, 12, 1)).term_rules
    assert probation(loaded, D(2024, 3, 1)).due_date == D(2024, 8, 31)


def test_a_class_without_a_row_uses_the_row_for_any_class(db):
    ProbationLength.objects.create(
        status=CT, salary_class="", months=0, days=6, valid_from=D(2021, 1, 1), legal_source="test"
    )
    loaded = RuleSet(as_of=D(2026, 12, 1)).term_rules
    assert probation(loaded, D(2026, 11, 2), status=CT, cls="C1", kind="trial").due_date == D(2026, 11, 7)
    # A row naming the class wins over the one for any class.
    assert probation(loaded, D(2026, 11, 2), status=CT, cls="B", kind="trial").due_date == D(2026, 12, 1)
