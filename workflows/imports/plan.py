"""The plan of a clean validation: the rows to create and to change, as the rules left them,
kept beside the stored file. An approved batch is written from it without reading and checking
the file again, unless the data the check read may have changed meanwhile.

What the check read is known by the history chains (tracking.ledger): their links are made in
commit order, so every history row committed after the heads noted when the check began lies
past them. One about a person of the file (by id or CCCD), a position of the unit or a salary
table, or another day (the rules compare dates with today), sends the apply back to the whole
check, which refuses with the rows that changed or writes what the approvers saw.
"""

import datetime
import gzip
import hashlib
import json
import tempfile
from decimal import Decimal

from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from records.models import Employee, SalaryRank, SalaryTable
from tracking.ledger import heads, linked_since
from tracking.models import bulk_create_tracked
from units.models import Position

from ..models import ImportBatch
from .columns import sheets
from .rows import CHUNK
from .subrecords import write_subrecords

VERSION = 1
SINCE_CHUNK = 5000  # history rows read at a time when looking at what changed since the check


def _models() -> list:
    """The models the import writes, in the order of the sheets."""
    return [s.model for s in sheets()]


def _watched() -> list:
    """The history models whose rows, once committed, may change what the check found."""
    return [m.history.model for m in (*_models(), Position, SalaryTable, SalaryRank)]


def _fields(model) -> list:
    return [f.attname for f in model._meta.concrete_fields]


def _reader(model):
    """How each stored value becomes the field's value again (JSON has no dates or decimals)."""
    convert = []
    for field in model._meta.concrete_fields:
        kind = field.get_internal_type()
        if kind == "DateField":
            convert.append(lambda v: v if v is None else datetime.date.fromisoformat(v))
        elif kind == "DecimalField":
            convert.append(lambda v: v if v is None else Decimal(v))
        elif kind in ("DateTimeField", "TimeField", "DurationField", "UUIDField"):
            convert.append(field.to_python)
        else:
            convert.append(None)
    return lambda values: [v if c is None else c(v) for v, c in zip(values, convert, strict=True)]


def _values(obj) -> list:
    return [getattr(obj, name) for name in _fields(type(obj))]


class PlanWriter:
    """Streams a validation's plan to a temporary file; `save` stores it beside the file."""

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.marks = heads(_watched())  # before any row is read
        self.today = timezone.localdate().isoformat()
        self._file = tempfile.TemporaryFile()
        self._gzip = gzip.GzipFile(fileobj=self._file, mode="wb", compresslevel=1)

    def _line(self, entry: dict):
        self._gzip.write(json.dumps(entry, cls=DjangoJSONEncoder, ensure_ascii=False).encode() + b"\n")

    def employees(self, creates: list, updates: list):
        self._line(
            {
                "model": Employee._meta.label,
                "create": [_values(obj) for obj in creates],
                "update": [_values(obj) for obj in updates],
            }
        )

    def subrecords(self, model, creates: list, updates: dict):
        self._line(
            {
                "model": model._meta.label,
                "cccd": [cccd for cccd, _obj in creates],
                "create": [_values(obj) for _cccd, obj in creates],
                "update": [[pk, changed] for pk, changed in updates.items()],
            }
        )

    def save(self, *, cccds, ids) -> dict:
        """Store the plan beside the file; returns what the batch's summary keeps of it."""
        self._line({"people": {"cccds": sorted(cccds), "ids": sorted(ids)}})
        self._gzip.close()
        self._file.seek(0)
        digest = hashlib.sha256()
        while chunk := self._file.read(1 << 20):
            digest.update(chunk)
        self._file.seek(0)
        name = self.batch.file.storage.save(f"{self.batch.file.name}.plan.jsonl.gz", File(self._file))
        return {
            "version": VERSION,
            "name": name,
            "sha256": digest.hexdigest(),
            "marks": self.marks,
            "today": self.today,
            "fields": {m._meta.label: _fields(m) for m in _models()},
        }

    def close(self):
        self._file.close()


