"""One streamed pass over a workbook: finds the data sheets, maps their header rows to
columns, parses rows in chunks and hands each chunk to the employee or sub-record rules;
collects errors (sheet, row, column, cell) and a digest of what each row does."""

import hashlib
from itertools import chain

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from records.models import Employee, WorkHistory
from records.models.employee import today_held
from records.models.salary import salary_index_held

from ..models import ImportBatch
from . import employees, subrecords
from .cells import Cells, cell_text, is_blank
from .columns import Sheet, norm, sheets, special_titles
from .rows import (
    CHUNK,
    CREATED,
    MAX_ERRORS,
    UNCHANGED,
    UPDATED,
    Outcome,
    Row,
    SheetState,
)


class Pass:
    """One streamed pass over a file: every rule on every row and, in apply mode, the writes
    (in a validation, the plan of those writes).

    Keeps only what rules across rows need: the CCCDs of the employee sheet, natural keys and
    work periods per person, and the natural keys of the sub-records already in the unit.
    Identical passes over identical data yield the same digest of what each row does.
    """

    def __init__(self, batch: ImportBatch, *, apply: bool, progress=None, plan=None):
        self.unit = batch.unit
        self.apply = apply
        self.plan = plan  # a validation's PlanWriter (plan.py): what a clean file would write
        self.progress = progress or (lambda done: None)
        self.cells = Cells(self.unit)
        self.outcome = Outcome()
        self._digest = hashlib.sha256()
        self._order: dict[str, int] = {}
        self.file_people: dict[str, int] = {}  # CCCD → its row on the employee sheet
        self.all_people: set[str] = set()
        self.unit_people = self.unit_people_ids()

    def unit_people_ids(self) -> dict:
        """{CCCD: employee id} of the people the unit manages."""
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

    def row_errors(self, spec, columns, row: Row):
        """Record every error of a parsed row, each message once."""
        for key, messages in row.errors.items():
            for message in dict.fromkeys(messages):
                self.error(spec, row.number, key, message, columns)

    # -- the workbook and its sheets

    def run(self, workbook) -> Outcome:
        specs = sheets()
        by_title = {norm(s.title): s for s in specs}
        skip = {norm(t) for t in special_titles().values()}
        found = {}
        for name, _part in workbook.sheets:
            spec = by_title.get(norm(name))
            if spec is not None:
                found[spec.model] = (spec, workbook.part(name))
            elif norm(name) not in skip:
                self.error(
                    None,
                    None,
                    None,
                    _("Trang tính “%(name)s” không thuộc mẫu nhập; xoá trang này hoặc dùng đúng tên trang của mẫu.")
                    % {"name": name},
                )
        ordered = [found[s.model] for s in specs if s.model in found]
        self._order = {spec.title: index for index, (spec, _part) in enumerate(ordered)}
        with salary_index_held(), today_held():
            for spec, part in ordered:
                self._sheet(spec, workbook.rows(part))
        outcome = self.outcome
        if not outcome.rows and not outcome.errors_total:
            self.error(None, None, None, _("Tệp không có dòng dữ liệu nào."))
        outcome.errors.sort(key=lambda e: e["_order"])
        for error in outcome.errors:
            del error["_order"]
        outcome.digest = self._digest.hexdigest()
        outcome.people = len(self.all_people)
        if self.plan is not None and not outcome.errors_total and outcome.changes:
            ids = [self.unit_people[c] for c in self.all_people if c in self.unit_people]
            outcome.plan = self.plan.save(cccds=self.all_people, ids=ids)
        return outcome

    def _sheet(self, spec: Sheet, rows):
        self.outcome.counts[spec.title] = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        columns, number, pending = self._header(spec, rows)
        if columns is None:
            return
        state = SheetState()
        if not spec.is_employee:
            state.index = subrecords.existing_subrecords(self.unit, spec)
        chunk = []
        for values in chain(pending, rows):
            number += 1
            if values is None or all(is_blank(v) for v in values):
                continue
            chunk.append((number, values))
            if len(chunk) >= CHUNK:
                self._chunk(spec, columns, chunk, state)
                chunk = []
        if chunk:
            self._chunk(spec, columns, chunk, state)
        if spec.model is WorkHistory:
            subrecords.check_periods(self, spec, columns, state)
        if spec.is_employee and self.apply:
            self.unit_people = self.unit_people_ids()  # now with the people just created

    def _header(self, spec: Sheet, rows):
        """(columns by position, number of the last header row, rows read ahead that are data).

        The hidden first row names the columns by key; a file made by hand may carry only the
        header labels instead, or keys with no label row under them."""
        first = next(rows, None)
        if first is None:
            return None, 0, []
        names = [cell_text(v) for v in first]
        if not any(name in spec.by_key for name in names):
            return self._map_columns(spec, [norm(n) for n in names], spec.by_label), 1, []
        columns = self._map_columns(spec, names, spec.by_key)
        second = next(rows, None)
        if second is None:
            return columns, 2, []
        if any(norm(cell_text(v)) in spec.by_label for v in second if not is_blank(v)):
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
            employees.employee_rows(self, spec, columns, rows)
        else:
            subrecords.subrecord_rows(self, spec, columns, rows, state)
        self.outcome.rows += len(chunk)
        self.progress(self.outcome.rows)

    def _parse(self, columns, number, values) -> Row:
        row = Row(number, {}, {})
        for index, column in enumerate(columns):
            if column is None:
                continue
            raw = values[index] if index < len(values) else None
            if column.required and is_blank(raw):
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

    def record(self, spec, row, action, fingerprint=""):
        """Count what a row does and add it to the digest the approvers' version is checked against."""
        self.outcome.counts[spec.title][action] += 1
        self._digest.update(f"{spec.title}|{row.number}|{action}|{fingerprint}\n".encode())
