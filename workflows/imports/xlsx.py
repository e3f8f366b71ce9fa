"""The cells of an xlsx file, row by row, as openpyxl's read-only mode gives them with
`values_only=True`, at a fraction of its cost.

openpyxl's read-only worksheet scans a whole sheet when it is opened if the sheet has no
`<dimension>` (files streamed by a program, such as our own template writer), then builds an
element, a dict and, for an inline string, a rich-text object per cell, through defusedxml's
pure-Python tree builder. This reader opens the workbook with openpyxl's own readers (content
types, shared strings, workbook, styles: which number formats are dates) and reads each sheet in
one pass of expat events, keeping only the text of values. The sheet's parser refuses what
defusedxml refuses (entity declarations, external references), with defusedxml's exceptions; a
formula is read by openpyxl's own code; so a cell reads as openpyxl reads it.
"""

import warnings
from xml.etree.ElementTree import Element, ParseError, SubElement
from xml.parsers import expat

from defusedxml.common import EntitiesForbidden, ExternalReferenceForbidden
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser, _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

ROW, CELL, VALUE, FORMULA, INLINE, TEXT, PHONETIC = (
    f"{SHEET_MAIN_NS}}}{tag}" for tag in ("row", "c", "v", "f", "is", "t", "rPh")
)
DIGITS = "0123456789"
CHUNK_BYTES = 1 << 16


class Workbook:
    """An xlsx file opened for reading values: its worksheets as (title, part), in workbook order."""

    def __init__(self, handle):
        reader = ExcelReader(handle, read_only=True, data_only=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self.archive = reader.archive
        self.shared_strings = reader.shared_strings
        self.epoch = reader.wb.epoch
        self.date_formats = reader.wb._date_formats
        self.timedelta_formats = reader.wb._timedelta_formats
        self.sheets = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]

    def part(self, title: str) -> str:
        """The part of the first worksheet with this title (as openpyxl's `workbook[title]`)."""
        return next(part for name, part in self.sheets if name == title)

    def rows(self, part: str):
        """Each row of a worksheet as a tuple of values up to its last cell; a row missing from
        the XML between two rows is an empty tuple, so positions are row numbers."""
        sheet = _Sheet(self)
        with self.archive.open(part) as source:
            while chunk := source.read(CHUNK_BYTES):
                sheet.feed(chunk)
                yield from sheet.take()
            sheet.feed(b"", final=True)
            yield from sheet.take()

    def close(self):
        self.archive.close()


def _row_number(text, expected: int) -> int:
    if text is None:
        return expected
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


def _entity_declared(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _unparsed_entity_declared(name, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _external_reference(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class _Sheet:
    """One worksheet's XML, fed in chunks, as rows of values: expat events, no element tree.
    The protections are defusedxml's (its DefusedXMLParser sets the same three handlers)."""

    def __init__(self, workbook: Workbook):
        self.strings = workbook.shared_strings
        self.epoch = workbook.epoch
        self.date_formats = workbook.date_formats
        self.timedelta_formats = workbook.timedelta_formats
        self.formulas = WorkSheetParser(None, self.strings, data_only=False, epoch=self.epoch)
        self.parser = parser = expat.ParserCreate(None, "}")
        parser.buffer_text = True
        parser.EntityDeclHandler = _entity_declared
        parser.UnparsedEntityDeclHandler = _unparsed_entity_declared
        parser.ExternalEntityRefHandler = _external_reference
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        self.ready: list = []  # rows complete, not yet taken
        self.expected = 1  # the number of the next row
        self.values: list | None = None  # the current row's values, None outside a row or in a skipped one
        self.column = 0
        self.cell: dict = {}
        self.value = self.formula = self.inline = None
        self.text: list | None = None  # the text being collected, if any
        self.phonetic = False

    def feed(self, data: bytes, final: bool = False):
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:  # as ElementTree reports it
            error = ParseError(f"{expat.ErrorString(exc.code)}: line {exc.lineno}, column {exc.offset}")
            error.code, error.position = exc.code, (exc.lineno, exc.offset)
            raise error from None

    def take(self) -> list:
        ready, self.ready = self.ready, []
        return ready

    def _start(self, name, attrs):
        if name == CELL:
            self.cell = attrs
            self.value = self.formula = self.inline = None
        elif name == VALUE or (name == TEXT and self.inline is not None and not self.phonetic):
            self.text = []
        elif name == INLINE:
            self.inline = []
        elif name == PHONETIC:
            self.phonetic = True
        elif name == FORMULA:
            self.formula = attrs
            self.text = []
        elif name == ROW:
            self._row(attrs)

    def _text(self, data):
        if self.text is not None:
            self.text.append(data)

    def _end(self, name):
        if name == CELL:
            self._cell()
        elif name == VALUE and self.text is not None:
            if self.value is None:  # the first <v>, as findtext reads it
                self.value = "".join(self.text)
            self.text = None
        elif name == TEXT and self.text is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif name == PHONETIC:
            self.phonetic = False
        elif name == FORMULA:
            self.formula = (self.formula, "".join(self.text) or None)
            self.text = None
        elif name == ROW and self.values is not None:
            self.ready.append(tuple(self.values))
            self.values = None

    def _row(self, attrs):
        number = _row_number(attrs.get("r"), self.expected)
        while self.expected < number:
            self.expected += 1
            self.ready.append(())
        self.column = 0
        if number == self.expected:  # a row numbered before the last one read is skipped, as openpyxl does
            self.expected += 1
            self.values = []

    def _cell(self):
        if self.values is None:
            return
        ref = self.cell.get("r")
        self.column = column = column_index_from_string(ref.rstrip(DIGITS)) if ref else self.column + 1
        values = self.values
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values[column - 1] = self._value()

    def _value(self):
        cell = self.cell
        if self.formula is not None:
            return self._formula()
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        value = self.value or None
        if value is None:
            return None
        if kind == "n":
            return self._number(value)
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text result), "e" (an error such as #N/A)

    def _formula(self):
        """openpyxl's reading of the formula (a shared one translated to this cell)."""
        attrs, text = self.formula
        element = Element("c", self.cell)
        SubElement(element, FORMULA_TAG, attrs).text = text
        return self.formulas.parse_formula(element)

    def _number(self, value):
        number = _cast_number(value)
        style = self.cell.get("s")
        style = int(style) if style else 0
        if style not in self.date_formats:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style in self.timedelta_formats)
        except (OverflowError, ValueError):
            warnings.warn(
                f"Cell {self.cell.get('r')} is marked as a date but the serial value {number} is outside the "
                "limits for dates. The cell will be treated as an error.",
                stacklevel=2,
            )
            return "#VALUE!"
