"""The working-day functions: the counting convention, declared days, and no query per day."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from workdays.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    working_age,
    working_calendar,
    working_days_between,
)
from workdays.models import DeclaredDay


def d(text):
    return datetime.date.fromisoformat(text)


def test_weekends_are_not_working_days(db):
    assert is_working_day(d("2026-12-04"))  # Friday
    assert not is_working_day(d("2026-12-05"))  # Saturday
    assert not is_working_day(d("2026-12-06"))  # Sunday
    assert is_working_day(d("2026-12-07"))  # Monday


def test_between_counts_the_days_after_start_up_to_and_including_end(db):
    assert working_days_between(d("2026-12-04"), d("2026-12-04")) == 0
    assert working_days_between(d("2026-12-04"), d("2026-12-05")) == 0  # Fri → Sat
    assert working_days_between(d("2026-12-04"), d("2026-12-07")) == 1  # Fri → Mon
    assert working_days_between(d("2026-12-07"), d("2026-12-11")) == 4  # Mon → Fri
    assert working_days_between(d("2026-12-11"), d("2026-12-07")) == 0  # never negative


def test_tet_2026_counts_nothing(db):
    # Fri 13/02 → Mon 23/02/2026: the break 14–22/02 in between, so 1 (Monday 23/02).
    assert working_days_between(d("2026-02-13"), d("2026-02-23")) == 1
    # The whole year 2026: 261 weekdays, less 13 weekday holidays, less 02/01 declared off,
    # plus the make-up Saturdays 22/08 and 10/01 = 261 − 13 − 1 + 2 = 249.
    assert working_days_between(d("2025-12-31"), d("2026-12-31")) == 249


def test_add_working_days_skips_weekends_and_tet(db):
    assert add_working_days(d("2026-12-04"), 0) == d("2026-12-04")
    assert add_working_days(d("2026-12-04"), 1) == d("2026-12-07")  # Fri + 1 → Mon
    assert add_working_days(d("2026-02-12"), 2) == d("2026-02-23")  # Thu + 2 → past Tết
    assert add_working_days(d("2025-12-31"), 249) == d("2026-12-31")
    with pytest.raises(ValueError):
        add_working_days(d("2026-12-04"), -1)


def test_working_age_of_a_datetime_is_judged_by_local_date(db):
    friday_evening = timezone.make_aware(datetime.datetime(2026, 12, 4, 23, 30))
    monday_morning = timezone.make_aware(datetime.datetime(2026, 12, 7, 0, 30))
    assert working_age(friday_evening, monday_morning) == 1


def test_age_cutoff(db):
    calendar = working_calendar()
    # On Mon 23/02/2026, 2 working days old or more: started on Thu 12/02 or before.
    assert calendar.age_cutoff(d("2026-02-23"), 2) == d("2026-02-12")
    assert calendar.working_days_between(d("2026-02-12"), d("2026-02-23")) == 2
    assert calendar.working_days_between(d("2026-02-13"), d("2026-02-23")) == 1
    # On Wed 09/12/2026, 1 day old: started on Tue 08/12 or before.
    assert calendar.age_cutoff(d("2026-12-09"), 1) == d("2026-12-08")


def test_declared_days_win_over_the_national_calendar_and_are_read_from_the_cache(db):
    DeclaredDay.objects.create(date=d("2026-12-07"), kind=DeclaredDay.Kind.OFF, note="Nghỉ bù")
    DeclaredDay.objects.create(date=d("2026-12-12"), kind=DeclaredDay.Kind.WORKING, note="Làm bù")
    # Mon 07/12 off, Sat 12/12 worked: Fri 04/12 → Sat 12/12 is 8, 9, 10, 11, 12 = 5.
    assert working_days_between(d("2026-12-04"), d("2026-12-12")) == 5
    with CaptureQueriesContext(connection) as queries:
        assert not is_working_day(d("2026-12-07"))
        assert working_days_between(d("2020-01-01"), d("2030-01-01")) > 2000
        assert add_working_days(d("2026-12-04"), 1) == d("2026-12-08")
    assert len(queries) == 0
    DeclaredDay.objects.get(date=d("2026-12-07")).delete()
    assert is_working_day(d("2026-12-07"))


DAYS = st.dates(min_value=d("2024-06-01"), max_value=d("2028-06-01"))


@settings(max_examples=200, deadline=None)
@given(start=DAYS, span=st.integers(min_value=0, max_value=800), n=st.integers(min_value=0, max_value=400))
def test_the_fast_count_and_the_day_by_day_count_agree(start, span, n):
    calendar = WorkingCalendar({d("2026-01-02"): False, d("2026-01-10"): True, d("2027-02-11"): False})
    end = start + datetime.timedelta(days=span)
    slow = sum(calendar.is_working_day(start + datetime.timedelta(days=i)) for i in range(1, span + 1))
    assert calendar.working_days_between(start, end) == slow
    reached = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, reached) == n
    assert n == 0 or calendar.is_working_day(reached)
