"""The end of a term as pure functions: a fixed-term labour contract's end and a probation's end
(tập sự, thử việc), each with the notice deadline before it. No database, no clock: the rule rows
in force come as plain values (duedates.models.ProbationLength, EndNotice), and each Result
carries every input that produced its date, for the explain page.

Readings of ours (each also beside the rows' sources):
- a probation of N months starting on day S (its first day) ends on the day before the same day N
  months later, or on that month's last day when the day does not exist in it (1 March + 12 months
  → 28 February; 31 August 2023 + 6 months → 29 February 2024): whole months from S, as a period
  in months runs under the Civil Code 2015 Art. 147–148; a length in days ends on S + days − 1;
- the notice deadline is the end minus the row's days; when the row says so and that day is not a
  working day (weekend, holiday, Tết, declared day off), the working day before it. The end itself
  is never moved: the contract or decision fixes it.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workdays.calendar import is_working_day

from .rules import CONTRACT, Result, Row, _iso, _rid, add_months, cannot

# What a result is about (DueItem.Kind has the same values).
CONTRACT_END = "contract_end"
PROBATION_END = "probation_end"

# records.EmploymentContract.Kind values.
FIXED_TERM = "fixed_term"

# The longest a notice deadline is moved back to find a working day (Tết is at most ~9 days off).
_MAX_DAYS_BACK = 31


@dataclass(frozen=True)
class ProbationLength(Row):
    status: str
    salary_class: str  # "" for any class of that status
    months: int
    days: int


@dataclass(frozen=True)
class EndNotice(Row):
    kind: str  # CONTRACT_END or PROBATION_END
    status: str
    days: int
    working_day: bool  # move a deadline that falls on a day off to the working day before


@dataclass(frozen=True)
class TermRules:
    probation_lengths: tuple = ()
    end_notices: tuple = ()


@dataclass(frozen=True)
class Contract:
    id: int | None
    kind: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True)
class ProbationTerm:
    id: int | None
    kind: str
    start: datetime.date
    end: datetime.date | None  # None: computed from the length rule


def probation_last_day(start: datetime.date, *, months: int = 0, days: int = 0) -> datetime.date:
    """The last day of a probation of `months` months and `days` days starting on `start` (the
    start is its first day): the day before the same day `months` later; when that day does not
    exist in the month (a start on the 29th–31st), the month's last day. Then `days` more."""
    end = start
    if months:
        same_day = add_months(start, months)
        end = same_day if same_day.day != start.day else same_day - datetime.timedelta(days=1)
        return end + datetime.timedelta(days=days)
    return end + datetime.timedelta(days=days - 1)


def _latest(terms):
    return max(terms, key=lambda t: (t.start, t.id or 0), default=None)


def _notice_row(rows, kind: str, status: str, on: datetime.date) -> EndNotice | None:
    candidates = [r for r in rows if r.kind == kind and r.status == status and r.in_force(on)]
    return max(candidates, key=lambda r: r.valid_from, default=None)


def notice_deadline(end: datetime.date, *, kind: str, status: str, rules: TermRules):
    """(deadline, inputs, rule) of the notice before `end` by the row in force on `end`; (None,
    {}, None) when no row applies."""
    row = _notice_row(rules.end_notices, kind, status, end)
    if row is None:
        return None, {}, None
    day = end - datetime.timedelta(days=row.days)
    moved_from = None
    if row.working_day and not is_working_day(day):
        moved_from = day
        for _back in range(_MAX_DAYS_BACK):
            day -= datetime.timedelta(days=1)
            if is_working_day(day):
                break
    inputs = {"days": row.days, "rule": _rid(row), "moved_from": _iso(moved_from)}
    return day, inputs, row


def contract_end(*, contracts, status: str, rules: TermRules) -> Result | None:
    """The end of a contract worker's current labour contract (the one starting last) when it is
    fixed-term, with the notice deadline before it. None for anyone else, or an indefinite one."""
    if status != CONTRACT:
        return None
    contract = _latest(contracts)
    if contract is None or contract.kind != FIXED_TERM:
        return None
    if contract.end is None:
        return cannot(CONTRACT_END, _("Hợp đồng xác định thời hạn chưa ghi ngày kết thúc."), contract=contract.id)
    deadline, notice, row = notice_deadline(contract.end, kind=CONTRACT_END, status=status, rules=rules)
    return Result(
        CONTRACT_END,
        due_date=contract.end,
        deadlines={"notice": deadline} if deadline else {},
        rule_ids=[_rid(row)] if row else [],
        inputs={
            "status": status,
            "contract": contract.id,
            "contract_kind": contract.kind,
            "start": _iso(contract.start),
            "end": _iso(contract.end),
            "notice": notice,
        },
    )


def _length_row(rows, status: str, salary_class: str, on: datetime.date) -> ProbationLength | None:
    """The row in force on `on` for the status and the class; a row for any class ("") only when
    none names the class."""
    mine = [r for r in rows if r.status == status and r.in_force(on)]
    exact = [r for r in mine if salary_class and r.salary_class == salary_class]
    chosen = exact or [r for r in mine if r.salary_class == ""]
    return max(chosen, key=lambda r: r.valid_from, default=None)


def probation_end(*, probations, status: str, salary_class: str, rank_code: str = "", rules: TermRules):
    """The end of the person's latest probation: the end the file records, else the start plus
    the length in force on the start for the status and salary class; with the notice deadline
    before it. None without a probation on file."""
    term = _latest(probations)
    if term is None:
        return None
    inputs = {
        "status": status,
        "probation": term.id,
        "probation_kind": term.kind,
        "start": _iso(term.start),
        "rank_code": rank_code,
        "salary_class": salary_class,
        "explicit_end": term.end is not None,
    }
    rule_ids = []
    if term.end is not None:
        end = term.end
    else:
        row = _length_row(rules.probation_lengths, status, salary_class, term.start)
        if row is None:
            return cannot(
                PROBATION_END,
                _("Chưa ghi ngày kết thúc tập sự, thử việc và chưa có quy định thời gian cho nhóm ngạch này."),
                **inputs,
            )
        end = probation_last_day(term.start, months=row.months, days=row.days)
        rule_ids.append(_rid(row))
        inputs["length"] = {"months": row.months, "days": row.days, "rule": _rid(row)}
    deadline, notice, notice_row = notice_deadline(end, kind=PROBATION_END, status=status, rules=rules)
    if notice_row:
        rule_ids.append(_rid(notice_row))
    inputs["end"] = _iso(end)
    inputs["notice"] = notice
    return Result(
        PROBATION_END,
        due_date=end,
        deadlines={"notice": deadline} if deadline else {},
        rule_ids=rule_ids,
        inputs=inputs,
    )


def compute(person: dict, rules: TermRules) -> list[Result]:
    """The term results of one person's inputs (duedates.services.person_inputs builds them)."""
    results = [
        contract_end(contracts=person.get("contracts", ()), status=person["status"], rules=rules),
        probation_end(
            probations=person.get("probations", ()),
            status=person["status"],
            salary_class=person.get("salary_class") or "",
            rank_code=person.get("rank_code") or "",
            rules=rules,
        ),
    ]
    return [r for r in results if r is not None]
