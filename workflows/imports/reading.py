"""Reading a stored file: its hash before an apply, the limits before any parsing (limits.py),
the workbook read safely (defusedxml; XML that declares entities is refused), progress, and the
batch summary of a pass."""

import hashlib
import logging
import time
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

import openpyxl.xml
from defusedxml import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils.translation import gettext as _

from ..models import ImportBatch
from .columns import norm, sheets
from .limits import check_archive, check_upload_size, count_rows
from .passes import Pass
from .rows import Outcome
from .xlsx import Workbook

logger = logging.getLogger("workflows.imports")  # the name of this package

# openpyxl parses with defusedxml when it is installed (requirements.txt) and not switched off
# (OPENPYXL_DEFUSEDXML=False): without it an uploaded file could expand entities.
if not openpyxl.xml.DEFUSEDXML:
    raise ImproperlyConfigured(
        "openpyxl must read xlsx files with defusedxml: install it and leave OPENPYXL_DEFUSEDXML unset."
    )


class FileUnreadable(Exception):
    """The stored file cannot be read as the template (missing, changed, or not a workbook)."""


class Progress:
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


def data_rows(workbook, rows_by_part: dict) -> int:
    """Data rows of the data sheets (the progress bar's total), from the rows counted per part."""
    titles = {norm(s.title) for s in sheets()}
    total = 0
    for title, part in workbook.sheets:
        if norm(title) in titles:
            total += max(0, rows_by_part.get(part.lstrip("/"), 0) - 2)
    return total


def _open(batch: ImportBatch):
    try:
        return batch.file.open("rb")
    except (OSError, ValueError) as exc:
        raise FileUnreadable(_("Không tìm thấy tệp đã tải lên.")) from exc


def _check_hash(batch: ImportBatch, handle) -> None:
    digest = hashlib.sha256()
    for chunk in handle.chunks():
        digest.update(chunk)
    if digest.hexdigest() != batch.sha256:
        raise FileUnreadable(_("Tệp đã lưu không còn giống tệp đã kiểm tra (mã băm khác)."))
    handle.seek(0)


def check_stored_file(batch: ImportBatch) -> None:
    """Before an apply: the stored file must hash as when it was checked (FileUnreadable if not)."""
    with _open(batch) as handle:
        _check_hash(batch, handle)


def read_batch(batch: ImportBatch, *, apply: bool, progress: Progress, plan=None) -> Outcome:
    """One pass over the batch's stored file, after its size, expansion and rows were checked
    against the limits; before an apply, the file must hash as when it was checked."""
    with _open(batch) as handle:
        if apply:
            _check_hash(batch, handle)
        try:
            check_upload_size(batch.file.size)
            rows_by_part = count_rows(handle, check_archive(handle))
        except ValidationError as exc:
            raise FileUnreadable(exc.messages[0]) from exc
        try:
            return _parse(batch, handle, apply=apply, progress=progress, rows_by_part=rows_by_part, plan=plan)
        except (DefusedXmlException, ParseError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
            # openpyxl parses sheets while opening the file and while reading it: an entity
            # declaration (an XML bomb, an external entity) or broken XML surfaces in either, and
            # nothing of the pass is kept.
            logger.warning("Import %s: unsafe or broken XML: %r", batch.pk, exc)
            raise FileUnreadable(
                _(
                    "Tệp có nội dung XML không an toàn hoặc bị hỏng (%(problem)s) nên không được đọc tiếp. "
                    "Hãy mở tệp bằng Excel, lưu lại rồi tải lên."
                )
                % {"problem": type(exc).__name__}
            ) from exc


def _xml_cause(exc: BaseException):
    """The XML parser's refusal behind an exception, if that is what it is."""
    while exc is not None:
        if isinstance(exc, (DefusedXmlException, ParseError)):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _parse(batch: ImportBatch, handle, *, apply: bool, progress: Progress, rows_by_part: dict, plan) -> Outcome:
    try:
        # A formula is read as its text and refused on its row (cells.is_formula).
        workbook = Workbook(handle)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        cause = _xml_cause(exc)
        if cause is not None:  # openpyxl wraps the parser's refusal in a ValueError
            raise cause from exc
        logger.info("Import %s: unreadable workbook: %r", batch.pk, exc)
        raise FileUnreadable(_("Không đọc được tệp; hãy dùng tệp Excel .xlsx theo mẫu.")) from exc
    try:
        if not apply:
            progress.total(data_rows(workbook, rows_by_part))
        return Pass(batch, apply=apply, progress=progress, plan=plan).run(workbook)
    finally:
        workbook.close()


def file_error(message) -> dict:
    """An error about the whole file, in the shape of a row error."""
    return {"sheet": "", "row": None, "column": "", "cell": "", "message": str(message)}


def summary(outcome: Outcome) -> dict:
    """What a pass found, as stored on the batch (the digest is checked again at apply)."""
    return {
        "rows": outcome.rows,
        "people": outcome.people,
        "changes": outcome.changes,
        "sheets": [{"title": title, **counts} for title, counts in outcome.counts.items()],
        "updated_people": outcome.updated_people,
        "errors_total": outcome.errors_total,
        "digest": outcome.digest,
        **({"plan": outcome.plan} if outcome.plan else {}),
    }
