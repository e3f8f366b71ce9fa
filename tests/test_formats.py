"""Vietnamese formats (issue #12): dates dd/mm/yyyy in every format Django offers and typed the
same way in a plain text box (never the browser's date picker), with a Vietnamese message for a
date that is not one; the decimal comma on pages and in the history."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from records.models import Employee
from tracking.dates import BAD_DATE, DateField, DateInput
from tracking.history import display_value

DAY = datetime.date(2026, 3, 4)
MOMENT = datetime.datetime(2026, 3, 4, 9, 5)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("name", ["DATE_FORMAT", "SHORT_DATE_FORMAT"])
def test_dates_print_as_dd_mm_yyyy(language, name):
    with translation.override(language):
        assert formats.date_format(DAY, name) == "04/03/2026"
        assert Template("{{ d|date }}").render(Context({"d": DAY})) == "04/03/2026"


@pytest.mark.parametrize("name", ["DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"])
def test_moments_print_as_dd_mm_yyyy_hh_mm(name):
    with translation.override("vi"):
        assert formats.date_format(MOMENT, name) == "04/03/2026 09:05"


class DayForm(forms.Form):
    day = DateField()


@pytest.mark.parametrize("typed", ["04/03/2026", "4/3/2026", "2026-03-04"])
def test_a_date_is_typed_day_first(typed):
    form = DayForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DAY


@pytest.mark.parametrize("typed", ["03/31/2026", "31/02/2026", "4 tháng 3", "2026/03/04"])
def test_a_date_that_is_not_one_gets_the_vietnamese_message(typed):
    with translation.override("vi"):
        form = DayForm({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == [str(BAD_DATE)]
        assert "31/12/2026" in form.errors["day"][0]


def test_the_date_box_is_text_with_a_dd_mm_yyyy_hint():
    html = DateInput().render("day", DAY)
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="04/03/2026"' in html and 'placeholder="dd/mm/yyyy"' in html


def test_django_date_fields_read_day_first_too():
    # Admin forms and any plain forms.DateField read the formats module's DATE_INPUT_FORMATS.
    with translation.override("vi"):
        assert forms.DateField().clean("04/03/2026") == DAY
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("03/31/2026")


def test_decimals_print_with_a_comma_in_vietnamese():
    with translation.override("vi"):
        assert Template("{{ x }}").render(Context({"x": Decimal("2.67")})) == "2,67"
        field = Employee._meta.get_field("salary_coefficient")
        assert display_value(field, Decimal("2.67")) == "2,67"
        assert display_value(field, "2.67") == "2,67"  # as a change request's operations hold it
    with translation.override("en"):
        assert display_value(field, Decimal("2.67")) == "2.67"
