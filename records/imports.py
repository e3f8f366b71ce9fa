"""Importing a unit's employees and their sub-records from an xlsx file: the documented template,
whole-file validation, one bulk change request, and the all-or-nothing apply once approved.

The file is streamed (openpyxl read_only), never held whole: a pass keeps only what cross-row
rules need (CCCDs seen, natural keys seen, work periods). It is read twice: to validate
before submission, and again inside the apply transaction, where every rule runs again and a
digest of what each row would do must match the one the approvers saw.
"""

import datetime
import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import ForeignKey, Model
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from units.models import Position
from units.permissions import can_propose_for_unit
from units.selectors import list_visible_units
from workflows.models import ChangeRequest, ImportBatch

from .models import SUBRECORD_MODELS, Employee, SalaryRank, WorkHistory
from .models.salary import salary_index_held
from .models.subrecords import period
from .tracking import ChangeContext, bulk_create_tracked, tracked_change

logger = logging.getLogger(__name__)

CHUNK = 1000  # rows read, looked up and written together
MAX_ERRORS = 1000  # errors kept on the batch; the total is in the summary
INSTRUCTIONS_SHEET_KEY = "instructions"
LISTS_SHEET_KEY = "lists"

# A sub-record row is the same row as one already in the file when these fields match
# (for the same person), so importing a file again adds nothing.
NATURAL_KEYS = {
    "workhistory": ("start_date",),
    "salaryhistory": ("effective_date",),
    "training": ("kind", "name", "start_date"),
    "commendation": ("year", "form", "decision_number"),
    "discipline": ("form", "effective_from"),
    "evaluation": ("year",),
    "familymember": ("side", "relation", "full_name"),
}


# --- the template: sheets and columns --------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the field name, written in the hidden first row
    label: str  # the Vietnamese header in the second row
    field: object  # the model field (the employee's CCCD field for a sub-record's owner column)
    kind: str  # text, cccd, date, int, decimal, choice, position
    required: bool  # the cell may not be empty
    attname: str | None  # None for a sub-record's owner column, which is not a field of the row


@dataclass(frozen=True)
class Sheet:
    model: type
    title: str
    columns: tuple
    natural_key: tuple = ()

    @property
    def is_employee(self) -> bool:
        return self.model is Employee

    @cached_property
    def by_key(self) -> dict:
        return {c.key: c for c in self.columns}

    @cached_property
    def by_label(self) -> dict:
        return {_norm(c.label): c for c in self.columns}

    @cached_property
    def required_keys(self) -> set:
        """Columns a sheet must have: the required ones and those of the natural key."""
        return {c.key for c in self.columns if c.required} | set(self.natural_key)


def _kind(model_field) -> str:
    if isinstance(model_field, ForeignKey):
        return "position"
    if model_field.choices:
        return "choice"
    if model_field.name == "citizen_id":
        return "cccd"
    return {
        "DateField": "date",
        "PositiveSmallIntegerField": "int",
        "PositiveIntegerField": "int",
        "IntegerField": "int",
        "DecimalField": "decimal",
    }.get(model_field.get_internal_type(), "text")


def _column(model, name) -> Column:
    model_field = model._meta.get_field(name)
    required = not model_field.blank and not model_field.has_default()
    return Column(name, capfirst(str(model_field.verbose_name)), model_field, _kind(model_field), required, model_field.attname)


def _employee_columns() -> tuple:
    first = ("citizen_id", "full_name")
    names = first + tuple(n for n in Employee.CHANGEABLE_FIELDS if n not in first)
    return tuple(_column(Employee, name) for name in names)


def _owner_column() -> Column:
    cccd = Employee._meta.get_field("citizen_id")
    return Column("citizen_id", _("Số CCCD của cán bộ"), cccd, "cccd", True, None)


def sheets() -> list[Sheet]:
    """The data sheets of the template, the employee sheet first; labels in the active language."""
    out = [Sheet(Employee, capfirst(str(Employee._meta.verbose_name)), _employee_columns())]
    for model in SUBRECORD_MODELS:
        columns = (_owner_column(),) + tuple(_column(model, name) for name in model.EDITABLE_FIELDS)
        out.append(Sheet(model, capfirst(str(model._meta.verbose_name_plural)), columns, NATURAL_KEYS[model._meta.model_name]))
    return out


def _special_titles() -> dict:
    return {INSTRUCTIONS_SHEET_KEY: _("Hướng dẫn"), LISTS_SHEET_KEY: _("Danh mục")}


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def _describe_format(column: Column, positions: list[str]) -> str:
    f = column.field
    if column.kind == "cccd":
        return _("12 chữ số (định dạng ô là văn bản để giữ số 0 ở đầu)")
    if column.kind == "date":
        return _("Ngày theo dạng dd/mm/yyyy, ví dụ 14/03/1985")
    if column.kind == "choice":
        return _("Một trong: %(values)s") % {"values": "; ".join(str(label) for value, label in f.flatchoices if value != "")}
    if column.kind == "position":
        if positions:
            return _("Tên chức vụ của đơn vị: %(values)s") % {"values": "; ".join(positions)}
        return _("Tên chức vụ đúng như danh sách chức vụ của đơn vị")
    if column.kind in ("int", "decimal"):
        low = next((v.limit_value for v in f.validators if isinstance(v, MinValueValidator)), None)
        high = next((v.limit_value for v in f.validators if isinstance(v, MaxValueValidator)), None)
        text = _("Số nguyên") if column.kind == "int" else _("Số, tối đa %(n)s chữ số thập phân (dấu phẩy hoặc dấu chấm)") % {
            "n": f.decimal_places
        }
        if low is not None and high is not None:
            text += " " + _("từ %(low)s đến %(high)s") % {"low": low, "high": high}
        elif low is not None:
            text += " " + _("từ %(low)s trở lên") % {"low": low}
        return text
    if f.get_internal_type() == "TextField":
        return _("Văn bản")
    return _("Văn bản, tối đa %(n)s ký tự") % {"n": f.max_length}


