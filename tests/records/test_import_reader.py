"""The importer's own xlsx reader (workflows.imports.xlsx) reads every cell as openpyxl's
read-only mode does, for the files Excel, LibreOffice and openpyxl write."""

import datetime
import io

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.worksheet.formula import ArrayFormula

from workflows.imports.xlsx import Workbook


def _comparable(value):
    if isinstance(value, ArrayFormula):
        return ("array", value.ref, value.text)
    return value


def _openpyxl_rows(data: bytes) -> dict:
    """openpyxl's rows, without the padding to the sheet's <dimension> it adds when there is one."""
    out = {}
    for ws in load_workbook(io.BytesIO(data), read_only=True).worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            rows.append(tuple(_comparable(v) for v in row))
        out[ws.title] = rows
    return out


def _our_rows(data: bytes) -> dict:
    workbook = Workbook(io.BytesIO(data))
    try:
        out = {}
        for title, part in workbook.sheets:
            rows = []
            for row in workbook.rows(part):
                row = list(row)
                while row and row[-1] is None:
                    row.pop()
                rows.append(tuple(_comparable(v) for v in row))
            out[title] = rows
        return out
    finally:
        workbook.close()


def _every_kind_of_cell(write_only: bool) -> bytes:
    book = OpenpyxlWorkbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    first = book.create_sheet("Cán bộ")
    second = book.create_sheet("Quá trình công tác")
    rows = [
        ["chữ", None, 3, 2.5, True, datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 3, 4)],
        [],
        ["=SUM(C1:D1)", "  có khoảng trắng  ", '=A1&"x"', "", 0, -1.5e20, "1,5"],
        [datetime.time(3, 4), datetime.timedelta(hours=5), "Nguyễn Văn Đức", "tab\there", "dòng\nmới"],
    ]
    for row in rows:
        first.append(row)
    second.append([1, 2, 3])
    for _ in range(5):
        second.append([])
    second.append([None, "xa", None])
    if not write_only:
        first["A6"] = CellRichText(["thường ", TextBlock(InlineFont(b=True), "đậm")])
        second["A10"] = "=B10+1"
        second["C12"] = ArrayFormula("C12:C13", "=SUM(A1:A2*B1:B2)")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("write_only", [False, True], ids=["saved-with-dimension", "streamed"])
def test_the_reader_reads_every_cell_as_openpyxl_does(write_only):
    data = _every_kind_of_cell(write_only)
    ours = _our_rows(data)
    assert ours == _openpyxl_rows(data)
    assert ours["Cán bộ"][1] == ()  # an empty row keeps its place: row numbers stay right
    assert list(ours) == ["Cán bộ", "Quá trình công tác"]
