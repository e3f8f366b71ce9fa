"""The due-date rules as pure functions: no database, no clock. Each takes the person's inputs
and the rule rows in force (plain values, loaded by duedates.services from duedates.models) and
returns a Result that carries every input that produced the date, so a page can explain it.

Sources (kept beside each rule row too, in the `legal_source` of the rows):
- retirement: Labour Code 2019 Art. 169, Decree 135/2020/NĐ-CP Art. 3, 4 and Appendix I; the
  per-person decisions: Art. 169(3)/(4), Decree 135/2020 Art. 5 (Appendix II), Art. 6, Decree
  170/2025/NĐ-CP Art. 61(3), Decree 178/2024/NĐ-CP;
- regular salary step and extensions: Circular 08/2013/TT-BNV as amended by 03/2021/TT-BNV;
- beyond-last-step allowance: Decree 204/2004/NĐ-CP Art. 6, Circular 04/2005/TT-BNV as amended
  by 03/2021/TT-BNV.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from workdays.calendar import add_months, working_days_between

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

# Per-person retirement decisions (records.RetirementDecision.Kind values).
LOWER_AGE, HIGHER_AGE = "lower_age", "higher_age"
POSTPONEMENT, EARLY_RETIREMENT = "postponement", "early_retirement"

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
class OverrideLimit(Row):
    """The most months a retirement decision of `kind` may move the age or the moment; the
    validity dates apply to the decision's date. `ground` "" covers every ground of the kind."""

    kind: str
    ground: str
    max_months: int


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
    override_limits: tuple = ()
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


@dataclass(frozen=True)
class RetirementDecision:
    """A dated decision of records.RetirementDecision, as the rule reads it."""

    id: int | None
    kind: str
    months: int | None = None  # lower / higher age, postponement
    retire_from: datetime.date | None = None  # early retirement: the first day in retirement
    ground: str = ""  # postponement: a / b / c of Decree 170/2025 Art. 61(3)
    number: str = ""
    date: datetime.date | None = None
    legal_basis: str = ""
    annulled: bool = False


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


def _retirement_month(rules: Rules, sex: str, birth_index: int, shift: int):
    """(index, age row) of the first month whose age in whole months since the birth month reaches
    the age for the month's own calendar year plus `shift` months (negative: a lower age, as
    Decree 135/2020 Appendix II is Appendix I five years earlier), or (None, None). Depends on
    the rows only, so kept in rules.memo (a refresh asks it once per sex, birth month and shift)."""
    key = (RETIREMENT, sex, birth_index, shift)
    if key in rules.memo:
        return rules.memo[key]
    rows = [r for r in rules.retirement_ages if r.sex == sex]
    found = (None, None)
    index = birth_index + min(r.age_months for r in rows) + shift
    for _step in range(600):  # 50 years of months: beyond any roadmap
        year, month0 = divmod(index, 12)
        row = _age_row(rows, sex, datetime.date(year, month0 + 1, 1))
        if row is not None and index - birth_index >= row.age_months + shift:
            found = (index, row)
            break
        index += 1
    rules.memo[key] = found
    return found


def _month_end_of(index: int) -> datetime.date:
    year, month0 = divmod(index, 12)
    return month_end(year, month0 + 1)


def override_limit(rows, kind: str, ground: str, on: datetime.date) -> OverrideLimit | None:
    """The limit row for a decision of `kind` (and `ground`) dated `on`: one for the ground
    itself before one for every ground; the latest in force."""
    for wanted in (ground, ""):
        candidates = [r for r in rows if r.kind == kind and r.ground == wanted and r.in_force(on)]
        if candidates:
            return max(candidates, key=lambda r: r.valid_from)
    return None


def decision_problem(decision: RetirementDecision, rows) -> tuple[str | None, OverrideLimit | None]:
    """(what is wrong with the decision's months against the limit rows, the row used)."""
    if decision.kind == EARLY_RETIREMENT:
        return None, None  # Decree 178/2024 sets a date, not a number of months
    if decision.date is None:
        return _("Quyết định chưa ghi ngày quyết định."), None
    row = override_limit(rows, decision.kind, decision.ground, decision.date)
    if row is None:
        return _("Chưa có quy định số tháng tối đa cho loại quyết định này vào ngày %(date)s.") % {
            "date": decision.date.strftime("%d/%m/%Y")
        }, None
    if (decision.months or 0) > row.max_months:
        return _("Số tháng %(months)s vượt mức tối đa %(max)s tháng của loại quyết định này.") % {
            "months": decision.months,
            "max": row.max_months,
        }, row
    return None, row