def _instruction_lines(unit) -> list[str]:
    lines = [
        _("Mẫu nhập hồ sơ cán bộ và các quá trình (hồ sơ con) từ tệp Excel."),
        _("1. Mỗi lần nhập dành cho một đơn vị, chọn khi tải tệp lên; chỉ cán bộ tổ chức của đơn vị được tải tệp."),
        _("2. Trên mỗi trang dữ liệu, dòng 1 (ẩn) chứa mã cột: không sửa, không xoá. Dòng 2 là tên cột. Dữ liệu bắt đầu từ dòng 3."),
        _("3. Ngày ghi theo dạng dd/mm/yyyy (ví dụ 14/03/1985). Số thập phân dùng dấu phẩy hoặc dấu chấm."),
        _("4. Số CCCD gồm đúng 12 chữ số. Các trang quá trình nối với cán bộ qua cột “Số CCCD của cán bộ”: "
          "cán bộ phải có trong trang “Cán bộ” của tệp hoặc đã có hồ sơ tại đơn vị."),
        _("5. Cán bộ đã có hồ sơ tại đơn vị (trùng số CCCD) được cập nhật theo tệp; dòng giống hệt hồ sơ thì giữ nguyên. "
          "Cột không có trong tệp thì không thay đổi. Tệp không xoá dữ liệu nào."),
        _("6. Số CCCD đã có hồ sơ do đơn vị khác quản lý là lỗi: cần làm thủ tục điều động về đơn vị trước."),
        _("7. Một dòng quá trình được coi là đã có khi trùng cán bộ và các cột khoá (cột “Khoá so khớp” bên dưới); "
          "nhập lại cùng một tệp không thêm dòng nào."),
        _("8. Toàn bộ tệp được kiểm tra trước; chỉ cần một lỗi thì không dòng nào được nhập, và báo cáo lỗi ghi rõ trang, dòng, cột. "
          "Tệp hợp lệ được gửi phê duyệt thành một yêu cầu thay đổi; hồ sơ chỉ được cập nhật khi lãnh đạo đơn vị phê duyệt."),
        _("9. Có thể xoá các trang không dùng đến; không thêm trang khác, không đổi tên trang."),
    ]
    ranks = list(
        SalaryRank.objects.filter(table__in=_newest_table()).order_by("rank_code").values_list("rank_code", "rank_name")
    )
    if ranks:
        lines.append(_("Mã ngạch có trong bảng lương: %(ranks)s.") % {"ranks": "; ".join(f"{c} ({n})" for c, n in ranks)})
    if unit is not None:
        lines.insert(1, _("Đơn vị: %(unit)s.") % {"unit": unit.name})
    return lines


def _newest_table():
    from .models import SalaryTable

    return SalaryTable.objects.order_by("-effective_from")[:1]


def _display(column: Column, value):
    """A value as the template shows it: choice labels, position names, dates as dates."""
    if value is None:
        return None
    if column.kind == "choice":
        return str(dict(column.field.flatchoices).get(value, value))
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def build_workbook(*, unit=None, rows: dict | None = None, write_only: bool = False) -> Workbook:
    """The template, optionally filled with `rows` ({model: iterable of {field: value}}).

    With write_only the rows are streamed to the file as they come (the bench writes 100,000
    people this way); the downloadable template is built in memory with styles and dropdowns.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _build_workbook(unit=unit, rows=rows or {}, write_only=write_only)


def _build_workbook(*, unit, rows, write_only):
    titles = _special_titles()
    positions = list(Position.objects.filter(unit=unit).values_list("name", flat=True)) if unit is not None else []
    specs = sheets()
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    _write_instructions(wb.create_sheet(titles[INSTRUCTIONS_SHEET_KEY]), specs, unit, positions, write_only)
    lists = None if write_only else _write_lists(wb.create_sheet(titles[LISTS_SHEET_KEY]), specs, positions)
    date_style = "DD/MM/YYYY"
    for spec in specs:
        ws = wb.create_sheet(spec.title)
        ws.freeze_panes = "B3"
        if write_only:
            ws.append([c.key for c in spec.columns])
            ws.append([c.label for c in spec.columns])
        else:
            _style_header(ws, spec, lists)
        for values in rows.get(spec.model, ()):
            line = []
            for column in spec.columns:
                value = _display(column, values.get(column.key))
                if isinstance(value, datetime.date) and write_only:
                    cell = WriteOnlyCell(ws, value)
                    cell.number_format = date_style
                    value = cell
                line.append(value)
            ws.append(line)
            if not write_only:
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, datetime.date):
                        cell.number_format = date_style
    return wb


_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")


def _style_header(ws, spec: Sheet, lists: dict):
    ws.append([c.key for c in spec.columns])
    ws.append([c.label for c in spec.columns])
    ws.row_dimensions[1].hidden = True
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        label = ws.cell(row=2, column=index)
        label.font = Font(bold=True)
        label.fill = _REQUIRED_FILL if column.key in spec.required_keys else _HEADER_FILL
        label.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=1, column=index).font = Font(color="808080", size=8)
        ws.column_dimensions[letter].width = max(14, min(40, len(column.label) + 4))
        # Text cells keep leading zeros of a CCCD and stop Excel turning dd/mm into a date of its locale.
        ws.column_dimensions[letter].number_format = "@"
        source = lists.get((spec.model, column.key))
        if source:
            validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
            validation.error = _("Chọn một giá trị trong danh sách.")
            validation.errorTitle = column.label
            validation.add(f"{letter}3:{letter}1048576")
            ws.add_data_validation(validation)
    ws.row_dimensions[2].height = 45


def _write_lists(ws, specs, positions) -> dict:
    """A hidden sheet of allowed values, which the dropdowns of the data sheets refer to."""
    ws.sheet_state = "hidden"
    sources = {}
    index = 0
    title = ws.title.replace("'", "''")
    for spec in specs:
        for column in spec.columns:
            if column.kind == "choice":
                values = [str(label) for value, label in column.field.flatchoices if value != ""]
            elif column.kind == "position" and positions:
                values = positions
            else:
                continue
            index += 1
            letter = get_column_letter(index)
            ws.cell(row=1, column=index, value=f"{spec.title} · {column.label}")
            for row, value in enumerate(values, start=2):
                ws.cell(row=row, column=index, value=value)
            sources[(spec.model, column.key)] = f"'{title}'!${letter}$2:${letter}${len(values) + 1}"
    return sources


def _write_instructions(ws, specs, unit, positions, write_only):
    lines = _instruction_lines(unit)
    for line in lines:
        ws.append([line])
    ws.append([])
    ws.append([_("Trang tính"), _("Cột"), _("Mã cột (dòng 1)"), _("Bắt buộc"), _("Khoá so khớp"), _("Định dạng, giá trị cho phép"), _("Ghi chú")])
    header_row = len(lines) + 2
    for spec in specs:
        for column in spec.columns:
            ws.append(
                [
                    spec.title,
                    column.label,
                    column.key,
                    _("Có") if column.required else "",
                    _("Có") if column.key in spec.natural_key or (spec.is_employee and column.key == "citizen_id") else "",
                    _describe_format(column, positions),
                    str(column.field.help_text or "") if column.attname else _("Số CCCD của cán bộ mà dòng này thuộc về"),
                ]
            )
    if not write_only:
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        for letter, width in zip("ABCDEFG", (22, 34, 30, 10, 14, 60, 50)):
            ws.column_dimensions[letter].width = width


def template_workbook(*, unit=None) -> Workbook:
    """The empty template to download, with the unit's positions when a unit is given."""
    return build_workbook(unit=unit)


