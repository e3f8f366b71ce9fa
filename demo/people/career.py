"""One demo person's career, drawn step by step from a generator seeded by their CCCD:
education, recruitment, the ranks and salary steps, the work history, Party membership."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from records.models import (
    Commendation,
    Discipline,
    Employee,
    EmploymentContract,
    Evaluation,
    FamilyMember,
    NonCountedPeriod,
    Probation,
    RetirementDecision,
    SalaryHistory,
    Training,
    WorkHistory,
)

from ..draws import age_on, between, decision_number, issuer_of, plus_months, plus_years
from ..organisation import APPOINTMENT_AGE, STAFF_POSITION
from ..reference import REFERENCE_DATE, REORGANISATION
from .names import COLLEGES, MAJORS, MALE, UNIVERSITIES
from .personal_file import PersonalFile
from .ranks import CAREER_PATH, ENTRY_AGE, JUNIOR_RANK, MIN_AGE_FOR_SCALE

# Public employees and contract workers born from this day joined recently (the demo's probations).
RECENT_RECRUITS_BORN_FROM = date(1993, 1, 1)


@dataclass
class DemoPerson:
    """One demo employee: the Employee fields (units and positions by code and name) and the
    rows of each sub-record, all consistent with one career."""

    unit_code: str
    position_name: str
    fields: dict
    subrecords: dict = field(default_factory=dict)  # model → list of field dicts

    @property
    def citizen_id(self):
        return self.fields["citizen_id"]


class Career(PersonalFile):
    """Draws one person's career (education, recruitment, ranks, salary, work, Party) and writes
    it out, with the sections of the file PersonalFile draws, as the Employee fields and sub-records."""

    def __init__(
        self, rng, scales, *, full_name, family, born, sex, citizen_id, unit, position, rank, status, entry_jitter
    ):
        self.rng, self.scales = rng, scales
        self.full_name, self.family, self.born, self.sex = full_name, family, born, sex
        self.citizen_id, self.unit, self.position, self.status = citizen_id, unit, position, status
        self.is_leader = bool(position) and position != STAFF_POSITION
        self.age = age_on(born)
        self.target_rank = rank
        self.entry_jitter = entry_jitter

    # The order of the steps matters: each draws from self.rng.
    def build(self):
        self._education()
        self._recruitment()
        self._ranks()
        self._salary()
        self._work()
        self._party_and_mass_organisation()
        self._evaluations_and_awards()
        self.trainings = self._trainings()  # also settles qualification and political theory
        fields = self._fields()
        return DemoPerson(
            unit_code=self.unit.code,
            position_name=self.position,
            fields=fields,
            subrecords={
                WorkHistory: self.work,
                SalaryHistory: self.salary_rows,
                Training: self.trainings,
                Commendation: self.commendations,
                Discipline: self.disciplines,
                Evaluation: self.evaluations,
                FamilyMember: self._family(),
                NonCountedPeriod: self._non_counted(),
                RetirementDecision: self._retirement_decisions(),
                EmploymentContract: self._contracts(),
                Probation: self._probations(),
            },
        )

    # Degree first: recruitment waits for it.
    def _education(self):
        rng = self.rng
        self.military = self.sex == MALE and self.age >= 40 and rng.random() < 0.06
        study_from = self.born.year + (20 if self.military else 18)
        first_group = self.scales.group(CAREER_PATH.get(self.target_rank, (self.target_rank,))[0])
        self.major = rng.choice(MAJORS[self.unit.group])
        if first_group == "B":
            if rng.random() < 0.6:
                years, self.qualification, degree = 3, Employee.Qualification.COLLEGE, "Cao đẳng"
                school = COLLEGES[self.unit.city]
            else:
                years, self.qualification, degree = 2, Employee.Qualification.VOCATIONAL, "Trung cấp"
                school = "Trường Trung cấp Kinh tế – Tài chính"
            certificate = f"Bằng tốt nghiệp {degree.lower()}"
        else:
            years, self.qualification, degree = 4, Employee.Qualification.BACHELOR, "Cử nhân"
            school, certificate = rng.choice(UNIVERSITIES[self.unit.city]), "Bằng cử nhân"
        start = date(study_from, 9, 5)
        self.degree_end = date(study_from + years, 6, 30)
        self.trainings = [
            {
                "kind": Training.Kind.DEGREE,
                "name": f"{degree} {self.major}",
                "institution": school,
                "start_date": start,
                "end_date": self.degree_end,
                "mode": Training.Mode.FULL_TIME,
                "certificate": certificate,
            }
        ]

    def _recruitment(self):
        rng = self.rng
        first_group = self.scales.group(CAREER_PATH.get(self.target_rank, (self.target_rank,))[0])
        entry_age = max(ENTRY_AGE[first_group] + self.entry_jitter, 20 if first_group == "B" else 22)
        recruited = plus_years(self.born, entry_age) + timedelta(days=rng.randrange(250))
        recruited = max(recruited, self.degree_end + timedelta(days=rng.randint(45, 300)))
        self.recruited = min(recruited, plus_months(REFERENCE_DATE, -6))
        if self._recent_recruit():
            # The youngest public employees and contract workers joined in the last months of
            # 2025: the demo's probations (their own generator: the other draws stay as they were).
            days = random.Random(f"recent-{self.citizen_id}").randint(0, 40)
            self.recruited = max(self.recruited, plus_months(REFERENCE_DATE, -6) - timedelta(days=days))
        self.fresh_graduate = (self.recruited - self.degree_end).days < 400

    def _recent_recruit(self) -> bool:
        recent = (Employee.EmploymentStatus.PUBLIC_EMPLOYEE, Employee.EmploymentStatus.CONTRACT)
        return self.status in recent and self.born >= RECENT_RECRUITS_BORN_FROM

    def _ranks(self):
        """The rank path and the day of each promotion; a senior rank the career cannot reach
        in time falls back to its junior rank."""
        rank = self.target_rank
        while True:
            fits = self.age >= MIN_AGE_FOR_SCALE[self.scales.group(rank)]
            path = CAREER_PATH.get(rank, (rank,))
            promotions = self._promotion_days(path) if fits else None
            if promotions is not None or rank not in JUNIOR_RANK:
                break
            rank = JUNIOR_RANK[rank]
        self.rank_path, self.promotions = path, promotions or []

    def _promotion_days(self, path):
        rng, born, last = self.rng, self.born, plus_years(REFERENCE_DATE, -1)
        days = []
        if len(path) >= 2:
            first = max(plus_years(self.recruited, 6), plus_years(born, 30))
            end = min(plus_years(born, 42), last)
            if len(path) == 3:
                end = min(end, plus_years(born, 40), plus_years(REFERENCE_DATE, -7))
            if first > end:
                return None
            days.append(between(rng, first, end))
        if len(path) == 3:
            first = max(plus_years(days[0], 6), plus_years(born, 42))
            end = min(plus_years(born, 52), last)
            if first > end:
                return None
            days.append(between(rng, first, end))
        return days

    def _salary(self):
        """Regular step increases every months_per_step, promotions to the step paying at least
        as much; salaries before the first table are shown converted into it."""
        scales = self.scales
        rank, step, since = self.rank_path[0], 1, self.recruited
        events = [(since, rank, step, "recruit")]
        pending = list(zip(self.promotions, self.rank_path[1:], strict=False))  # no promotions: none pending
        self.rank_changes = [(since, rank)]
        while True:
            info = scales.ranks[rank]
            next_step = plus_months(since, info.months_per_step) if step < info.steps else None
            promotion = pending[0] if pending else None
            if promotion and (next_step is None or promotion[0] <= next_step):
                day, new_rank = pending.pop(0)
                coefficient = scales.coefficient(rank, step, day)
                rank, step, since = new_rank, scales.step_at_least(new_rank, coefficient, day), day
                events.append((day, rank, step, "promote"))
                self.rank_changes.append((day, rank))
            elif next_step and next_step <= REFERENCE_DATE:
                step, since = step + 1, next_step
                events.append((since, rank, step, "step"))
            else:
                break
        info = scales.ranks[rank]
        self.rank, self.step, self.salary_since = rank, step, since
        self.coefficient = scales.coefficient(rank, step, since)
        # Above the top step: 5 % after one more full period, then 1 % a year (vượt khung).
        self.seniority = 0
        if step == info.steps:
            months_at_top = (REFERENCE_DATE.year - since.year) * 12 + REFERENCE_DATE.month - since.month
            if months_at_top >= info.months_per_step:
                self.seniority = min(5 + (months_at_top - info.months_per_step) // 12, 15)

        conversion = scales.first_table_date
        rows, held = [], None
        for day, event_rank, event_step, kind in events:
            if day <= conversion:
                held = (event_rank, event_step)
                continue
            if held:
                rows.append(self._salary_row(conversion, *held, "convert"))
                held = None
            rows.append(self._salary_row(day, event_rank, event_step, kind))
        if held:
            rows.append(self._salary_row(conversion, *held, "convert"))
        self.salary_rows = rows
        self.salary_effective_date = rows[-1]["effective_date"]

    def _salary_row(self, day, rank, step, kind):
        issuer = self._issuer_on(day)
        decided = day if kind == "convert" else max(day - timedelta(days=self.rng.randint(0, 25)), self.recruited)
        return {
            "effective_date": day,
            "rank_code": rank,
            "salary_step": step,
            "salary_coefficient": self.scales.coefficient(rank, step, day),
            "decision_number": decision_number(self.rng, issuer),
            "decision_date": decided,
        }

    def _issuer_on(self, day):
        if day >= self.unit.active_from and day >= REORGANISATION:
            return self.unit.issuer
        return {"tax": "TCT", "treasury": "KBNN", "office": "BTC"}[self.unit.group]

    def _rank_on(self, day):
        rank = self.rank_changes[0][1]
        for since, changed in self.rank_changes:
            if since <= day:
                rank = changed
        return rank

    def _work(self):
        """Consecutive periods from recruitment, the current one open-ended. The order of the
        steps matters: each draws from self.rng."""
        last = plus_months(REFERENCE_DATE, -6)
        joined = self._joined(last)
        # (start, organisation, title); a title of None means "the rank held then"
        periods = self._periods_before(joined, last)
        if self.is_leader:
            self._leader_periods(periods, joined, last)
        else:
            periods.append((joined, self.unit.name, STAFF_POSITION if self.position else None))
        self.recruiting_agency = periods[0][1]
        self.work = []
        for i, (start, organisation, title) in enumerate(periods):
            end = periods[i + 1][0] - timedelta(days=1) if i + 1 < len(periods) else None
            issuer = issuer_of(organisation) if organisation != self.unit.name else self._issuer_on(start)
            self.work.append(
                {
                    "start_date": start,
                    "end_date": end,
                    "organisation": organisation,
                    "title": title or self.scales.ranks[self._rank_on(start)].name,
                    "decision_number": decision_number(self.rng, issuer),
                    "decision_date": start - timedelta(days=self.rng.randint(3, 20)),
                }
            )
        self.leader_since = next((p[0] for p in periods if p[2] and p[2] != STAFF_POSITION), None)

    def _joined(self, last):
        """The day the person joined their unit: when it was formed, at recruitment, or later
        (never before recruitment)."""
        recruited = self.recruited
        if self.unit.active_from > recruited:
            return self.unit.active_from  # moved into the unit when it was formed
        if self.rng.random() < 0.5 or plus_years(recruited, 2) > last:
            return recruited
        return between(self.rng, plus_years(recruited, 2), last)

    def _periods_before(self, joined, last):
        """Where someone who joined the unit after recruitment worked first: one or two of the
        organisations before it."""
        rng, recruited = self.rng, self.recruited
        if joined <= recruited:
            return []
        origins = list(self.unit.predecessors) or [self.unit.name]
        first_org = rng.choice(origins)
        periods = [(recruited, first_org, None)]
        transfer_last = min(plus_years(joined, -1), last)
        if rng.random() < 0.4 and plus_years(recruited, 2) < transfer_last:
            others = [o for o in origins if o != first_org]
            if others:
                periods.append((between(rng, plus_years(recruited, 2), transfer_last), rng.choice(others), None))
        return periods

    def _leader_periods(self, periods, joined, last):
        """A leader's periods in the unit: appointed when it was formed (having led one of the
        organisations before it), or some time after joining it."""
        rng, unit, recruited = self.rng, self.unit, self.recruited
        earliest = max(plus_years(recruited, 8), plus_years(self.born, APPOINTMENT_AGE.get(self.position, 32)))
        if joined > recruited and unit.active_from == joined:
            # Led a predecessor before the reorganisation, reappointed in the new unit.
            first, before = max(earliest, periods[-1][0] + timedelta(days=400)), plus_years(joined, -1)
            if unit.led_before and first <= before and rng.random() < 0.85:
                periods.append((between(rng, first, before), rng.choice(unit.led_before), self.position))
            periods.append((joined, unit.name, self.position))
            return
        if joined > recruited or not periods:
            periods.append((joined, unit.name, None))
        appointed = between(rng, min(max(earliest, joined + timedelta(days=400)), last), last)
        if appointed > periods[-1][0]:
            periods.append((appointed, unit.name, self.position))
        else:  # appointed when they joined
            periods[-1] = (periods[-1][0], unit.name, self.position)

    def _party_and_mass_organisation(self):
        rng, born = self.rng, self.born
        share = 1.0 if self.is_leader else min(0.3 + 0.015 * (self.age - 25), 0.8)
        self.party_join = self.party_official = None
        if rng.random() < share:
            first = max(plus_years(born, 19), plus_years(self.recruited, -3))
            end = min(plus_years(born, 38), plus_months(REFERENCE_DATE, -18), self.leader_since or REFERENCE_DATE)
            if first < end:
                self.party_join = between(rng, first, end)
                self.party_official = plus_months(self.party_join, 12)  # 12 months as a probationary member
        if self.age <= 30:
            self.mass_organisation = "Đoàn Thanh niên Cộng sản Hồ Chí Minh"
            self.mass_joined = plus_years(born, 15) + timedelta(days=rng.randrange(365))
        else:
            self.mass_organisation = "Công đoàn Việt Nam"
            self.mass_joined = self.recruited + timedelta(days=rng.randint(30, 120))