def _decision_input(d: RetirementDecision, **extra) -> dict:
    return {
        "id": d.id,
        "kind": d.kind,
        "months": d.months,
        "retire_from": _iso(d.retire_from),
        "ground": d.ground,
        "number": d.number,
        "date": _iso(d.date),
        "legal_basis": d.legal_basis,
        **extra,
    }


def _choose_decisions(decisions, on) -> tuple[dict, list]:
    """The decisions that apply, by what they change ("age", "postponement", "early"), and the
    others with why not. Annulled ones and, when `on` is given, those dated after it do not count.
    Of several age decisions (lower or higher) or early retirements the latest replaces the earlier
    ones; of several postponements only the longest counts (Decree 170/2025 Art. 61(3) lists
    alternative grounds; our reading, with laodong.vn's summary, is that they do not add up)."""
    chosen: dict = {}
    ignored = []
    group = {LOWER_AGE: "age", HIGHER_AGE: "age", POSTPONEMENT: "postponement", EARLY_RETIREMENT: "early"}
    for d in sorted(decisions, key=lambda d: (d.date or datetime.date.min, d.id or 0)):
        if d.kind not in group:
            continue
        if d.annulled:
            ignored.append(_decision_input(d, why="annulled"))
            continue
        if on is not None and (d.date is None or d.date > on):
            ignored.append(_decision_input(d, why="not_in_force"))
            continue
        key = group[d.kind]
        previous = chosen.get(key)
        if previous is not None:
            if key == "postponement" and (previous.months or 0) >= (d.months or 0):
                ignored.append(_decision_input(d, why="shorter"))
                continue
            ignored.append(_decision_input(previous, why="shorter" if key == "postponement" else "superseded"))
        chosen[key] = d
    if "early" in chosen and "postponement" in chosen:
        ignored.append(_decision_input(chosen.pop("postponement"), why="early"))
    return chosen, ignored


def retirement(
    *, born, precision: str, sex: str, status: str, rules: Rules, decisions=(), on: datetime.date | None = None
) -> Result:
    """The retirement: the month M, the moment (the end of M's last day), the pension start (the
    1st of M+1), and the notice and decision deadlines.

    M is the first month in which the person's age in whole months since the birth month reaches
    the age for M's own calendar year (Decree 135/2020 Appendix I tabulates exactly this). With a
    roadmap that rises 3 or 4 months a year, nobody then retires in January–March (men) or
    January–April (women); someone who reached 60/55 during 2020 retired in 2020 (old code).

    The person's decisions in force on `on` (records.RetirementDecision) then apply: a lower or
    higher age moves the age of every year by its months ("so với tuổi nghỉ hưu … tại thời điểm
    nghỉ hưu": Appendix II is Appendix I five years earlier, so the same first-month rule with
    the reduced age of M's own year); a postponement moves the moment by its months; an early
    retirement (Decree 178/2024) sets the moment to the day before its date, while the inputs
    keep the statutory moment, the baseline of the benefits. The notice and decision deadlines
    follow the age (with a lower / higher age), not a postponement, decided once the retirement
    is under way; an early retirement has none, being decided already (our reading; DOMAIN.md is
    silent)."""
    if born is None:
        return cannot(RETIREMENT, _("Chưa có ngày sinh."))
    if not any(r.sex == sex for r in rules.retirement_ages):
        return cannot(RETIREMENT, _("Chưa có quy định tuổi nghỉ hưu cho giới tính này."))
    birth = effective_birth(born, precision)
    birth_index = birth.year * 12 + birth.month - 1
    chosen, ignored = _choose_decisions(decisions, on)
    applied = _applied_decisions(chosen, rules)
    if isinstance(applied, Result):
        return applied
    applied, limit_ids = applied
    age_decision = chosen.get("age")
    shift = 0
    if age_decision is not None:
        shift = age_decision.months if age_decision.kind == HIGHER_AGE else -age_decision.months
    statutory_index, statutory_row = _retirement_month(rules, sex, birth_index, 0)
    index, row = _retirement_month(rules, sex, birth_index, shift)
    if statutory_index is None or index is None:
        return cannot(RETIREMENT, _("Không xác định được tháng nghỉ hưu theo lộ trình hiện có."))
    moved = _moved_moment(chosen, index)
    if isinstance(moved, Result):
        return moved
    moment, postponed, months_early = moved
    year, month0 = divmod(index, 12)
    age = index - birth_index
    deadlines, lead_inputs, lead_ids = _lead_deadlines(rules, status, index)
    if months_early is not None:
        # The retirement is decided already (Decree 178/2024): no notice or decision to issue.
        deadlines, lead_inputs, lead_ids = {}, {}, []
    inputs = {
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
    }
    rule_ids = [_rid(row), *limit_ids, *lead_ids]
    if applied or ignored:
        s_age = statutory_index - birth_index
        s_year, s_month0 = divmod(statutory_index, 12)
        inputs |= {
            "decisions": applied,
            "decisions_ignored": ignored,
            "age_shift_months": shift,
            "postponed_months": postponed,
            "months_early": months_early,
            "age_moment": _iso(_month_end_of(index)),
            "statutory": {
                "month": f"{s_year:04d}-{s_month0 + 1:02d}",
                "age_years": s_age // 12,
                "age_months": s_age % 12,
                "moment": _iso(_month_end_of(statutory_index)),
                "age_rule": _rid(statutory_row),
            },
        }
        if _rid(statutory_row) not in rule_ids:
            rule_ids.append(_rid(statutory_row))
    return Result(
        RETIREMENT,
        due_date=moment,
        deadlines={"pension_start": moment + datetime.timedelta(days=1), **deadlines},
        rule_ids=rule_ids,
        inputs=inputs,
    )