def error_report_workbook(batch: ImportBatch) -> Workbook:
    """The errors of a batch as a workbook: sheet, row, column, cell, message."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Lỗi")
    ws.append([_("Tệp"), batch.file_name])
    ws.append([_("Đơn vị"), batch.unit.name])
    ws.append([_("Số lỗi"), batch.summary.get("errors_total", len(batch.errors))])
    ws.append([])
    ws.append([_("Trang tính"), _("Dòng"), _("Cột"), _("Ô"), _("Nội dung lỗi")])
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for error in batch.errors:
        ws.append([error.get("sheet"), error.get("row"), error.get("column"), error.get("cell"), error.get("message")])
    for letter, width in zip("ABCDE", (22, 8, 30, 8, 90)):
        ws.column_dimensions[letter].width = width
    return wb


# --- reading cells ---------------------------------------------------------------------------


_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Cells:
    """Turns cell values into Python values of the model's field types, with Vietnamese
    messages for what the model cannot say itself (dates, numbers, choice labels, positions).
    Everything else is left to the model's own rules."""

    def __init__(self, unit):
        self.unit = unit
        self.positions = {_norm(p.name): p for p in Position.objects.filter(unit=unit)}
        self._choices = {}

    def convert(self, column: Column, value):
        kind = column.kind
        if _is_blank(value):
            if kind == "position":
                return None
            if column.field.null or kind in ("date", "int", "decimal"):
                return None if not column.field.has_default() else column.field.get_default()
            if not column.field.blank and column.field.has_default():
                return column.field.get_default()
            return ""
        if kind == "text":
            return _text(value)
        if kind == "cccd":
            # A CCCD typed as a number loses its leading zeros (province codes start at 001).
            if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
                digits = str(int(value))
                return digits.zfill(12) if len(digits) in (10, 11) else digits
            return _text(value).replace(" ", "")
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
        match = _DATE.fullmatch(_text(value))
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        raise ValidationError(
            _("Ngày “%(value)s” không hợp lệ; ghi theo dạng dd/mm/yyyy, ví dụ 14/03/1985.") % {"value": _text(value)}
        )

    def _number(self, value, *, integer):
        if isinstance(value, bool):
            raise ValidationError(_("Phải là số."))
        if isinstance(value, (int, float, Decimal)):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        else:
            text = _text(value).replace(" ", "").replace(",", ".")
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                raise ValidationError(
                    (_("“%(value)s” không phải là số nguyên.") if integer else _("“%(value)s” không phải là số."))
                    % {"value": _text(value)}
                )
        if integer:
            if number != number.to_integral_value():
                raise ValidationError(_("“%(value)s” không phải là số nguyên.") % {"value": _text(value)})
            return int(number)
        return number

    def _choice(self, column, value):
        table = self._choices.get(column.field)
        if table is None:
            table = {}
            for code, label in column.field.flatchoices:
                table[_norm(label)] = code
                table.setdefault(_norm(code), code)
            self._choices[column.field] = table
        code = table.get(_norm(_text(value)))
        if code is None:
            allowed = "; ".join(str(label) for code, label in column.field.flatchoices if code != "")
            raise ValidationError(
                _("Giá trị “%(value)s” không hợp lệ; chọn một trong: %(allowed)s.") % {"value": _text(value), "allowed": allowed}
            )
        return code

    def _position(self, value):
        position = self.positions.get(_norm(_text(value)))
        if position is None:
            raise ValidationError(
                _("Đơn vị %(unit)s không có chức vụ “%(value)s”.") % {"unit": self.unit.name, "value": _text(value)}
            )
        return position


def _clean(obj, exclude: set) -> dict:
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


# --- one pass over a file --------------------------------------------------------------------


CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _other_unit_message():
    return _("Số CCCD này đã có hồ sơ do đơn vị khác quản lý; cần làm thủ tục điều động về đơn vị trước khi nhập.")


class _FileUnreadable(Exception):
    pass


@dataclass
class _Row:
    number: int
    values: dict  # column key → Python value, for the columns present whose cell parsed
    errors: dict  # column or field key → [messages]
    cccd: str | None = None


@dataclass
class _Outcome:
    errors: list = field(default_factory=list)
    errors_total: int = 0
    digest: str = ""
    rows: int = 0
    people: int = 0
    counts: dict = field(default_factory=dict)  # sheet title → {created, updated, unchanged}
    updated_people: list = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(c[CREATED] + c[UPDATED] for c in self.counts.values())


@dataclass
class _SheetState:
    index: dict = field(default_factory=dict)  # employee id → {natural key: (pk, values of EDITABLE_FIELDS)}
    seen: dict = field(default_factory=dict)  # (CCCD, natural key) → row number
    periods: dict = field(default_factory=dict)  # CCCD → [(start, end, organisation, row, pk)]


def _natural_key(spec: Sheet, values: dict) -> tuple:
    return tuple(_norm(v) if isinstance(v, str) else v for v in (values.get(k) for k in spec.natural_key))


