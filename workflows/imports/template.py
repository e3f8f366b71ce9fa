"""The workbooks the importer writes: the template to fill in (instructions, dropdown lists,
one sheet per model), optionally pre-filled with rows, and a batch's error report."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from records.models import SalaryRank, SalaryTable
from tracking.validators import printable
from units.models import Position

from ..models import ImportBatch
from .columns import (
    INSTRUCTIONS_SHEET_KEY,
    LISTS_SHEET_KEY,
    Column,
    Sheet,
    sheets,
    special_titles,
)


def _describe_format(column: Column, positions: list[str]) -> str:
    f = column.field
    if column.kind == "cccd":
        return _("12 chữ số (định dạng ô là văn bản để giữ số 0 ở đầu)")
    if column.kind == "date":
        return _("Ngày theo dạng dd/mm/yyyy, ví dụ 14/03/1985")
    if column.kind == "choice":
        return _("Một trong: %(values)s") % {
            "values": "; ".join(str(label) for value, label in f.flatchoices if value != "")
        }
    if column.kind == "position":
        if positions:
            return _("Tên chức vụ của đơn vị: %(values)s") % {"values": "; ".join(positions)}
        return _("Tên chức vụ đúng như danh sách chức vụ của đơn vị")
    if column.kind in ("int", "decimal"):
        low = next((v.limit_value for v in f.validators if isinstance(v, MinValueValidator)), None)
        high = next((v.limit_value for v in f.validators if isinstance(v, MaxValueValidator)), None)
        text = (
            _("Số nguyên")
            if column.kind == "int"
            else _("Số, tối đa %(n)s chữ số thập phân (dấu phẩy hoặc dấu chấm)") % {"n": f.decimal_places}
        )
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
        _(
            "2. Trên mỗi trang dữ liệu, dòng 1 (ẩn) chứa mã cột: không sửa, không xoá. Dòng 2 là tên cột. Dữ "
            "liệu bắt đầu từ dòng 3."
        ),
        _("3. Ngày ghi theo dạng dd/mm/yyyy (ví dụ 14/03/1985). Số thập phân dùng dấu phẩy hoặc dấu chấm."),
        _(
            "4. Số CCCD gồm đúng 12 chữ số. Các trang quá trình nối với cán bộ qua cột “Số CCCD của cán bộ”: "
            "cán bộ phải có trong trang “Cán bộ” của tệp hoặc đã có hồ sơ tại đơn vị."
        ),
        _(
            "5. Cán bộ đã có hồ sơ tại đơn vị (trùng số CCCD) được cập nhật theo tệp; dòng giống hệt hồ sơ thì "
            "giữ nguyên. "
            "Cột không có trong tệp thì không thay đổi. Tệp không xoá dữ liệu nào."
        ),
        _("6. Số CCCD đã có hồ sơ do đơn vị khác quản lý là lỗi: cần làm thủ tục điều động về đơn vị trước."),
        _(
            "7. Một dòng quá trình được coi là đã có khi trùng cán bộ và các cột khoá (cột “Khoá so khớp” bên dưới); "
            "nhập lại cùng một tệp không thêm dòng nào."
        ),
        _(
            "8. Toàn bộ tệp được kiểm tra trước; chỉ cần một lỗi thì không dòng nào được nhập, và báo cáo lỗi "
            "ghi rõ trang, dòng, cột. "
            "Tệp hợp lệ được gửi phê duyệt thành một yêu cầu thay đổi; hồ sơ chỉ được cập nhật khi lãnh đạo "
            "đơn vị phê duyệt."
        ),
        _("9. Có thể xoá các trang không dùng đến; không thêm trang khác, không đổi tên trang."),
    ]
    ranks = list(
        SalaryRank.objects.filter(table__in=_newest_table()).order_by("rank_code").values_list("rank_code", "rank_name")
    )
    if ranks:
        lines.append(
            _("Mã ngạch có trong bảng lương: %(ranks)s.") % {"ranks": "; ".join(f"{c} ({n})" for c, n in ranks)}
        )
    if unit is not None:
        lines.insert(1, _("Đơn vị: %(unit)s.") % {"unit": printable(unit.name)})
    return lines


def _newest_table():
    return SalaryTable.objects.order_by("-effective_from")[:1]


def _display(column: Column, value):
    """A value as the template shows it: choice labels, position names, dates as dates."""
    if value is None:
        return None
    if column.kind == "choice":
        return str(dict(column.field.flatchoices).get(value, value))
    if isinstance(value, Model):
        value = str(value)
    if isinstance(value, Decimal):
        return float(value)
    return printable(value)


def build_workbook(*, unit=None, rows: dict | None = None, write_only: bool = False) -> Workbook:
    """The template, optionally filled with `rows` ({model: iterable of {field: value}}).

    With write_only the rows are streamed to the file as they come (the bench writes 100,000
    people this way); the downloadable template is built in memory with styles and dropdowns.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _build_workbook(unit=unit, rows=rows or {}, write_only=write_only)


def _build_workbook(*, unit, rows, write_only):
    titles = special_titles()
    names = Position.objects.filter(unit=unit).values_list("name", flat=True) if unit is not None else []
    positions = [printable(name) for name in names]
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
    ws.append(
        [
            _("Trang tính"),
            _("Cột"),
            _("Mã cột (dòng 1)"),
            _("Bắt buộc"),
            _("Khoá so khớp"),
            _("Định dạng, giá trị cho phép"),
            _("Ghi chú"),
        ]
    )
    header_row = len(lines) + 2
    for spec in specs:
        for column in spec.columns:
            ws.append(
                [
                    spec.title,
                    column.label,
                    column.key,
                    _("Có") if column.required else "",
                    _("Có")
                    if column.key in spec.natural_key or (spec.is_employee and column.key == "citizen_id")
                    else "",
                    _describe_format(column, positions),
                    str(column.field.help_text or "")
                    if column.attname
                    else _("Số CCCD của cán bộ mà dòng này thuộc về"),
                ]
            )
    if not write_only:
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        for letter, width in zip("ABCDEFG", (22, 34, 30, 10, 14, 60, 50), strict=True):
            ws.column_dimensions[letter].width = width


def template_workbook(*, unit=None) -> Workbook:
    """The empty template to download, with the unit's positions when a unit is given."""
    return build_workbook(unit=unit)


def error_report_workbook(batch: ImportBatch) -> Workbook:
    """The errors of a batch as a workbook: sheet, row, column, cell, message."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Lỗi")
    # Every text is cleaned: a message may quote a cell, and names were stored before control
    # characters were refused.
    ws.append([_("Tệp"), printable(batch.file_name)])
    ws.append([_("Đơn vị"), printable(batch.unit.name)])
    ws.append([_("Số lỗi"), batch.summary.get("errors_total", len(batch.errors))])
    ws.append([])
    ws.append([_("Trang tính"), _("Dòng"), _("Cột"), _("Ô"), _("Nội dung lỗi")])
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for error in batch.errors:
        ws.append([printable(error.get(key)) for key in ("sheet", "row", "column", "cell", "message")])
    for letter, width in zip("ABCDE", (22, 8, 30, 8, 90), strict=True):
        ws.column_dimensions[letter].width = width
    return wb
