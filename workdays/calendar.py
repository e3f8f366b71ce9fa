"""The Vietnamese working-day calendar: Monday to Friday, less the public holidays (Tết included)
and the swapped days the `holidays` package knows, then the days administrators declare
(workdays.models.DeclaredDay), which win over both.

Counting convention, used everywhere waiting time is shown or judged:
`working_days_between(start, end)` is the number of working days d with start < d <= end, the
days that have passed since `start`: a request submitted on Friday is 1 working day old on
Monday (whatever the hour), 0 on the Saturday after. Never negative.

Checked against the government's announcements (holidays 0.109, `holidays.VN`), see
tests/workdays/test_official_calendar.py for the dates themselves:
- 2025 (VPCP 8726/VPCP-KGVX, 26/11/2024; TB 6150/TB-BLĐTBXH): Tết 25/01–02/02, the package gives
  Mon 27/01–Fri 31/01 off (and Sat 01/02); 30/04–04/05 with Fri 02/05 off, made up on Sat 26/04:
  the package has both; Hùng Kings Mon 07/04; National Day 30/08–02/09 (Mon 01/09, Tue 02/09):
  all agree.
- 2026 (VPCP 12729/VPCP-KGVX, 25/12/2025; Thủ tướng, 10/2025): Tết 14/02–22/02, the package
  gives Mon 16/02–Fri 20/02: agrees; National Day 29/08–02/09 with Mon 31/08 off, made up on
  Sat 22/08: agrees; Hùng Kings Sun 26/04, off Mon 27/04: agrees. New Year 01/01–04/01 with
  Fri 02/01 off, made up on Sat 10/01: the package does NOT know it (02/01 a working day,
  10/01 a rest day): declared in the data (migration 0002). The package also gives Tue 24/11
  (Ngày Văn hóa Việt Nam, Resolution 80-NQ/TW) as a holiday.
- 2027: no announcement of the Tết break found; the package gives Thu 04/02–Wed 10/02 (Tết
  falls on Sat 06/02), Hùng Kings Fri 16/04, Mon 03/05 for Labour Day on a Saturday, National
  Day Thu 02/09–Fri 03/09. Swaps announced later are declared as data.
"""

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CACHE_KEY = "workdays:declared:v1"


def add_months(day: date, months: int) -> date:
    """`day` plus `months` months to the exact day; the month's last day where that day does not
    exist (31 Jan + 1 month = 28/29 Feb). Always add to the original date, never step by step
    (TT 08/2013/TT-BNV: the holding period runs to the day). The one month arithmetic of the
    project: the due engine, the salary step offered on a file and the demo's careers use it."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@lru_cache(maxsize=64)
def national_exceptions(year: int) -> tuple[frozenset, frozenset]:
    """(weekdays off, weekend days worked) of one year in the `holidays` package's Vietnam."""
    calendar = holidays.VN(years=year)
    worked = frozenset(d for d in calendar.weekend_workdays if d.year == year)
    off = frozenset(d for d in calendar if d.weekday() < 5 and d not in worked)
    return off, worked


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including `day`."""
    offset = day.toordinal() - 1
    return offset // 7 * 5 + min(offset % 7 + 1, 5)


class WorkingCalendar:
    """The calendar with one set of declared days ({date: is working}), read once; ask it as
    many questions as needed without touching the database."""

    def __init__(self, declared: dict):
        self.declared = declared

    def is_working_day(self, day: date) -> bool:
        if day in self.declared:
            return self.declared[day]
        off, worked = national_exceptions(day.year)
        if day in worked:
            return True
        return day.weekday() < 5 and day not in off

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 when end is not after start)."""
        if end <= start:
            return 0
        count = _weekdays_through(end) - _weekdays_through(start)
        exceptions = set()
        for year in range(start.year, end.year + 1):
            off, worked = national_exceptions(year)
            exceptions |= off | worked
        exceptions |= self.declared.keys()
        for day in exceptions:
            if start < day <= end:
                count += int(self.is_working_day(day)) - int(day.weekday() < 5)
        return count

    def add_working_days(self, day: date, n: int) -> date:
        """The date `n` working days after `day` (n >= 0): the first date with
        working_days_between(day, it) == n; `day` itself for 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        cursor, count = day, 0
        if n > 20:  # jump most of the way: holidays only slow the count down, make-up days are few
            jump = day + timedelta(weeks=(n - 20) // 5)
            jumped = self.working_days_between(day, jump)
            if jumped <= n:
                cursor, count = jump, jumped
        while count < n:
            cursor += timedelta(days=1)
            count += self.is_working_day(cursor)
        return cursor

    def age_cutoff(self, on: date, n: int) -> date:
        """The latest date whose working-day age on `on` is at least `n`: whatever started on it
        or before has waited `n` working days or more."""
        if n <= 0:
            return on
        cursor, count = on, 0
        while True:
            count += self.is_working_day(cursor)
            if count == n:
                return cursor - timedelta(days=1)
            cursor -= timedelta(days=1)

    def working_age(self, moment: datetime, now: datetime | None = None) -> int:
        """Working days since `moment` (a datetime, judged by its local date) up to now."""
        now = now or timezone.now()
        return self.working_days_between(timezone.localdate(moment), timezone.localdate(now))


def declared_days() -> dict:
    """{date: is working} of the administrator-declared days, from the cache when it has them."""
    declared = cache.get(CACHE_KEY)
    if declared is None:
        from .models import DeclaredDay

        declared = {
            day: kind == DeclaredDay.Kind.WORKING for day, kind in DeclaredDay.objects.values_list("date", "kind")
        }
        # Where workers do not share the cache, a change reaches the others within a minute.
        cache.set(CACHE_KEY, declared, None if settings.CACHE_IS_COHERENT else 60)
    return declared


def forget_declared_days() -> None:
    cache.delete(CACHE_KEY)


def working_calendar() -> WorkingCalendar:
    """The calendar in force now (one cache read)."""
    return WorkingCalendar(declared_days())


def is_working_day(day: date) -> bool:
    return working_calendar().is_working_day(day)


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end (0 when end is not after start)."""
    return working_calendar().working_days_between(start, end)


def add_working_days(day: date, n: int) -> date:
    return working_calendar().add_working_days(day, n)


def working_age(moment: datetime, now: datetime | None = None) -> int:
    return working_calendar().working_age(moment, now)