class _Pass:
    """One streamed pass over a file: every rule on every row and, in apply mode, the writes.

    Keeps only what rules across rows need: the CCCDs of the employee sheet, natural keys and
    work periods per person, and the natural keys of the sub-records already in the unit.
    Identical passes over identical data yield the same digest of what each row does.
    """

    def __init__(self, batch: ImportBatch, *, apply: bool, progress=None):
        self.unit = batch.unit
        self.apply = apply
        self.progress = progress or (lambda done: None)
        self.cells = _Cells(self.unit)
        self.outcome = _Outcome()
        self._digest = hashlib.sha256()
        self._order: dict[str, int] = {}
        self.file_people: dict[str, int] = {}  # CCCD → its row on the employee sheet
        self.all_people: set[str] = set()
        self.unit_people = self._unit_people()

    def _unit_people(self) -> dict:
        return dict(Employee.objects.filter(managing_unit=self.unit).values_list("citizen_id", "pk"))

    # -- errors

    def error(self, spec, number, key, message, columns=()):
        """Record one error: sheet, row, column header (and cell), message."""
        self.outcome.errors_total += 1
        if len(self.outcome.errors) >= MAX_ERRORS:
            return
        label, cell, position = "", "", 0
        if isinstance(key, int):  # a header cell, by its position
            position = key + 1
            cell = f"{get_column_letter(position)}{number}"
        elif spec is not None and key and key != "__all__":
            column = spec.by_key.get(key)
            label = column.label if column else capfirst(str(spec.model._meta.get_field(key).verbose_name))
            position = next((i + 1 for i, c in enumerate(columns) if c is not None and c.key == key), 0)
            if position and number:
                cell = f"{get_column_letter(position)}{number}"
        title = spec.title if spec is not None else ""
        self.outcome.errors.append(
            {
                "sheet": title,
                "row": number,
                "column": label,
                "cell": cell,
                "message": str(message),
                "_order": (self._order.get(title, -1), number or 0, position),
            }
        )

    def _row_errors(self, spec, columns, row: _Row):
        for key, messages in row.errors.items():
            for message in dict.fromkeys(messages):
                self.error(spec, row.number, key, message, columns)

    # -- the workbook and its sheets

    def run(self, workbook) -> _Outcome:
        specs = sheets()
        by_title = {_norm(s.title): s for s in specs}
        skip = {_norm(t) for t in _special_titles().values()}
        found = {}
        for name in workbook.sheetnames:
            spec = by_title.get(_norm(name))
            if spec is not None:
                found[spec.model] = (spec, workbook[name])
            elif _norm(name) not in skip:
                self.error(
                    None, None, None,
                    _("Trang tính “%(name)s” không thuộc mẫu nhập; xoá trang này hoặc dùng đúng tên trang của mẫu.") % {"name": name},
                )
        ordered = [found[s.model] for s in specs if s.model in found]
        self._order = {spec.title: index for index, (spec, ws) in enumerate(ordered)}
        with salary_index_held():
            for spec, ws in ordered:
                self._sheet(spec, ws)
        outcome = self.outcome
        if not outcome.rows and not outcome.errors_total:
            self.error(None, None, None, _("Tệp không có dòng dữ liệu nào."))
        outcome.errors.sort(key=lambda e: e["_order"])
        for error in outcome.errors:
            del error["_order"]
        outcome.digest = self._digest.hexdigest()
        outcome.people = len(self.all_people)
        return outcome

    def _sheet(self, spec: Sheet, ws):
        self.outcome.counts[spec.title] = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        rows = ws.iter_rows(values_only=True)
        columns, number, pending = self._header(spec, rows)
        if columns is None:
            return
        state = _SheetState()
        if not spec.is_employee:
            state.index = self._existing_subrecords(spec)
        chunk = []
        for values in chain(pending, rows):
            number += 1
            if values is None or all(_is_blank(v) for v in values):
                continue
            chunk.append((number, values))
            if len(chunk) >= CHUNK:
                self._chunk(spec, columns, chunk, state)
                chunk = []
        if chunk:
            self._chunk(spec, columns, chunk, state)
        if spec.model is WorkHistory:
            self._check_periods(spec, columns, state)
        if spec.is_employee and self.apply:
            self.unit_people = self._unit_people()  # now with the people just created

    def _header(self, spec: Sheet, rows):
        """(columns by position, number of the last header row, rows read ahead that are data).

        The hidden first row names the columns by key; a file made by hand may carry only the
        header labels instead, or keys with no label row under them."""
        first = next(rows, None)
        if first is None:
            return None, 0, []
        names = [_text(v) for v in first]
        if not any(name in spec.by_key for name in names):
            return self._map_columns(spec, [_norm(n) for n in names], spec.by_label), 1, []
        columns = self._map_columns(spec, names, spec.by_key)
        second = next(rows, None)
        if second is None:
            return columns, 2, []
        if any(_norm(_text(v)) in spec.by_label for v in second if not _is_blank(v)):
            return columns, 2, []
        return columns, 1, [second]

    def _map_columns(self, spec, names, lookup):
        columns, seen, bad = [], set(), False
        for index, name in enumerate(names):
            column = lookup.get(name) if name else None
            if name and column is None:
                self.error(spec, 1, index, _("Cột “%(name)s” không thuộc mẫu của trang này.") % {"name": name})
                bad = True
            elif column is not None and column.key in seen:
                self.error(spec, 1, index, _("Cột “%(name)s” có hai lần.") % {"name": column.label})
                bad = True
                column = None
            elif column is not None:
                seen.add(column.key)
            columns.append(column)
        missing = [c.label for c in spec.columns if c.key in spec.required_keys and c.key not in seen]
        if missing:
            self.error(spec, 1, None, _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)})
            bad = True
        return None if bad else columns

    def _chunk(self, spec, columns, chunk, state):
        rows = [self._parse(columns, number, values) for number, values in chunk]
        if spec.is_employee:
            self._employee_rows(spec, columns, rows)
        else:
            self._subrecord_rows(spec, columns, rows, state)
        self.outcome.rows += len(chunk)
        self.progress(self.outcome.rows)

    def _parse(self, columns, number, values) -> _Row:
        row = _Row(number, {}, {})
        for index, column in enumerate(columns):
            if column is None:
                continue
            raw = values[index] if index < len(values) else None
            if column.required and _is_blank(raw):
                row.errors[column.key] = [_("Trường này là bắt buộc.")]
                continue
            try:
                row.values[column.key] = self.cells.convert(column, raw)
            except ValidationError as exc:
                row.errors[column.key] = exc.messages
        cccd = row.values.get("citizen_id")
        if cccd and "citizen_id" not in row.errors:
            try:
                Employee._meta.get_field("citizen_id").run_validators(cccd)
                row.cccd = cccd
            except ValidationError as exc:
                row.errors["citizen_id"] = exc.messages
        return row

    def _record(self, spec, row, action, fingerprint=""):
        self.outcome.counts[spec.title][action] += 1
        self._digest.update(f"{spec.title}|{row.number}|{action}|{fingerprint}\n".encode())

    # -- employees

    def _employee_rows(self, spec, columns, rows):
        present = [c for c in columns if c is not None]
        for row in rows:
            if row.cccd is None:
                continue
            first = self.file_people.setdefault(row.cccd, row.number)
            if first != row.number:
                row.errors.setdefault("citizen_id", []).append(_("Số CCCD trùng với dòng %(row)s.") % {"row": first})
            self.all_people.add(row.cccd)
        cccds = [row.cccd for row in rows if row.cccd]
        existing = {e.citizen_id: e for e in Employee.objects.filter(citizen_id__in=cccds).select_related("position")}
        creates, updates = [], []
        for row in rows:
            current = existing.get(row.cccd)
            if current is not None and current.managing_unit_id != self.unit.pk:
                row.errors.setdefault("citizen_id", []).append(_other_unit_message())
                current = None
            obj = current if current is not None else Employee(managing_unit=self.unit)
            before = {c.attname: getattr(obj, c.attname) for c in present}
            for key, value in row.values.items():
                setattr(obj, key, value)
            for key, messages in _clean(obj, set(row.errors) | {"managing_unit", "position"}).items():
                row.errors.setdefault(key, []).extend(messages)
            if row.errors:
                self._row_errors(spec, columns, row)
                continue
            if current is None:
                self._record(spec, row, CREATED)
                creates.append(obj)
                continue
            changed = [c for c in present if getattr(obj, c.attname) != before[c.attname]]
            self._record(spec, row, UPDATED if changed else UNCHANGED, f"{current.pk}:{sorted(before.items())!r}")
            if changed:
                updates.append(obj)
                if len(self.outcome.updated_people) < 200:
                    self.outcome.updated_people.append(
                        {"row": row.number, "citizen_id": obj.citizen_id, "full_name": obj.full_name, "fields": [c.label for c in changed]}
                    )
        if self.apply and not self.outcome.errors_total:
            if creates:
                bulk_create_tracked(Employee, creates, batch_size=CHUNK, validate=False)
            for obj in updates:
                obj.save()

    # -- sub-records

    def _existing_subrecords(self, spec) -> dict:
        """{employee id: {natural key: (pk, values of EDITABLE_FIELDS)}}, as tuples: at a re-import
        this holds every row of the sheet's kind in the unit."""
        index: dict = {}
        names = spec.model.EDITABLE_FIELDS
        rows = spec.model.objects.filter(employee__managing_unit=self.unit).values_list("employee_id", "pk", *names)
        for employee_id, pk, *values in rows.iterator(chunk_size=5000):
            index.setdefault(employee_id, {})[_natural_key(spec, dict(zip(names, values)))] = (pk, tuple(values))
        return index

    def _owner(self, row: _Row, elsewhere: set):
        """The existing employee a sub-record row belongs to (None for a person new in this file)."""
        if row.cccd is None:
            return None
        self.all_people.add(row.cccd)
        employee_id = self.unit_people.get(row.cccd)
        if row.cccd in elsewhere:
            row.errors.setdefault("citizen_id", []).append(_other_unit_message())
        elif employee_id is None and row.cccd not in self.file_people:
            row.errors.setdefault("citizen_id", []).append(
                _("Không có cán bộ có số CCCD này trong trang “%(sheet)s” của tệp hay trong hồ sơ của đơn vị.")
                % {"sheet": capfirst(str(Employee._meta.verbose_name))}
            )
        return employee_id

    def _subrecord_rows(self, spec, columns, rows, state):
        model = spec.model
        present = [c for c in columns if c is not None and c.attname]
        defaults = {c.key: c.field.get_default() for c in spec.columns if c.key in spec.natural_key}
        unknown = {r.cccd for r in rows if r.cccd and r.cccd not in self.file_people and r.cccd not in self.unit_people}
        elsewhere = set(Employee.objects.filter(citizen_id__in=unknown).values_list("citizen_id", flat=True)) if unknown else set()
        creates, updates = [], {}
        for row in rows:
            employee_id = self._owner(row, elsewhere)
            match = None
            if row.cccd and not any(k in row.errors for k in spec.natural_key):
                key = _natural_key(spec, {**defaults, **row.values})
                first = state.seen.setdefault((row.cccd, key), row.number)
                if first != row.number:
                    row.errors.setdefault("__all__", []).append(
                        _("Trùng với dòng %(row)s (cùng cán bộ và cùng %(columns)s).")
                        % {"row": first, "columns": ", ".join(spec.by_key[k].label for k in spec.natural_key)}
                    )
                elif employee_id is not None:
                    match = state.index.get(employee_id, {}).get(key)
            old = dict(zip(model.EDITABLE_FIELDS, match[1])) if match else None
            obj = model(pk=match[0], employee_id=employee_id, **old) if match else model(employee_id=employee_id)
            for name, value in row.values.items():
                if name != "citizen_id":
                    setattr(obj, name, value)
            for name, messages in _clean(obj, set(row.errors) | {"employee"}).items():
                row.errors.setdefault(name, []).extend(messages)
            if row.errors:
                self._row_errors(spec, columns, row)
                continue
            if match is None:
                self._record(spec, row, CREATED)
                creates.append((row.cccd, obj))
            else:
                pk = match[0]
                changed = {c.attname: getattr(obj, c.attname) for c in present if getattr(obj, c.attname) != old[c.key]}
                self._record(spec, row, UPDATED if changed else UNCHANGED, f"{pk}:{match[1]!r}")
                if changed:
                    updates[pk] = changed
            if model is WorkHistory:
                state.periods.setdefault(row.cccd, []).append(
                    (obj.start_date, obj.end_date, obj.organisation, row.number, match[0] if match else None)
                )
        if self.apply and not self.outcome.errors_total:
            for cccd, obj in creates:
                obj.employee_id = self.unit_people[cccd]
            if creates:
                bulk_create_tracked(model, [obj for cccd, obj in creates], batch_size=CHUNK, validate=False)
            for obj in model.objects.filter(pk__in=list(updates)).select_for_update():
                for name, value in updates[obj.pk].items():
                    setattr(obj, name, value)
                obj.save()

    def _check_periods(self, spec, columns, state):
        """Work periods of one person may not overlap (the rule of workflows.changesets),
        counting the periods already on file that this import leaves as they are."""
        for cccd, rows in state.periods.items():
            periods = list(rows)
            employee_id = self.unit_people.get(cccd)
            if employee_id is not None:
                replaced = {r[4] for r in rows if r[4] is not None}
                names = WorkHistory.EDITABLE_FIELDS
                for pk, values in state.index.get(employee_id, {}).values():
                    if pk not in replaced:
                        old = dict(zip(names, values))
                        periods.append((old["start_date"], old["end_date"], old["organisation"], None, pk))
            periods.sort(key=lambda p: (p[0], p[3] or 0))
            for previous, current in zip(periods, periods[1:]):
                if previous[1] is not None and current[0] > previous[1]:
                    continue
                number = current[3] or previous[3]
                if number is None:
                    continue  # two periods already on file: not this import's doing
                self.error(
                    spec,
                    number,
                    "start_date",
                    _("Quá trình công tác chồng lấn: %(a)s (%(pa)s) và %(b)s (%(pb)s).")
                    % {
                        "a": previous[2],
                        "pa": period(previous[0], previous[1]),
                        "b": current[2],
                        "pb": period(current[0], current[1]),
                    },
                    columns,
                )


