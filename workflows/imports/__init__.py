"""Importing a unit's employees and their sub-records from an xlsx file: the documented template,
whole-file validation, one bulk change request, and the all-or-nothing apply once approved.

The file is streamed (openpyxl read_only), never held whole: a pass keeps only what cross-row
rules need (CCCDs seen, natural keys seen, work periods). It is read to validate before
submission, which stores the plan of the writes beside it; the apply writes the plan, unless the
data the check read changed meanwhile: then the file is read again inside the apply transaction,
every rule runs again and a digest of what each row would do must match the one the approvers saw.

columns     the data sheets and their columns, derived from the models
template    the workbooks written: the template (optionally filled) and the error report
cells       a cell's value as a field value; the model's own rules on a row
rows        what a pass carries: parsed rows, the outcome, per-sheet state
passes      one streamed pass over a workbook: sheets, headers, chunks, errors, digest
employees   the employee sheet's rules and writes
subrecords  the sub-record sheets' rules and writes, work periods
limits      what a file may weigh (upload, unzipped, expansion, rows), checked before parsing
reading     opening a stored file safely, progress, the summary
plan        the writes a clean validation found, stored; applying them; what changed since the check
services    upload, validate and submit, apply, deleting refused files, the batches a user may see
"""

from .columns import NATURAL_KEYS, Column, Sheet, sheets
from .services import (
    PENDING_STATUSES,
    apply_import_batch,
    create_import_batch,
    get_import_batch,
    history_reason,
    list_import_batches,
    purge_refused_import_files,
    queue_import_apply,
    recover_interrupted_imports,
    sync_import_status,
    validate_import_batch,
)
from .template import build_workbook, error_report_workbook, template_workbook

__all__ = [
    "NATURAL_KEYS",
    "PENDING_STATUSES",
    "Column",
    "Sheet",
    "apply_import_batch",
    "build_workbook",
    "create_import_batch",
    "error_report_workbook",
    "get_import_batch",
    "history_reason",
    "list_import_batches",
    "purge_refused_import_files",
    "recover_interrupted_imports",
    "queue_import_apply",
    "sheets",
    "sync_import_status",
    "template_workbook",
    "validate_import_batch",
]