def discard_plan(batch: ImportBatch) -> dict:
    """Forget the batch's plan (its summary without it); the stored plan is deleted by the caller's
    `delete` once the transaction commits."""
    return {k: v for k, v in (batch.summary or {}).items() if k != "plan"}


def plan_name(batch: ImportBatch) -> str:
    return ((batch.summary or {}).get("plan") or {}).get("name", "")


def _verified(batch: ImportBatch, plan: dict) -> bool:
    """Is the stored plan there, and the one stored at the check?"""
    try:
        with batch.file.storage.open(plan["name"], "rb") as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except (OSError, ValueError):
        return False
    return digest.hexdigest() == plan["sha256"]


def _lines(batch: ImportBatch, plan: dict):
    """The plan's lines, streamed (still JSON text)."""
    with batch.file.storage.open(plan["name"], "rb") as handle, gzip.GzipFile(fileobj=handle, mode="rb") as lines:
        yield from lines


def _people(batch: ImportBatch, plan: dict) -> dict | None:
    """The plan's last line: the CCCDs and ids of the file's people."""
    last = None
    for last in _lines(batch, plan):  # noqa: B007
        pass
    return json.loads(last).get("people") if last else None


def _changed_since(batch: ImportBatch, plan: dict, people: dict) -> bool:
    """Was a history row the check depends on committed after it began?"""
    marks = plan["marks"]
    cccds, ids = set(people["cccds"]), set(people["ids"])
    for history in _watched():
        since = linked_since(history, marks.get(history._meta.db_table, 0))
        if not since:
            continue
        model = history.instance_type
        if model in (SalaryTable, SalaryRank):
            return True
        for start in range(0, len(since), SINCE_CHUNK):
            rows = history.objects.filter(history_id__in=since[start : start + SINCE_CHUNK])
            if model is Position:
                if rows.filter(unit_id=batch.unit_id).exists():
                    return True
            elif model is Employee:
                for pk, cccd in rows.values_list("id", "citizen_id"):
                    if pk in ids or cccd in cccds:
                        return True
            elif any(pk in ids for pk in rows.values_list("employee_id", flat=True)):
                return True
    return False


def apply_plan(batch: ImportBatch, *, progress) -> bool:
    """Write an approved batch from its plan, inside the caller's transaction and change context.
    False, having written nothing, when there is no usable plan or the data may have changed
    since the check: the caller then checks the whole file again."""
    plan = (batch.summary or {}).get("plan")
    if not plan or plan.get("version") != VERSION or plan.get("today") != timezone.localdate().isoformat():
        return False
    if plan.get("fields") != {m._meta.label: _fields(m) for m in _models()}:
        return False  # the models changed since the check
    if not _verified(batch, plan):
        return False
    people = _people(batch, plan)
    if people is None or _changed_since(batch, plan, people):
        return False
    models = {m._meta.label: m for m in _models()}
    unit_people, done = None, 0
    for line in _lines(batch, plan):
        entry = json.loads(line)
        if "people" in entry:
            break
        model = models[entry["model"]]
        read = _reader(model)
        fields = _fields(model)
        if model is Employee:
            if entry["create"]:
                bulk_create_tracked(
                    Employee, [Employee(*read(v)) for v in entry["create"]], batch_size=CHUNK, validate=False
                )
            for values in entry["update"]:
                Employee.from_db(DEFAULT_DB_ALIAS, fields, read(values)).save()
        else:
            if unit_people is None:  # now with the people just created
                unit_people = dict(Employee.objects.filter(managing_unit=batch.unit).values_list("citizen_id", "pk"))
            creates = [(cccd, model(*read(v))) for cccd, v in zip(entry["cccd"], entry["create"], strict=True)]
            write_subrecords(unit_people, model, creates, _updates(model, entry["update"]))
        done += len(entry["create"]) + len(entry["update"])
        progress(done)
    return True


def _updates(model, stored: list) -> dict:
    """{pk: {attname: value}} of the changed fields, their values as the fields take them."""
    read = {f.attname: f.to_python for f in model._meta.concrete_fields}
    return {pk: {name: read[name](value) for name, value in changed.items()} for pk, changed in stored}
