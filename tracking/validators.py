"""What every text and date of a tracked record must satisfy, whatever the field: no control
characters, only the digits 0–9, a bounded length, and a date in a plausible range.

TrackedModel.clean_fields runs these checks, so a form, a change set and the importer all
refuse the same values with the same Vietnamese messages. Exports clean what is already stored
with `printable`. Nothing here imports a model: tracking.models imports this module.
"""

import datetime
import functools
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters except tab, line feed and carriage return, and the two
# non-characters XML forbids: none can be typed, none survives an xlsx file (openpyxl raises),
# PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
REPLACEMENT = "\ufffd"

# A TextField with no max_length of its own is bounded by this (Django enforces a TextField's
# max_length only in its form widget, so the bound is checked here).
TEXT_MAX_LENGTH = 10_000

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def describe_character(char: str) -> str:
    """A character as a person can find it: its code point (U+001B)."""
    return f"U+{ord(char):04X}"


def no_control_characters(value: str) -> None:
    """Refuse text with a control character (ESC, NUL, …); tab and line breaks are text."""
    match = CONTROL_CHARACTERS.search(value)
    if match:
        raise ValidationError(
            _("Có ký tự điều khiển không hợp lệ (%(code)s) ở vị trí %(position)s; hãy xoá ký tự này rồi nhập lại."),
            code="control_character",
            params={"code": describe_character(match.group()), "position": match.start() + 1},
        )


# A decimal digit (Unicode category Nd, what str.isdecimal() accepts) other than 0–9.
FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")


def ascii_digits_only(value: str) -> None:
    """Refuse digits of other scripts (Arabic-Indic ٣, full-width ３…): records, searches and
    the CCCD check read 0–9 only, and a lookalike number would be a second, different value.
    Decimal digits only: "m²" stays text."""
    match = FOREIGN_DIGIT.search(value)
    if match:
        char = match.group()
        raise ValidationError(
            _("Chữ số “%(char)s” (%(code)s) không phải chữ số 0–9; hãy gõ lại bằng chữ số 0–9."),
            code="non_ascii_digit",
            params={"char": char, "code": describe_character(char)},
        )


def text_max_length(field) -> int | None:
    """The bound a text field's value is checked against (a CharField's own is checked by Django)."""
    if isinstance(field, models.TextField):
        return field.max_length or TEXT_MAX_LENGTH
    return None


def check_text(field, value: str) -> list:
    """Errors of one text value: control characters, foreign digits, length of a TextField."""
    errors = []
    for validator in (no_control_characters, ascii_digits_only):
        try:
            validator(value)
        except ValidationError as exc:
            errors.extend(exc.error_list)
    limit = text_max_length(field)
    if limit is not None and len(value) > limit:
        errors.append(
            ValidationError(
                _("Nội dung dài %(length)s ký tự, vượt quá giới hạn %(limit)s ký tự."),
                code="max_length",
                params={"length": len(value), "limit": limit},
            )
        )
    return errors


def check_date(value) -> list:
    """A date before 1900 or after 2100 is a typing error (9999-12-31, 0201-05-01)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        return [
            ValidationError(
                _("Ngày %(value)s nằm ngoài khoảng hợp lý (%(earliest)s – %(latest)s)."),
                code="implausible_date",
                params={
                    "value": value.strftime("%d/%m/%Y"),
                    "earliest": EARLIEST_DATE.strftime("%d/%m/%Y"),
                    "latest": LATEST_DATE.strftime("%d/%m/%Y"),
                },
            )
        ]
    return []


@functools.cache
def _checked_fields(model) -> tuple:
    """(field, is text) for the text and date fields of a model, in field order, worked out
    once per model: this runs on every row an import reads."""
    return tuple(
        (f, isinstance(f, (models.CharField, models.TextField)))
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.DateField))
    )


def field_errors(instance, exclude) -> dict:
    """{field name: [ValidationError]} for the text and date fields of `instance` not in `exclude`."""
    errors: dict = {}
    for field, is_text in _checked_fields(type(instance)):
        if field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        if is_text:
            found = check_text(field, value) if isinstance(value, str) and value else []
        else:
            found = check_date(value)
        if found:
            errors[field.name] = found
    return errors


def printable(value):
    """A stored value made safe to write into an xlsx or PDF file: control characters are
    replaced by U+FFFD, so the reader sees that something was there. Non-text passes."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        return CONTROL_CHARACTERS.sub(REPLACEMENT, value)
    return value
