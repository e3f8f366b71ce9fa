"""Reading cells: a cell's value as a Python value of its column's field type, with Vietnamese
messages for what the model cannot say itself, and the model's own rules run on a row."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from units.models import Position

from .columns import Column, norm

_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def cell_text(value) -> str:
    """A cell as text: whole numbers without ".0", dates as dd/mm/yyyy, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def is_blank(value) -> bool:
    """An empty cell, or one holding only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def is_formula(value) -> bool:
    """A formula cell, as the file is read (without the values Excel cached): its text begins
    with "=", or it is an array or data-table formula. Text typed with a leading "=" reads the same."""
    return isinstance(value, (ArrayFormula, DataTableFormula)) or (isinstance(value, str) and value.startswith("="))


def _blank(column: Column):
    """The value an empty cell stands for: None, the field's default, or an empty text."""
    if column.kind == "position":
        return None
    if column.field.null or column.kind in ("date", "int", "decimal"):
        return None if not column.field.has_default() else column.field.get_default()
    if not column.field.blank and column.field.has_default():
        return column.field.get_default()
    return ""


def _cccd(value) -> str:
    # A CCCD typed as a number loses its leading zeros (province codes start at 001).
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        digits = str(int(value))
        return digits.zfill(12) if len(digits) in (10, 11) else digits
    return cell_text(value).replace(" ", "")


class Cells:
    """Turns cell values into Python values of the model's field types, with Vietnamese
    messages for what the model cannot say itself (dates, numbers, choice labels, positions).
    Everything else is left to the model's own rules."""

    def __init__(self, unit):
        self.unit = unit
        self.positions = {norm(p.name): p for p in Position.objects.filter(unit=unit)}
        self._choices = {}

    def convert(self, column: Column, value):
        """The value of one cell for its column; ValidationError (Vietnamese) when it cannot be read."""
        if value is None:  # most cells are empty or text: these two first, the checks below in order
            return _blank(column)
        if type(value) is str and column.kind == "text" and not value.startswith("="):
            return value.strip() or _blank(column)
        if is_formula(value):
            # The value a formula shows is not in the file the approvers see (or not there at
            # all when a program wrote the file), so it is never taken.
            formula = getattr(value, "text", None) or str(value)
            raise ValidationError(
                _(
                    "Ô chứa công thức “%(formula)s” (hoặc văn bản bắt đầu bằng dấu “=”): hãy nhập giá trị, "
                    "không dùng công thức (trong Excel: sao chép rồi “Dán giá trị”)."
                )
                % {"formula": formula[:100]}
            )
        kind = column.kind
        if is_blank(value):
            return _blank(column)
        if kind == "text":
            return cell_text(value)
        if kind == "cccd":
            return _cccd(value)
        if kind == "date":
            return self._date(value)
        if kind in ("int", "decimal"):
            return self._number(value, integer=kind == "int")
        if kind == "choice":
            return self._choice(column, value)
        return self._position(value)

    def _date(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        match = _DATE.fullmatch(cell_text(value))
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        raise ValidationError(
            _("Ngày “%(value)s” không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 14/03/1985.")
            % {"value": cell_text(value)}
        )

    def _number(self, value, *, integer):
        if isinstance(value, bool):
            raise ValidationError(_("Phải là số."))
        if isinstance(value, (int, float, Decimal)):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            text = cell_text(value).replace(" ", "").replace(",", ".")
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                raise ValidationError(
                    (_("“%(value)s” không phải là số nguyên.") if integer else _("“%(value)s” không phải là số."))
                    % {"value": cell_text(value)}
                )
        if integer:
            if number != number.to_integral_value():
                raise ValidationError(_("“%(value)s” không phải là số nguyên.") % {"value": cell_text(value)})
            return int(number)
        return number

    def _choice(self, column, value):
        table = self._choices.get(column.field)
        if table is None:
            table = {}
            for code, label in column.field.flatchoices:
                table[norm(label)] = code
                table.setdefault(norm(code), code)
            self._choices[column.field] = table
        code = table.get(norm(cell_text(value)))
        if code is None:
            allowed = "; ".join(str(label) for code, label in column.field.flatchoices if code != "")
            raise ValidationError(
                _("Giá trị “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.")
                % {"value": cell_text(value), "allowed": allowed}
            )
        return code

    def _position(self, value):
        position = self.positions.get(norm(cell_text(value)))
        if position is None:
            raise ValidationError(
                _("Đơn vị %(unit)s không có chức vụ “%(value)s”.") % {"unit": self.unit.name, "value": cell_text(value)}
            )
        return position


def clean_model(obj, exclude: set) -> dict:
    """The model's own rules (field validators, then clean()), as {field: [messages]}.

    Like full_clean, but a field that failed is emptied before clean() runs, so cross-field
    rules never see an unparsed value; uniqueness is the importer's own matching."""
    errors: dict = {}
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors = exc.message_dict
    for name in errors:
        setattr(obj, obj._meta.get_field(name).attname, None)
    try:
        obj.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:
                errors.setdefault(name, []).extend(messages)
    return errors