def _applied_decisions(chosen: dict, rules: Rules):
    """([the decisions applied, with their limit], [the limit rows' ids]), or a Result saying
    the date cannot be computed when a decision exceeds the limit rows (or has none)."""
    applied, rule_ids = [], []
    for key in ("age", "postponement", "early"):
        if key not in chosen:
            continue
        problem, limit = decision_problem(chosen[key], rules.override_limits)
        if problem:
            return cannot(
                RETIREMENT,
                _("Quyết định %(number)s: %(problem)s") % {"number": chosen[key].number or "—", "problem": problem},
                decision=chosen[key].id,
            )
        if limit is not None:
            rule_ids.append(_rid(limit))
        applied.append(_decision_input(chosen[key], limit_months=limit.max_months if limit else None))
    return applied, rule_ids


def _moved_moment(chosen: dict, index: int):
    """(the moment, the months postponed, the months of early retirement) from the month `index`
    the age reaches, or a Result when an early retirement is not before it."""
    age_moment = _month_end_of(index)
    postponed = chosen["postponement"].months if "postponement" in chosen else 0
    early = chosen.get("early")
    if early is None:
        return _month_end_of(index + postponed), postponed, None
    if early.retire_from is None or early.retire_from > age_moment:
        return cannot(
            RETIREMENT,
            _("Quyết định %(number)s: ngày nghỉ hưu trước tuổi không sớm hơn thời điểm nghỉ hưu theo quy định.")
            % {"number": early.number or "—"},
            decision=early.id,
        )
    # Calendar months from the month of the first day in retirement to the statutory pension
    # start's month (the benefits of Decree 178/2024 count the time before the statutory age).
    months_early = index + 1 - (early.retire_from.year * 12 + early.retire_from.month - 1)
    # The decision's date is the first day in retirement (the pension's start); the moment is the
    # end of the day before, as the statutory moment is the end of M's last day. Our reading of
    # "nghỉ hưu từ ngày …" in the decisions made under Decree 178/2024.
    return early.retire_from - datetime.timedelta(days=1), 0, months_early


