"""The calendar against the government's announced breaks for 2025–2027 (dates checked by hand
against the announcements quoted in workdays/calendar.py; each list is the weekdays off, then
the weekend days worked, as the announcement gives them)."""

import datetime

import pytest

from workdays.calendar import is_working_day, national_exceptions


def d(text):
    return datetime.date.fromisoformat(text)


# Tết Ất Tỵ 2025: off Sat 25/01 – Sun 02/02 (VPCP 8726/VPCP-KGVX, 26/11/2024).
# Tết Bính Ngọ 2026: off Sat 14/02 – Sun 22/02 (Thủ tướng, VPCP 10/2025).
# Tết Đinh Mùi 2027: no announcement found; Labour Code art. 112 (5 days, Tết on Sat 06/02).
TET_BREAKS = [
    (d("2025-01-25"), d("2025-02-02")),
    (d("2026-02-14"), d("2026-02-22")),
    (d("2027-02-04"), d("2027-02-10")),
]


@pytest.mark.parametrize(("first", "last"), TET_BREAKS)
def test_every_day_of_the_tet_break_is_off_and_the_days_around_it_are_worked(db, first, last):
    day = first
    while day <= last:
        assert not is_working_day(day), day
        day += datetime.timedelta(days=1)
    before, after = first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)
    # The working days either side (skipping a weekend just outside the break).
    while before.weekday() >= 5:
        before -= datetime.timedelta(days=1)
    while after.weekday() >= 5:
        after += datetime.timedelta(days=1)
    assert is_working_day(before) and is_working_day(after)


@pytest.mark.parametrize(
    ("year", "weekdays_off", "weekends_worked"),
    [
        # 01/01; Tết Mon 27 – Fri 31/01; Hùng Kings Mon 07/04; 30/04, 01/05 and Fri 02/05
        # (swapped with Sat 26/04); National Day Mon 01/09 – Tue 02/09.
        (
            2025,
            "01-01 01-27 01-28 01-29 01-30 01-31 04-07 04-30 05-01 05-02 09-01 09-02".split(),
            ["04-26"],
        ),
        # 01/01 (02/01 is the package's gap, declared as data, see below); Tết Mon 16 – Fri
        # 20/02; Hùng Kings on Sun 26/04 taken Mon 27/04; 30/04, 01/05; National Day Mon 31/08
        # (swapped with Sat 22/08) – Wed 02/09; Ngày Văn hóa Việt Nam Tue 24/11.
        (
            2026,
            "01-01 02-16 02-17 02-18 02-19 02-20 04-27 04-30 05-01 08-31 09-01 09-02 11-24".split(),
            ["08-22"],
        ),
        # The package's 2027, not yet announced: 01/01; Tết Thu 04 – Wed 10/02 without the
        # weekend; Hùng Kings Fri 16/04; 30/04; 01/05 on a Saturday taken Mon 03/05; 02–03/09; 24/11.
        (
            2027,
            "01-01 02-04 02-05 02-08 02-09 02-10 04-16 04-30 05-03 09-02 09-03 11-24".split(),
            [],
        ),
    ],
)
def test_the_package_gives_the_announced_days(year, weekdays_off, weekends_worked):
    off, worked = national_exceptions(year)
    assert sorted(off) == [d(f"{year}-{md}") for md in weekdays_off]
    assert sorted(worked) == [d(f"{year}-{md}") for md in weekends_worked]


def test_the_2026_new_year_swap_the_package_misses_is_declared_as_data(db):
    """VPCP 12729/VPCP-KGVX (25/12/2025): off Thu 01/01 – Sun 04/01/2026, Fri 02/01 worked
    instead on Sat 10/01. holidays 0.109 has neither; migration 0002 declares both."""
    off, worked = national_exceptions(2026)
    assert d("2026-01-02") not in off and d("2026-01-10") not in worked
    assert not is_working_day(d("2026-01-02"))
    assert is_working_day(d("2026-01-10"))