# --- reading a stored file -------------------------------------------------------------------


class _Progress:
    """Writes rows_done where the status page can read it, even from inside the apply
    transaction: there through a connection of its own on PostgreSQL. SQLite admits one
    writer at a time, so there the apply reports only when it ends."""

    def __init__(self, batch_id: int, *, inside_transaction: bool):
        self.batch_id = batch_id
        self.conn = None
        self.enabled = True
        if inside_transaction:
            if connection.vendor == "postgresql":
                self.conn = connections.create_connection(DEFAULT_DB_ALIAS)
            else:
                self.enabled = False
        self._last = 0.0

    def total(self, rows_total: int):
        self._write(rows_total=rows_total)

    def __call__(self, rows_done: int):
        now = time.monotonic()
        if now - self._last >= 0.5:
            self._last = now
            self._write(rows_done=rows_done)

    def _write(self, **values):
        if not self.enabled:
            return
        if self.conn is None:
            ImportBatch.objects.filter(pk=self.batch_id).update(**values)
            return
        quote = self.conn.ops.quote_name
        assignments = ", ".join(f"{quote(name)} = %s" for name in values)
        with self.conn.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(ImportBatch._meta.db_table)} SET {assignments} WHERE id = %s",
                [*values.values(), self.batch_id],
            )

    def close(self):
        if self.conn is not None:
            self.conn.close()