def _lead_deadlines(rules: Rules, status: str, index: int) -> tuple[dict, dict, list]:
    """The notice and decision deadlines before the month `index`: (dates, inputs, rule ids),
    fresh containers for the caller; worked out once per status and month (rules.memo)."""
    key = ("lead_times", status, index)
    if key not in rules.memo:
        deadlines, lead_inputs, rule_ids = {}, {}, []
        for kind in ("notice", "decision"):
            # "At least N months before the moment": the end of the month N months before M. The
            # row in force on that day decides (công chức: Decree 170/2025 from 2025-07-01).
            for lead in sorted(rules.lead_times, key=lambda r: r.valid_from, reverse=True):
                if lead.kind == kind and lead.status == status:
                    y, m0 = divmod(index - lead.months, 12)
                    candidate = month_end(y, m0 + 1)
                    if lead.in_force(candidate):
                        deadlines[kind] = candidate
                        rule_ids.append(_rid(lead))
                        lead_inputs[kind] = {"months": lead.months, "rule": _rid(lead)}
                        break
        rules.memo[key] = (deadlines, lead_inputs, rule_ids)
    deadlines, lead_inputs, rule_ids = rules.memo[key]
    return dict(deadlines), {kind: dict(value) for kind, value in lead_inputs.items()}, list(rule_ids)


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


def _weigh_extensions(entries, *, start, due, status, rules: Rules) -> tuple[list, list, list]:
    """(counted, not counted with why, rule ids) of the sanctions and poor years `entries`, each
    (item to record, kind, effective day, annulled), for a holding period [start, due)."""
    counted, excluded, rule_ids = [], [], []
    for item, kind, on, annulled in entries:
        within = on is not None and start <= on < due
        row = _extension_row(rules.extensions, kind, status, on) if within and not annulled else None
        if row is None:
            excluded.append({**item, "why": "annulled" if annulled else "outside" if not within else "no_rule"})
            continue
        counted.append({**item, "months": row.months, "rule": _rid(row)})
        rule_ids.append(_rid(row))
    return counted, excluded, rule_ids


def extended_due(
    *, start, months, status, sanctions=(), poor_years=(), periods=(), rules: Rules
) -> tuple[datetime.date, dict, list]:
    """`start` + `months` months, delayed by the extensions effective in [start, due) and by the
    time not counted in it. The due date moves as extensions add up, and a sanction effective
    after the first due date but before the delayed one still falls within the holding of the
    step (the person still holds it): computed to a fixed point."""
    entries = [
        ({"id": s.id, "kind": s.form, "date": _iso(s.effective_date)}, s.form, s.effective_date, s.annulled)
        for s in sorted(sanctions, key=lambda s: (s.effective_date or datetime.date.min, s.id or 0))
    ]
    for year in sorted(poor_years):
        # A year's rating is dated at the year's end (the rating is made then); it counts when
        # that day falls in [start, due). DOMAIN.md gives no date for a rating: our reading.
        rated = datetime.date(year, 12, 31)
        item = {"id": None, "kind": POOR_RATING, "date": _iso(rated), "year": year}
        entries.append((item, POOR_RATING, rated, False))
    due = add_months(start, months)
    for _round in range(100):
        counted, excluded, rule_ids = _weigh_extensions(entries, start=start, due=due, status=status, rules=rules)
        extra = sum(c["months"] for c in counted)
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


def holding_row(rows, salary_class: str, on: datetime.date) -> HoldingPeriod | None:
    """The holding-period rule of a salary class in force on `on` (the newest that applies)."""
    candidates = [r for r in rows if r.salary_class == salary_class and r.in_force(on)]
    return max(candidates, key=lambda r: r.valid_from, default=None)


def _check_inputs(about, *, step_start, salary_class, sanctions, periods, rules):
    if step_start is None:
        return cannot(about, _("Chưa có ngày hưởng bậc lương hiện hưởng."))
    if not salary_class:
        return cannot(about, _("Mã ngạch chưa có trong bảng lương (không xác định được nhóm ngạch)."))
    if holding_row(rules.holding_periods, salary_class, step_start) is None:
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
    holding = holding_row(rules.holding_periods, salary_class, step_start)
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
    holding = holding_row(rules.holding_periods, salary_class, step_start)
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


def compute(person: dict, rules: Rules, *, on: datetime.date | None = None) -> list[Result]:
    """Every result for one person's inputs (duedates.services.person_inputs builds them), with
    the decisions in force on `on` (the day the lists are computed for)."""
    results = [
        retirement(
            born=person["born"],
            precision=person["precision"],
            sex=person["sex"],
            status=person["status"],
            rules=rules,
            decisions=person.get("retirement_decisions", ()),
            on=on,
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
