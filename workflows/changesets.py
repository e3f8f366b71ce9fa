"""What a change request carries: operations on tracked records (create, update, delete), and
how they are validated, applied in one transaction, checked for staleness and shown to people.

An operation is plain JSON, so a request stores exactly what was approved:
    {"action": "update", "model": "records.employee", "pk": 7, "values": {...}, "base": 123, "old": {...}}
`base` is the history id of the row the proposal was made against, and `old` that row's values
(by attname), kept for the request's pages to show old → new without reading the version (a
request stored before `old` was kept reads it). A create may name itself with "ref"
("employee"); later operations point at it with the value "$employee".
"""

import copy
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext as _

from duedates.services import check_retirement_decision
from inspections import editing as inspection_editing
from records.models import Employee, RetirementDecision, SalaryHistory, WorkHistory
from records.models.subrecords import SUBRECORD_MODELS, period
from records.selectors import MASK, describe_row, display_value
from records.sensitivity import PROTECTED, may_show
from tracking.context import ChangeContext, tracked_change
from tracking.savepoints import rolled_back

from . import salary_changes

CREATE, UPDATE, DELETE = "create", "update", "delete"


@dataclass(frozen=True)
class Spec:
    """How one tracked model takes part in requests."""

    model: type
    fields: tuple  # what an officer may set
    parent: str | None  # FK to the owning object, fixed when the row is created
    owner: Callable  # row -> the unit whose officers propose and approvers approve


def _specs() -> dict[str, Spec]:
    Unit = apps.get_model("units", "Unit")
    StaffingQuota = apps.get_model("units", "StaffingQuota")
    Position = apps.get_model("units", "Position")
    specs = [
        Spec(Employee, (*Employee.CHANGEABLE_FIELDS, "managing_unit"), None, lambda e: e.managing_unit),
        # A new unit is created under its parent ("parent" is the tree position, not a field).
        Spec(Unit, (*Unit.EDITABLE_FIELDS, "code"), "parent", lambda u: u),
        Spec(StaffingQuota, StaffingQuota.EDITABLE_FIELDS, "unit", lambda q: q.unit),
        Spec(Position, Position.EDITABLE_FIELDS, "unit", lambda p: p.unit),
        *(Spec(*row) for row in inspection_editing.CHANGEABLE),
    ]
    specs += [Spec(m, m.EDITABLE_FIELDS, "employee", lambda r: r.employee.managing_unit) for m in SUBRECORD_MODELS]
    return {m.model._meta.label_lower: m for m in specs}


_SPECS: dict[str, Spec] | None = None


def spec_for(label: str) -> Spec:
    global _SPECS
    if _SPECS is None:
        _SPECS = _specs()
    try:
        return _SPECS[label]
    except KeyError:
        message = _("Loại dữ liệu không được phép thay đổi qua yêu cầu: %(label)s") % {"label": label}
        raise ValidationError(message) from None


def label_of(model) -> str:
    return model._meta.label_lower


# --- building operations -------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, models.Model):
        return value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def latest_history_id(obj) -> int | None:
    """The id of the object's latest history row: the one it was read with, when its page read
    it so (records.selectors.get_employee), else asked."""
    if "latest_history_id" in obj.__dict__:
        return obj.__dict__["latest_history_id"]
    return history_id_of(type(obj), obj.pk)


def history_id_of(model, pk) -> int | None:
    """The history id of the newest version of row `pk` (read without the row itself)."""
    versions = model.history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date", "-history_id")
    return versions.values_list("history_id", flat=True).first()


def make_create(model, values: dict, *, ref: str | None = None) -> dict:
    op = {
        "action": CREATE,
        "model": label_of(model),
        "pk": None,
        "values": {k: _json_value(v) for k, v in values.items()},
    }
    if ref:
        op["ref"] = ref
    return op