def _count_rows(workbook) -> int:
    """Data rows of the data sheets, counted in the raw XML: a streamed file carries no
    dimension, and counting tags costs a fraction of parsing the cells."""
    titles = {_norm(s.title) for s in sheets()}
    total = 0
    for ws in workbook.worksheets:
        if _norm(ws.title) not in titles:
            continue
        try:
            source = workbook._archive.open(ws._worksheet_path)  # openpyxl's read-only internals
        except (AttributeError, KeyError):
            return 0
        with source:
            tail, count = b"", 0
            while chunk := source.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row ") + data.count(b"<row>")
                tail = chunk[-4:]
        total += max(0, count - 2)
    return total


def _read(batch: ImportBatch, *, apply: bool, progress: _Progress) -> _Outcome:
    try:
        handle = batch.file.open("rb")
    except (OSError, ValueError):
        raise _FileUnreadable(_("Không tìm thấy tệp đã tải lên."))
    with handle:
        if apply:
            digest = hashlib.sha256()
            for chunk in handle.chunks():
                digest.update(chunk)
            if digest.hexdigest() != batch.sha256:
                raise _FileUnreadable(_("Tệp đã lưu không còn giống tệp đã kiểm tra (mã băm khác)."))
            handle.seek(0)
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            logger.info("Import %s: unreadable workbook: %r", batch.pk, exc)
            raise _FileUnreadable(_("Không đọc được tệp; hãy dùng tệp Excel .xlsx theo mẫu."))
        try:
            if not apply:
                progress.total(_count_rows(workbook))
            return _Pass(batch, apply=apply, progress=progress).run(workbook)
        finally:
            workbook.close()


def _file_error(message) -> dict:
    return {"sheet": "", "row": None, "column": "", "cell": "", "message": str(message)}


def _summary(outcome: _Outcome) -> dict:
    return {
        "rows": outcome.rows,
        "people": outcome.people,
        "changes": outcome.changes,
        "sheets": [{"title": title, **counts} for title, counts in outcome.counts.items()],
        "updated_people": outcome.updated_people,
        "errors_total": outcome.errors_total,
        "digest": outcome.digest,
    }


# --- services --------------------------------------------------------------------------------


PENDING_STATUSES = (
    ImportBatch.Status.QUEUED,
    ImportBatch.Status.VALIDATING,
    ImportBatch.Status.SUBMITTED,
    ImportBatch.Status.APPLYING,
)


def create_import_batch(*, unit, uploaded_by, upload, reason: str) -> ImportBatch:
    """An officer of the unit uploads a file; a Celery task then validates the whole of it."""
    from .tasks import validate_import

    if not can_propose_for_unit(uploaded_by, unit):
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của đơn vị được nhập dữ liệu cho đơn vị."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải nêu lý do nhập dữ liệu.")})
    name = PurePath(upload.name or "").name
    if not name.lower().endswith(".xlsx"):
        raise ValidationError({"file": _("Chỉ nhận tệp Excel .xlsx theo mẫu.")})
    digest, head = hashlib.sha256(), None
    for chunk in upload.chunks():
        head = chunk[:4] if head is None else head
        digest.update(chunk)
    if head != b"PK\x03\x04":
        raise ValidationError({"file": _("Tệp không phải là tệp Excel .xlsx.")})
    sha256 = digest.hexdigest()
    for pending in ImportBatch.objects.filter(unit=unit, sha256=sha256, status__in=PENDING_STATUSES).select_related("change_request"):
        if sync_import_status(pending).status in PENDING_STATUSES:
            raise ValidationError(
                {"file": _("Tệp này đang được xử lý ở lượt nhập #%(pk)s; hãy chờ lượt đó kết thúc.") % {"pk": pending.pk}}
            )
    upload.seek(0)
    with transaction.atomic():
        batch = ImportBatch(unit=unit, uploaded_by=uploaded_by, file_name=name[:255], sha256=sha256, reason=reason)
        batch.file.save(name, upload, save=False)
        batch.save()
        validate_import.delay_on_commit(batch.pk)
    return batch


def validate_import_batch(*, batch_id: int) -> str:
    """Check every row of a queued batch; submit a clean file for approval as one change
    request. Safe to run twice: only a queued batch is taken."""
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.VALIDATING, rows_done=0, errors=[]
    ):
        return ""
    batch = ImportBatch.objects.select_related("unit", "uploaded_by").get(pk=batch_id)
    progress = _Progress(batch_id, inside_transaction=False)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            outcome = _read(batch, apply=False, progress=progress)
        except _FileUnreadable as exc:
            batch.status, batch.errors = ImportBatch.Status.INVALID, [_file_error(exc)]
            batch.summary = {"errors_total": 1}
            batch.save()
            return batch.status
        batch.rows_total = batch.rows_done = outcome.rows
        batch.summary = _summary(outcome)
        batch.errors = outcome.errors
        if outcome.errors_total:
            batch.status = ImportBatch.Status.INVALID
        elif not outcome.changes:
            batch.status = ImportBatch.Status.APPLIED  # everything is already on file
            batch.summary["nothing_to_change"] = True
        else:
            try:
                with transaction.atomic():
                    batch.change_request = _submit(batch, outcome)
                    batch.status = ImportBatch.Status.SUBMITTED
                    batch.save()
            except (PermissionDenied, ValidationError) as exc:
                batch.status = ImportBatch.Status.FAILED
                batch.errors = [_file_error(m) for m in getattr(exc, "messages", [str(exc)])]
        batch.save()
    return batch.status


