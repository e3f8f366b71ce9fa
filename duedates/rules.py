"""The due-date rules as pure functions: no database, no clock. Each takes the person's inputs
and the rule rows in force (plain values, loaded by duedates.services from duedates.models) and
returns a Result that carries every input that produced the date, so a page can explain it.

Sources (kept beside each rule row too, in the `legal_source` of the rows):
- retirement: Labour Code 2019 Art. 169, Decree 135/2020/NĐ-CP Art. 3, 4 and Appendix I;
- regular salary step and extensions: Circular 08/2013/TT-BNV as amended by 03/2021/TT-BNV;
- beyond-last-step allowance: Decree 204/2004/NĐ-CP Art. 6, Circular 04/2005/TT-BNV as amended
  by 03/2021/TT-BNV.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from workdays.calendar import working_days_between

# What a result is about (DueItem.Kind has the same values).
RETIREMENT = "retirement"
SALARY_STEP = "salary_step"
BEYOND_LAST_STEP = "beyond_last_step"
CANNOT_COMPUTE = "cannot_compute"

# Staff statuses (records.Employee.EmploymentStatus values).
CIVIL_SERVANT, PUBLIC_EMPLOYEE, CONTRACT = "civil_servant", "public_employee", "contract"

# Extension kinds: the sanction forms of records.Discipline.Form, and a year rated
# "không hoàn thành nhiệm vụ".
POOR_RATING = "poor_rating"

# Birth-date precision (records.Employee.BirthDatePrecision values).
DAY, MONTH, YEAR = "day", "month", "year"

# Non-counted time: a leftover of this many working days or more counts as one month.
LEFTOVER_WORKING_DAYS_FOR_A_MONTH = 11


# ---------------------------------------------------------------------------------------------
# Rule rows as the functions see them (duedates.models.*.as_rule() builds them)


@dataclass(frozen=True)
class Row:
    id: int
    valid_from: datetime.date
    valid_to: datetime.date | None

    def in_force(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class RetirementAge(Row):
    sex: str
    from_year: int  # the age applies to calendar years from this one until the next row's
    years: int
    months: int

    @property
    def age_months(self) -> int:
        return self.years * 12 + self.months


@dataclass(frozen=True)
class LeadTime(Row):
    kind: str  # "notice" or "decision"
    status: str
    months: int


@dataclass(frozen=True)
class HoldingPeriod(Row):
    salary_class: str
    months: int
    beyond_last_step: bool  # senior experts get no beyond-last-step allowance


@dataclass(frozen=True)
class Extension(Row):
    kind: str  # a sanction form or POOR_RATING
    status: str
    months: int


@dataclass(frozen=True)
class BeyondRule(Row):
    first_percent: int
    increment_percent: int
    increment_months: int


@dataclass(frozen=True)
class Rules:
    retirement_ages: tuple = ()
    lead_times: tuple = ()
    holding_periods: tuple = ()
    extensions: tuple = ()
    beyond: tuple = ()
    # What the rows alone decide, kept for the next person (the retirement month of a birth
    # month, the deadlines of a month): a refresh asks the same questions of 100,000 people.
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)


# ---------------------------------------------------------------------------------------------
# A person's inputs


@dataclass(frozen=True)
class Sanction:
    id: int | None
    form: str
    effective_date: datetime.date | None
    annulled: bool = False


@dataclass(frozen=True)
class NonCounted:
    id: int | None
    kind: str
    start: datetime.date
    end: datetime.date | None  # None: still running
    leftover_working_days: int | None = None  # as the decision counts them; None: Monday–Friday


@dataclass
class Result:
    kind: str
    due_date: datetime.date | None = None
    deadlines: dict = field(default_factory=dict)  # name -> date
    inputs: dict = field(default_factory=dict)
    rule_ids: list = field(default_factory=list)  # "model:id"
    reason: str = ""  # why it cannot be computed
    about: str = ""  # for CANNOT_COMPUTE: which computation failed


def cannot(about: str, reason: str, **inputs) -> Result:
    return Result(CANNOT_COMPUTE, reason=reason, about=about, inputs=inputs)


# ---------------------------------------------------------------------------------------------
# Dates


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` months to the exact day; the month's last day where that day does not
    exist (31 Jan + 1 month = 28/29 Feb). Always add to the original date, never step by step."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def count_working_days(start: datetime.date, end: datetime.date) -> int:
    """Working days from `start` to `end`, both included, by the Vietnamese working-day calendar
    (workdays: weekends, public holidays and Tết, declared days off and make-up days)."""
    if end < start:
        return 0
    return working_days_between(start - datetime.timedelta(days=1), end)


def effective_birth(born: datetime.date, precision: str) -> datetime.date:
    """The birth date the rules use: year only → 1 January (Decree 135/2020 Art. 3(3)); month
    without day → the 1st (Decree 158/2025 Art. 12(2))."""
    if precision == YEAR:
        return datetime.date(born.year, 1, 1)
    if precision == MONTH:
        return born.replace(day=1)
    return born


def _iso(day):
    return day.isoformat() if day else None


def _rid(row) -> str:
    return f"{type(row).__name__}:{row.id}"


# ---------------------------------------------------------------------------------------------
# Retirement


def _age_row(rows, sex: str, month_start: datetime.date) -> RetirementAge | None:
    """The age for the calendar year of `month_start`: among the rows for `sex` in force on that
    day, the one with the latest `from_year` not after the year."""
    best = None
    for row in rows:
        if row.sex == sex and row.from_year <= month_start.year and row.in_force(month_start):
            if best is None or (row.from_year, row.valid_from) > (best.from_year, best.valid_from):
                best = row
    return best


def _lead_time(rows, kind: str, status: str, on: datetime.date) -> LeadTime | None:
    candidates = [r for r in rows if r.kind == kind and r.status == status and r.in_force(on)]
    return max(candidates, key=lambda r: r.valid_from, default=None)


def _retirement_month(rules: Rules, sex: str, birth_index: int) -> tuple[int, RetirementAge] | None:
    """(M as year * 12 + month - 1, the age row that decides it) for people of `sex` born in the
    month `birth_index` (same form); None when no month within 50 years reaches the age. Depends
    on the rows only, so kept in rules.memo."""
    key = (RETIREMENT, sex, birth_index)
    if key in rules.memo:
        return rules.memo[key]
    rows = [r for r in rules.retirement_ages if r.sex == sex]
    found = None
    index = birth_index + min(r.age_months for r in rows)
    for _step in range(600):  # 50 years of months: beyond any roadmap
        year, month0 = divmod(index, 12)
        row = _age_row(rows, sex, datetime.date(year, month0 + 1, 1))
        if row is not None and index - birth_index >= row.age_months:
            found = (index, row)
            break
        index += 1
    rules.memo[key] = found
    return found


def _lead_deadlines(rules: Rules, status: str, index: int) -> tuple:
    """((kind, lead time row, deadline), …) of the notice and the decision for a retirement in
    the month `index` (year * 12 + month - 1); kept in rules.memo."""
    key = ("lead_times", status, index)
    if key in rules.memo:
        return rules.memo[key]
    found = []
    newest_first = sorted(rules.lead_times, key=lambda r: r.valid_from, reverse=True)
    for kind in ("notice", "decision"):
        # "At least N months before the moment": the end of the month N months before M. The row
        # in force on that day decides (công chức: Decree 170/2025 from 2025-07-01).
        for lead in newest_first:
            if lead.kind == kind and lead.status == status:
                y, m0 = divmod(index - lead.months, 12)
                candidate = month_end(y, m0 + 1)
                if lead.in_force(candidate):
                    found.append((kind, lead, candidate))
                    break
    rules.memo[key] = found = tuple(found)
    return found


def retirement(*, born, precision: str, sex: str, status: str, rules: Rules) -> Result:
    """The statutory retirement: the month M, the moment (the end of M's last day), the pension
    start (the 1st of M+1), and the notice and decision deadlines.

    M is the first month in which the person's age in whole months since the birth month reaches
    the age for M's own calendar year (Decree 135/2020 Appendix I tabulates exactly this). With a
    roadmap that rises 3 or 4 months a year, nobody then retires in January–March (men) or
    January–April (women); someone who reached 60/55 during 2020 retired in 2020 (old code)."""
    if born is None:
        return cannot(RETIREMENT, _("Chưa có ngày sinh."))
    if not any(r.sex == sex for r in rules.retirement_ages):
        return cannot(RETIREMENT, _("Chưa có quy định tuổi nghỉ hưu cho giới tính này."))
    birth = effective_birth(born, precision)
    birth_index = birth.year * 12 + birth.month - 1
    found = _retirement_month(rules, sex, birth_index)
    if found is None:
        return cannot(RETIREMENT, _("Không xác định được tháng nghỉ hưu theo lộ trình hiện có."))
    index, row = found
    year, month0 = divmod(index, 12)
    moment = month_end(year, month0 + 1)
    pension = moment + datetime.timedelta(days=1)
    age = index - birth_index
    rule_ids = [_rid(row)]
    deadlines = {}
    lead_inputs = {}
    for kind, lead, day in _lead_deadlines(rules, status, index):
        deadlines[kind] = day
        rule_ids.append(_rid(lead))
        lead_inputs[kind] = {"months": lead.months, "rule": _rid(lead)}
    return Result(
        RETIREMENT,
        due_date=moment,
        deadlines={"pension_start": pension, **deadlines},
        rule_ids=rule_ids,
        inputs={
            "born": _iso(born),
            "precision": precision,
            "birth_used": _iso(birth),
            "sex": sex,
            "status": status,
            "age_years": age // 12,
            "age_months": age % 12,
            "month": f"{year:04d}-{month0 + 1:02d}",
            "age_rule": _rid(row),
            "lead_times": lead_inputs,
        },
    )


# ---------------------------------------------------------------------------------------------
# Holding periods, extensions and non-counted time


def non_counted_months(periods, *, start: datetime.date, until: datetime.date) -> dict:
    """Time not counted within [start, until): each period clipped to it, summed in whole months;
    the leftover days (as working days) summed, and 11 working days or more count as one month.
    (TT 08/2013 as amended: DOMAIN.md reads the leftover once, after summing, as done here.)"""
    whole = 0
    leftover = 0
    used = []
    last = until - datetime.timedelta(days=1)
    for p in periods:
        begin = max(p.start, start)
        end = min(p.end, last)
        if end < begin:
            continue
        clipped = (begin, end) != (p.start, p.end)
        months = 0
        while add_months(begin, months + 1) <= end + datetime.timedelta(days=1):
            months += 1
        rest_start = add_months(begin, months)
        if rest_start > end:
            days = 0
        elif p.leftover_working_days is not None and not clipped:
            days = p.leftover_working_days
        else:
            days = count_working_days(rest_start, end)
        whole += months
        leftover += days
        used.append(
            {
                "id": p.id,
                "kind": p.kind,
                "start": _iso(begin),
                "end": _iso(end),
                "whole_months": months,
                "leftover_working_days": days,
            }
        )
    extra = 1 if leftover >= LEFTOVER_WORKING_DAYS_FOR_A_MONTH else 0
    return {"months": whole + extra, "whole_months": whole, "leftover_working_days": leftover, "periods": used}


def _extension_row(rows, kind: str, status: str, on: datetime.date) -> Extension | None:
    candidates = [r for r in rows if r.kind == kind and r.status == status and r.in_force(on)]
    return max(candidates, key=lambda r: r.valid_from, default=None)


def extended_due(
    *, start, months, status, sanctions=(), poor_years=(), periods=(), rules: Rules
) -> tuple[datetime.date, dict, list]:
    """`start` + `months` months, delayed by the extensions effective in [start, due) and by the
    time not counted in it. The due date moves as extensions add up, and a sanction effective
    after the first due date but before the delayed one still falls within the holding of the
    step (the person still holds it): computed to a fixed point."""
    due = add_months(start, months)
    for _round in range(100):
        counted, excluded, extra, rule_ids = [], [], 0, []
        for s in sorted(sanctions, key=lambda s: (s.effective_date or datetime.date.min, s.id or 0)):
            item = {"id": s.id, "kind": s.form, "date": _iso(s.effective_date)}
            if s.annulled:
                excluded.append({**item, "why": "annulled"})
                continue
            if not start <= s.effective_date < due:
                excluded.append({**item, "why": "outside"})
                continue
            row = _extension_row(rules.extensions, s.form, status, s.effective_date)
            if row is None:
                excluded.append({**item, "why": "no_rule"})
                continue
            extra += row.months
            counted.append({**item, "months": row.months, "rule": _rid(row)})
            rule_ids.append(_rid(row))
        for year in sorted(poor_years):
            # A year's rating is dated at the year's end (the rating is made then); it counts when
            # that day falls in [start, due). DOMAIN.md gives no date for a rating: our reading.
            rated = datetime.date(year, 12, 31)
            item = {"id": None, "kind": POOR_RATING, "date": _iso(rated), "year": year}
            if not start <= rated < due:
                excluded.append({**item, "why": "outside"})
                continue
            row = _extension_row(rules.extensions, POOR_RATING, status, rated)
            if row is None:
                excluded.append({**item, "why": "no_rule"})
                continue
            extra += row.months
            counted.append({**item, "months": row.months, "rule": _rid(row)})
            rule_ids.append(_rid(row))
        nc = non_counted_months(periods, start=start, until=due)
        new_due = add_months(start, months + extra + nc["months"])
        if new_due == due:
            break
        due = new_due
    inputs = {
        "start": _iso(start),
        "months": months,
        "extensions": counted,
        "not_counted_extensions": excluded,
        "extension_months": extra,
        "non_counted": nc,
    }
    return due, inputs, rule_ids


def _holding_row(rows, salary_class: str, on: datetime.date) -> HoldingPeriod | None:
    candidates = [r for r in rows if r.salary_class == salary_class and r.in_force(on)]
    return max(candidates, key=lambda r: r.valid_from, default=None)


def _check_inputs(about, *, step_start, salary_class, sanctions, periods, rules):
    if step_start is None:
        return cannot(about, _("Chưa có ngày hưởng bậc lương hiện hưởng."))
    if not salary_class:
        return cannot(about, _("Mã ngạch chưa có trong bảng lương (không xác định được nhóm ngạch)."))
    if _holding_row(rules.holding_periods, salary_class, step_start) is None:
        return cannot(
            about,
            _("Nhóm ngạch %(cls)s chưa có quy định thời gian giữ bậc.") % {"cls": salary_class},
            salary_class=salary_class,
        )
    for s in sanctions:
        if s.effective_date is None and not s.annulled:
            return cannot(about, _("Có quyết định kỷ luật chưa ghi ngày có hiệu lực."), discipline=s.id)
    for p in periods:
        if p.end is None and p.start is not None:
            return cannot(
                about, _("Đang trong thời gian không tính nâng bậc lương (chưa có ngày kết thúc)."), period=p.id
            )
    return None


def salary_step(
    *,
    step_start,
    salary_class,
    rank_code="",
    step=None,
    last_step=None,
    status,
    sanctions=(),
    poor_years=(),
    periods=(),
    rules: Rules,
) -> Result | None:
    """The regular step raise due: the date the current step took effect + the class's holding
    period, to the exact day, delayed by extensions and non-counted time. None at the last step
    (the beyond-last-step allowance takes over)."""
    failed = _check_inputs(
        SALARY_STEP, step_start=step_start, salary_class=salary_class, sanctions=sanctions, periods=periods, rules=rules
    )
    if failed:
        return failed
    if step is not None and last_step is not None and step >= last_step:
        return None
    holding = _holding_row(rules.holding_periods, salary_class, step_start)
    due, inputs, rule_ids = extended_due(
        start=step_start,
        months=holding.months,
        status=status,
        sanctions=sanctions,
        poor_years=poor_years,
        periods=periods,
        rules=rules,
    )
    return Result(
        SALARY_STEP,
        due_date=due,
        rule_ids=[_rid(holding), *rule_ids],
        inputs={
            "rank_code": rank_code,
            "salary_class": salary_class,
            "step": step,
            "next_step": step + 1 if step else None,
            "status": status,
            "holding_rule": _rid(holding),
            **inputs,
        },
    )


def beyond_last_step(
    *,
    step_start,
    salary_class,
    rank_code="",
    current_percent=0,
    status,
    sanctions=(),
    poor_years=(),
    periods=(),
    rules: Rules,
) -> Result | None:
    """The beyond-last-step allowance of a person at the rank's last step: first_percent after the
    class's holding period at that step, then +increment_percent every increment_months; each
    increment is delayed by the extensions and non-counted time within its own period, which
    shifts the later ones. The result is the increment after the percentage the file records
    (5% when it records none), so it does not depend on the day it is computed. None for a class
    without the allowance (senior experts)."""
    failed = _check_inputs(
        BEYOND_LAST_STEP,
        step_start=step_start,
        salary_class=salary_class,
        sanctions=sanctions,
        periods=periods,
        rules=rules,
    )
    if failed:
        return failed
    holding = _holding_row(rules.holding_periods, salary_class, step_start)
    if not holding.beyond_last_step:
        return None
    rule = max((r for r in rules.beyond if r.in_force(step_start)), key=lambda r: r.valid_from, default=None)
    if rule is None:
        return cannot(BEYOND_LAST_STEP, _("Chưa có quy định phụ cấp thâm niên vượt khung."))
    kwargs = {"status": status, "sanctions": sanctions, "poor_years": poor_years, "periods": periods, "rules": rules}
    due, first_inputs, rule_ids = extended_due(start=step_start, months=holding.months, **kwargs)
    schedule = [{"percent": rule.first_percent, "date": _iso(due), **_brief(first_inputs)}]
    percent = rule.first_percent
    current = current_percent or 0
    while percent <= current:
        start = due
        due, inputs, more = extended_due(start=start, months=rule.increment_months, **kwargs)
        rule_ids += more
        percent += rule.increment_percent
        schedule.append({"percent": percent, "date": _iso(due), **_brief(inputs)})
    return Result(
        BEYOND_LAST_STEP,
        due_date=due,
        rule_ids=sorted({_rid(holding), _rid(rule), *rule_ids}),
        inputs={
            "rank_code": rank_code,
            "salary_class": salary_class,
            "status": status,
            "last_step_since": _iso(step_start),
            "current_percent": current,
            "next_percent": percent,
            "holding_rule": _rid(holding),
            "beyond_rule": _rid(rule),
            "schedule": schedule,
            **{k: v for k, v in first_inputs.items() if k != "start"},
        },
    )


def _brief(inputs: dict) -> dict:
    return {
        "from": inputs["start"],
        "extension_months": inputs["extension_months"],
        "non_counted_months": inputs["non_counted"]["months"],
        "extensions": inputs["extensions"],
    }


def compute(person: dict, rules: Rules) -> list[Result]:
    """Every result for one person's inputs (duedates.services.person_inputs builds them)."""
    results = [
        retirement(
            born=person["born"],
            precision=person["precision"],
            sex=person["sex"],
            status=person["status"],
            rules=rules,
        )
    ]
    common = {
        "step_start": person["step_start"],
        "salary_class": person["salary_class"],
        "rank_code": person["rank_code"],
        "status": person["status"],
        "sanctions": person["sanctions"],
        "poor_years": person["poor_years"],
        "periods": person["periods"],
        "rules": rules,
    }
    last = person["last_step"]
    if last is not None and person["step"] >= last:
        result = beyond_last_step(current_percent=person["current_percent"], **common)
    else:
        result = salary_step(step=person["step"], last_step=last, **common)
    if result is not None:
        results.append(result)
    return results