def make_update(obj, values: dict) -> dict | None:
    """An update with only the values that differ from the row as it is; None when nothing does."""
    changed = {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        current = getattr(obj, field.attname)
        new = value.pk if isinstance(value, models.Model) else value
        if current != new:
            changed[name] = _json_value(value)
    if not changed:
        return None
    return {
        "action": UPDATE,
        "model": label_of(type(obj)),
        "pk": obj.pk,
        "values": changed,
        "base": latest_history_id(obj),
        "old": stored_row(obj),
    }


def make_delete(obj) -> dict:
    return {
        "action": DELETE,
        "model": label_of(type(obj)),
        "pk": obj.pk,
        "values": {},
        "base": latest_history_id(obj),
        "old": stored_row(obj),
    }


def stored_row(obj) -> dict:
    """The row an update or delete is proposed against, as an operation keeps it ("old"): each
    column's value by attname, as JSON."""
    row = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    return json.loads(json.dumps(row, cls=DjangoJSONEncoder))


def _stored_instance(model, stored: dict):
    """The row kept by stored_row, as an unsaved instance (the values JSON made strings of, such
    as dates and decimals, made Python again)."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in stored:
            raw = stored[field.attname]
            target = field.target_field if field.is_relation else field
            try:
                values[field.attname] = None if raw is None else target.to_python(raw)
            except ValidationError:
                values[field.attname] = raw
    return model(**values)


# --- applying ------------------------------------------------------------------------------


class ChangeSetInvalid(ValidationError):
    """Some operations failed validation; nothing was written. `messages` name each row."""


def _assign(obj, values: dict, refs: dict):
    for name, raw in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            if isinstance(raw, str) and raw.startswith("$"):
                if raw[1:] not in refs:  # the row it belongs to was refused: its own message says why
                    raise ValidationError(_("Không thêm được vì đối tượng mà dòng này thuộc về không hợp lệ."))
                raw = refs[raw[1:]].pk
            setattr(obj, field.attname, None if raw in (None, "") else field.target_field.to_python(raw))
        else:
            setattr(obj, name, field.to_python(raw))


def _is_unit(spec) -> bool:
    return spec.model._meta.label_lower == "units.unit"


def _create_unit(obj, values: dict, refs: dict):
    """A new unit goes under its parent in the tree (treebeard assigns its path)."""
    Unit = apps.get_model("units", "Unit")
    values = dict(values)
    parent = Unit.objects.filter(pk=values.pop("parent", None)).first()
    if parent is None:
        raise ValidationError(_("Phải chọn đơn vị cấp trên."))
    _assign(obj, values, refs)
    obj.full_clean(exclude=["path", "depth", "numchild"])
    return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), instance=obj)


def operation_label(op: dict, index: int) -> str:
    model = spec_for(op["model"]).model
    return _("%(model)s (thay đổi %(n)s)") % {"model": str(model._meta.verbose_name).capitalize(), "n": index + 1}


def _run(op: dict, refs: dict, allowed: set[str], rows: dict):
    if op["action"] == UPDATE:
        obj = _checked_update(op, refs, allowed, rows)
        obj.save()
        return obj
    spec = spec_for(op["model"])
    _check_allowed(op, spec, allowed)
    values = op.get("values") or {}
    if op["action"] == CREATE:
        obj = spec.model()
        if _is_unit(spec):
            obj = _create_unit(obj, values, refs)
        else:
            _assign(obj, values, refs)
            obj.full_clean()
            obj.save()
        if op.get("ref"):
            refs[op["ref"]] = obj
        return obj
    if op["action"] != DELETE:
        raise ValidationError(_("Thao tác không hợp lệ."))
    obj = _existing_row(op, spec, rows)
    obj.delete()
    return obj


def _check_allowed(op: dict, spec: Spec, allowed: set[str]) -> None:
    values = op.get("values") or {}
    forbidden = set(values) - allowed.intersection(set(spec.fields) | ({spec.parent} if spec.parent else set()))
    if forbidden:
        raise ValidationError(_("Không được thay đổi: %(fields)s") % {"fields": ", ".join(sorted(forbidden))})


def _existing_row(op: dict, spec: Spec, rows: dict):
    """The row an update or a delete touches: as the stale check read it under its lock, else
    read and locked now."""
    obj = rows.get((op["model"], op["pk"]))
    if obj is None:
        obj = spec.model._default_manager.select_for_update().filter(pk=op["pk"]).first()
    if obj is None:
        raise ValidationError(_("Dòng dữ liệu này không còn tồn tại."))
    return obj


def _checked_update(op: dict, refs: dict, allowed: set[str], rows: dict):
    """The row of an update, its new values set and checked, not yet written."""
    spec = spec_for(op["model"])
    _check_allowed(op, spec, allowed)
    obj = _existing_row(op, spec, rows)
    values = op.get("values") or {}
    if _is_unit(spec) and {"code", "parent"} & set(values):
        raise ValidationError(_("Không đổi được mã đơn vị hoặc vị trí trong cây qua yêu cầu sửa thông tin."))
    _assign(obj, values, refs)
    unchanged = _unchanged_relations(obj, values)
    obj.full_clean(exclude=unchanged, validate_unique=False)
    obj.validate_unique(exclude=[*unchanged, *unchanged_fields(obj, values)])
    return obj


# Models whose rows are checked again once written (against the person's other rows, or the
# due engine's rules): a set writing one may be refused after it has written.
_CHECKED_AFTER_WRITING = (WorkHistory, SalaryHistory, RetirementDecision)


def _unique_fields(model) -> set[str] | None:
    """The fields a uniqueness rule of `model` covers (None: a rule on an expression)."""
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for together in model._meta.unique_together:
        names.update(together)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if constraint.expressions:
                return None
            names.update(constraint.fields)
    return names


def _refused_before_writing(operations: list[dict]) -> bool:
    """Whether the set, when refused, is refused before it writes anything: one update, of a
    row checked by nothing once written, changing no value a uniqueness rule covers. Its checks
    (full_clean, validate_unique) all run before its one save; no rule can then refuse the
    write itself but a concurrent insert of a unique value, and none is changed."""
    if len(operations) != 1 or operations[0]["action"] != UPDATE:
        return False
    model = spec_for(operations[0]["model"]).model
    unique = _unique_fields(model)
    return (
        not issubclass(model, _CHECKED_AFTER_WRITING)
        and unique is not None
        and not unique & set(operations[0].get("values") or {})
    )


def _unchanged_relations(obj, values: dict) -> list[str]:
    """Relations an update leaves as they are: the database's foreign keys already hold them,
    so full_clean need not read each related row to see that it exists."""
    return [f.name for f in obj._meta.concrete_fields if f.is_relation and f.name not in values]


def unchanged_fields(obj, values: dict) -> list[str]:
    """Fields an update leaves as they are: their uniqueness already holds in the database (its
    constraint keeps it), so it is not asked again, one query per unique field."""
    return [f.name for f in obj._meta.concrete_fields if f.name not in values]


def _messages(exc: ValidationError, model) -> list[str]:
    """Each message prefixed by the label of the field it is about."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for name, errors in exc.error_dict.items():
        label = "" if name == "__all__" else f"{model._meta.get_field(name).verbose_name}: "
        out += [f"{label}{message}" for error in errors for message in error.messages]
    return out


def _rule_problems(op: dict, index: int, obj) -> list[str]:
    """What the due engine's rule rows refuse in a row just written: a retirement decision over
    the limits in force on its date (duedates.services.check_retirement_decision)."""
    if not isinstance(obj, RetirementDecision) or op["action"] == DELETE:
        return []
    return [f"{operation_label(op, index)}: {m}" for m in check_retirement_decision(obj)]


def check_work_history(employee_id: int) -> list[str]:
    """Work-history periods of one person may not overlap; an open period is ongoing."""
    rows = list(WorkHistory.objects.filter(employee_id=employee_id).order_by("start_date", "pk"))
    problems = []
    for previous, current in zip(rows, rows[1:], strict=False):
        if previous.end_date is None or current.start_date <= previous.end_date:
            problems.append(
                _("Quá trình công tác chồng lấn: %(a)s (%(pa)s) và %(b)s (%(pb)s).")
                % {
                    "a": previous.organisation,
                    "pa": period(previous.start_date, previous.end_date),
                    "b": current.organisation,
                    "pb": period(current.start_date, current.end_date),
                }
            )
    return problems


def apply_operations(
    operations: list[dict],
    *,
    context: ChangeContext,
    allow_fields: set[str] | None = None,
    dry_run: bool = False,
    rows: dict | None = None,
) -> dict:
    """Apply every operation in one transaction, or none. Returns the created rows by ref.

    `allow_fields` limits which fields may be written (the managing unit only by transfer).
    Raises ChangeSetInvalid listing every problem, each prefixed by the row it concerns.
    `dry_run`: everything is checked and then rolled back (tracking.savepoints.rolled_back: its
    savepoint is not released, one statement less than an atomic block's).
    `rows`: rows already read, {(model label, pk): row} (stale_operations' locked rows), written
    instead of being read again.

    Each operation runs in a savepoint, so that after one fails (an IntegrityError aborts the
    transaction on PostgreSQL) the others are still checked; a set of one operation needs none:
    when it fails nothing else is read, and this block's own savepoint undoes it.
    """
    refs: dict = {}
    problems: list[str] = []
    allowed = allow_fields if allow_fields is not None else default_fields()
    refused = salary_changes.refused_salary_edits(operations)
    operations = salary_changes.with_salary_of_new_rows(operations)
    if not dry_run and not refused and _refused_before_writing(operations):
        with _transaction_if_none(), tracked_change(context):
            _apply_checked_first(operations[0], refs, allowed, rows or {})
        return refs
    with rolled_back() if dry_run else transaction.atomic(), tracked_change(context):
        employees, salaries = set(), set()
        for index, op in enumerate(operations):
            if index in refused:
                problems.append(f"{operation_label(op, index)}: {refused[index]}")
                continue
            try:
                with transaction.atomic(savepoint=len(operations) > 1):
                    obj = _run(op, refs, allowed, rows or {})
            except ValidationError as exc:
                problems += _problems(op, index, exc)
                continue
            except IntegrityError:
                problems.append(f"{operation_label(op, index)}: " + _("trùng với dữ liệu đã có."))
                continue
            # Periods overlap only through work-history rows: a set that touches none of a
            # person's leaves them as they were checked.
            if isinstance(obj, WorkHistory):
                employees.add(obj.employee_id)
            if isinstance(obj, SalaryHistory):
                salaries.add(obj.employee_id)
            problems += _rule_problems(op, index, obj)
        for employee_id in employees:
            problems += check_work_history(employee_id)
        for employee_id in sorted(salaries):
            problems += salary_changes.follow_salary_history(employee_id)
        if problems:
            raise ChangeSetInvalid(problems)
    return refs


def _problems(op: dict, index: int, exc: ValidationError) -> list[str]:
    return [f"{operation_label(op, index)}: {m}" for m in _messages(exc, spec_for(op["model"]).model)]


def _transaction_if_none():
    """A transaction, unless one is open already (no savepoint: see _apply_checked_first)."""
    return nullcontext() if transaction.get_connection().in_atomic_block else transaction.atomic()


def _apply_checked_first(op: dict, refs: dict, allowed: set[str], rows: dict) -> None:
    """A set refused, if at all, before it writes (_refused_before_writing): checked, then
    written, without a savepoint (two statements) to undo a write that nothing refuses. An
    error the write raises is not a refusal: it leaves the caller's transaction, which rolls
    back whole, so nothing is half-written either way."""
    try:
        obj = _checked_update(op, refs, allowed, rows)
    except ValidationError as exc:
        raise ChangeSetInvalid(_problems(op, 0, exc)) from exc
    obj.save()


def default_fields() -> set[str]:
    """Every field a request may write, except the managing unit (only transfers and new hires)."""
    spec_for("records.employee")
    fields = {name for spec in _SPECS.values() for name in spec.fields}
    fields |= {spec.parent for spec in _SPECS.values() if spec.parent}
    return fields - {"managing_unit"}


def fields_with_managing_unit() -> set[str]:
    return default_fields() | {"managing_unit"}


def validate_operations(operations: list[dict], *, user, allow_fields: set[str] | None = None, known=()) -> None:
    """Apply the operations in a transaction that is always rolled back: the one rule set that
    will decide at apply time decides now, so a request with errors is never submitted. `known`:
    rows the caller has just read (the object whose page proposed the set), not read again."""
    if not operations:
        raise ValidationError(_("Không có thay đổi nào so với dữ liệu hiện tại."))
    apply_operations(
        operations,
        context=ChangeContext(reason="kiểm tra trước khi gửi", proposed_by=user, approved_by=user),
        allow_fields=allow_fields,
        dry_run=True,
        # copies: the dry run writes on them, and the caller's stay as they were read
        rows={(label_of(type(obj)), obj.pk): copy.copy(obj) for obj in known},
    )


def _parent_model(spec: Spec):
    # A unit's "parent" is its place in the tree, not a field: the parent is a unit.
    return spec.model if _is_unit(spec) else spec.model._meta.get_field(spec.parent).related_model


def _rows_touched(operations: list[dict]) -> dict[str, set[int]]:
    """The rows a set changes or removes, and the rows they and new rows belong to (whose other
    rows the checks read: a person's work periods must not overlap), by model label."""
    rows: dict[str, set[int]] = {}
    changed: dict[str, set[int]] = {}  # rows of child models changed or removed, to find their parents

    def add(model, pk):
        rows.setdefault(label_of(model), set()).add(pk)

    for op in operations:
        spec = spec_for(op["model"])
        if op["action"] != CREATE:
            add(spec.model, op["pk"])
            if spec.parent and not _is_unit(spec):
                changed.setdefault(op["model"], set()).add(op["pk"])
            continue
        raw = (op.get("values") or {}).get(spec.parent) if spec.parent else None
        if isinstance(raw, int):  # not a "$ref" to a row the same set creates
            add(_parent_model(spec), raw)
    for label, pks in changed.items():  # a row's parent is fixed when it is created: safe to read unlocked
        spec = spec_for(label)
        attname = spec.model._meta.get_field(spec.parent).attname
        for parent_pk in spec.model._default_manager.filter(pk__in=pks).values_list(attname, flat=True):
            add(_parent_model(spec), parent_pk)
    return rows


def lock_rows(operations: list[dict]) -> dict[str, dict]:
    """Lock every row a set touches until the end of the transaction, always in the same order
    (model label, then pk), so two requests on the same rows run one after the other instead
    of both passing the stale check, and never deadlock on each other. Returns the rows found
    (and locked), {model label: {pk: row}}: read under the lock, they are current for the
    write that follows."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("lock_rows needs a transaction: the locks last until it ends.")
    found = {}
    for label, pks in sorted(_rows_touched(operations).items()):
        model = apps.get_model(label)
        locked = model._default_manager.select_for_update().filter(pk__in=pks).order_by("pk")
        found[label] = {row.pk: row for row in locked}
    return found


def stale_operations(operations: list[dict], *, rows: dict | None = None) -> list[int]:
    """Indexes of operations whose row changed since the request was made. The rows are locked
    first (lock_rows), so what this finds still holds for the write that follows in the same
    transaction; `rows`, when given, receives them by (model label, pk) for apply_operations."""
    locked = lock_rows(operations)
    if rows is not None:
        rows.update({(label, pk): row for label, found in locked.items() for pk, row in found.items()})
    stale = []
    for index, op in enumerate(operations):
        if op["action"] == CREATE:
            continue
        model = spec_for(op["model"]).model
        if op["pk"] not in locked[op["model"]] or history_id_of(model, op["pk"]) != op.get("base"):
            stale.append(index)
    return stale


def owning_unit(op: dict, *, refs_unit=None, known=()):
    """The unit that manages the row an operation touches (its officers propose it). `known`:
    rows the caller has just read (the object whose page proposed the set), not read again."""
    spec = spec_for(op["model"])
    if op["action"] != CREATE:
        obj = next((o for o in known if label_of(type(o)) == op["model"] and o.pk == op["pk"]), None)
        if obj is None:
            obj = spec.model._default_manager.filter(pk=op["pk"]).first()
        return spec.owner(obj) if obj is not None else None
    values = op.get("values") or {}
    if _is_unit(spec):  # a new unit belongs to its parent until it exists
        return apps.get_model("units", "Unit").objects.filter(pk=values.get("parent")).first()
    if spec.parent:
        raw = values.get(spec.parent)
        if isinstance(raw, str) and raw.startswith("$"):
            return refs_unit
        parent_model = spec.model._meta.get_field(spec.parent).related_model
        parent = parent_model._default_manager.filter(pk=raw).first()
        return spec_for(label_of(parent_model)).owner(parent) if parent is not None else None
    if spec.model is Employee:
        Unit = apps.get_model("units", "Unit")
        return Unit.objects.filter(pk=values.get("managing_unit")).first()
    return None


# --- describing --------------------------------------------------------------------------


def python_values(model, values: dict) -> dict:
    out = {}
    for name, raw in values.items():
        if name not in {f.name for f in model._meta.get_fields()}:
            continue  # a tree position ("parent"), shown by the request's unit
        field = model._meta.get_field(name)
        if field.is_relation:
            out[name] = raw
        else:
            try:
                out[name] = field.to_python(raw)
            except ValidationError:
                out[name] = raw
    return out


def _instance(model, values: dict):
    obj = model()
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.is_relation:
            if not (isinstance(value, str) and value.startswith("$")):
                setattr(obj, field.attname, value)
        else:
            setattr(obj, name, value)
    return obj


def describe_operation(op: dict, *, masked: bool = False) -> dict:
    """One operation as a person reads it: what kind of row, added / changed / removed, and
    for a change the old → new value of each field (old as of the version it was proposed against)."""
    model = spec_for(op["model"]).model
    values = python_values(model, op.get("values") or {})
    row = {"action": op["action"], "model": model._meta.verbose_name, "fields": []}
    sensitive = not masked
    if not may_show(model, sensitive=sensitive):
        row["object"] = PROTECTED
        return row
    if op["action"] == CREATE:
        row["object"] = describe_row(_instance(model, values), sensitive=sensitive)
        return row
    if op.get("old") is not None:
        current = _stored_instance(model, op["old"])
    else:  # stored before operations kept their row: its version, read
        base = model.history.filter(history_id=op.get("base")).first() if op.get("base") else None
        current = base.instance if base is not None else model._default_manager.filter(pk=op["pk"]).first()
    row["object"] = describe_row(current, sensitive=sensitive) if current is not None else f"#{op['pk']}"
    if op["action"] == UPDATE:
        for name, value in values.items():
            field = model._meta.get_field(name)
            old = getattr(current, field.attname) if current is not None else None
            if not may_show(model, name, sensitive=sensitive):
                row["fields"].append({"field": field.verbose_name, "old": MASK, "new": MASK})
                continue
            row["fields"].append(
                {"field": field.verbose_name, "old": display_value(field, old), "new": display_value(field, value)}
            )
    return row


def describe_operations(operations: list[dict], *, masked: bool = False) -> list[dict]:
    """Every operation as a person reads it; sensitive rows and fields hidden when `masked`."""
    return [describe_operation(op, masked=masked) for op in operations] + salary_changes.salary_effects(operations)