def _submit(batch: ImportBatch, outcome: _Outcome) -> ChangeRequest:
    from workflows.services import submit_change_request

    employees = outcome.counts.get(capfirst(str(Employee._meta.verbose_name)), {})
    reason = "\n".join(
        [
            batch.reason,
            _("Tệp %(file)s (SHA-256 %(sha)s): %(rows)s dòng; %(created)s cán bộ mới, %(updated)s cán bộ cập nhật, %(changes)s dòng thay đổi.")
            % {
                "file": batch.file_name,
                "sha": batch.sha256[:12],
                "rows": outcome.rows,
                "created": employees.get(CREATED, 0),
                "updated": employees.get(UPDATED, 0),
                "changes": outcome.changes,
            },
        ]
    )
    return submit_change_request(
        kind=ChangeRequest.Kind.IMPORT,
        unit=batch.unit,
        submitted_by=batch.uploaded_by,
        operations=[],
        reason=reason,
        title=_("Nhập tệp %(file)s: %(n)s cán bộ") % {"file": batch.file_name, "n": outcome.people},
    )


def history_reason(batch: ImportBatch) -> str:
    """The reason on every history row the import writes: the file, then why (history keeps 100 characters)."""
    text = _("Nhập tệp %(file)s: %(reason)s") % {"file": batch.file_name, "reason": " ".join(batch.reason.split())}
    return text if len(text) <= 100 else text[:99] + "…"


def queue_import_apply(*, change_request: ChangeRequest) -> None:
    """The flow's step once an import request is approved: apply its file in the background."""
    from .tasks import apply_import

    apply_import.delay_on_commit(change_request.import_batch.pk)


class _Refused(Exception):
    def __init__(self, errors, message):
        super().__init__(message)
        self.errors, self.message = errors, message


def apply_import_batch(*, batch_id: int) -> str:
    """Write an approved batch in one transaction, with history naming the request and the
    file; on any problem write nothing and return the request to its submitter. Either way
    the waiting flow is resumed. Safe to run twice: only a submitted batch is taken."""
    from workflows.flows import import_finished

    batch = ImportBatch.objects.select_related("unit", "change_request__submitted_by", "change_request__decided_by").get(pk=batch_id)
    change_request = batch.change_request
    if change_request is None or change_request.status != ChangeRequest.Status.APPROVED:
        return batch.status
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.SUBMITTED).update(
        status=ImportBatch.Status.APPLYING, rows_done=0
    ):
        return batch.status
    batch.status = ImportBatch.Status.APPLYING
    context = ChangeContext(
        reason=history_reason(batch),
        proposed_by=change_request.submitted_by,
        approved_by=change_request.decided_by,
        change_request=change_request,
    )
    progress = _Progress(batch_id, inside_transaction=True)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                with tracked_change(context):
                    outcome = _read(batch, apply=True, progress=progress)
                if outcome.errors_total:
                    raise _Refused(outcome.errors, _("tệp không còn hợp lệ với dữ liệu hiện tại"))
                if outcome.digest != batch.summary.get("digest"):
                    raise _Refused(
                        [_file_error(_("Dữ liệu của đơn vị đã thay đổi sau khi tệp được kiểm tra, nên kết quả nhập sẽ khác "
                                       "với nội dung đã được phê duyệt. Hãy tải tệp lên lại để kiểm tra và gửi phê duyệt lại."))],
                        _("dữ liệu của đơn vị đã thay đổi sau khi tệp được kiểm tra"),
                    )
                batch.status = ImportBatch.Status.APPLIED
                batch.rows_total = batch.rows_done = outcome.rows
                batch.summary = {**_summary(outcome), "applied_at": timezone.now().isoformat()}
                batch.save()
                change_request.status = ChangeRequest.Status.APPLIED
                change_request.applied_at = timezone.now()
                change_request.save()
                import_finished(change_request)
        except _Refused as refused:
            _refuse(batch, change_request, refused.errors, refused.message)
        except _FileUnreadable as exc:
            _refuse(batch, change_request, [_file_error(exc)], str(exc))
        except Exception:
            logger.exception("Import batch %s failed while applying", batch_id)
            message = _("lỗi hệ thống khi ghi dữ liệu")
            _refuse(batch, change_request, [_file_error(_("Lỗi hệ thống khi ghi dữ liệu; không có dữ liệu nào được ghi."))], message)
        finally:
            progress.close()
    return batch.status


def _refuse(batch: ImportBatch, change_request: ChangeRequest, errors: list, reason: str):
    from workflows.flows import import_finished

    with transaction.atomic():
        batch.status = ImportBatch.Status.FAILED
        batch.errors = errors[:MAX_ERRORS]
        batch.summary = {**batch.summary, "errors_total": max(len(errors), batch.summary.get("errors_total") or 0)}
        batch.save()
        change_request.status = ChangeRequest.Status.RETURNED
        change_request.decision_comment = _(
            "Không nhập được tệp %(file)s: %(reason)s. Không có dữ liệu nào được ghi; xem báo cáo lỗi ở lượt nhập #%(pk)s."
        ) % {"file": batch.file_name, "reason": reason, "pk": batch.pk}
        change_request.save()
        import_finished(change_request)


def sync_import_status(batch: ImportBatch) -> ImportBatch:
    """A batch whose request was rejected or withdrawn is marked as not approved (lazily, when read)."""
    change_request = batch.change_request
    if (
        batch.status == ImportBatch.Status.SUBMITTED
        and change_request is not None
        and change_request.status in (ChangeRequest.Status.REJECTED, ChangeRequest.Status.WITHDRAWN)
    ):
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.SUBMITTED).update(status=ImportBatch.Status.REJECTED)
        batch.status = ImportBatch.Status.REJECTED
    return batch


# --- reads -----------------------------------------------------------------------------------


def list_import_batches(*, user):
    """Batches of the units the user may see, newest first."""
    return ImportBatch.objects.filter(unit__in=list_visible_units(user=user)).select_related(
        "unit", "uploaded_by", "change_request"
    )


def get_import_batch(*, user, pk) -> ImportBatch:
    """One batch of a unit the user may see; 404 otherwise, so existence is not disclosed."""
    batch = list_import_batches(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return sync_import_status(batch)
