"""The rules and writes of the sub-record sheets: each row belongs to a person of the file or
of the unit, is matched on its natural key with the rows already on file (so a re-import adds
nothing), and work periods of one person may not overlap."""

from itertools import pairwise

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from records.models import Employee, WorkHistory
from records.models.subrecords import period
from tracking.models import bulk_create_tracked

from .cells import clean_model
from .rows import (
    CHUNK,
    CREATED,
    UNCHANGED,
    UPDATED,
    Row,
    natural_key,
    other_unit_message,
)


def existing_subrecords(unit, spec) -> dict:
    """{employee id: {natural key: (pk, values of EDITABLE_FIELDS)}}, as tuples: at a re-import
    this holds every row of the sheet's kind in the unit."""
    index: dict = {}
    names = spec.model.EDITABLE_FIELDS
    rows = spec.model.objects.filter(employee__managing_unit=unit).values_list("employee_id", "pk", *names)
    for employee_id, pk, *values in rows.iterator(chunk_size=5000):
        index.setdefault(employee_id, {})[natural_key(spec, dict(zip(names, values, strict=True)))] = (
            pk,
            tuple(values),
        )
    return index


def subrecord_rows(run, spec, columns, rows, state):
    """Check one chunk of a sub-record sheet and, in apply mode with no error so far, write it."""
    model = spec.model
    present = [c for c in columns if c is not None and c.attname]
    defaults = {c.key: c.field.get_default() for c in spec.columns if c.key in spec.natural_key}
    elsewhere = _managed_elsewhere(run, rows)
    creates, updates = [], {}
    for row in rows:
        employee_id = _owner(run, row, elsewhere)
        match = _match(spec, row, employee_id, {**defaults, **row.values}, state)
        obj = _filled(model, row, employee_id, match)
        for name, messages in clean_model(obj, set(row.errors) | {"employee"}).items():
            row.errors.setdefault(name, []).extend(messages)
        if row.errors:
            run.row_errors(spec, columns, row)
            continue
        if match is None:
            run.record(spec, row, CREATED)
            creates.append((row.cccd, obj))
        else:
            old = dict(zip(model.EDITABLE_FIELDS, match[1], strict=False))
            changed = {c.attname: getattr(obj, c.attname) for c in present if getattr(obj, c.attname) != old[c.key]}
            run.record(spec, row, UPDATED if changed else UNCHANGED, f"{match[0]}:{match[1]!r}")
            if changed:
                updates[match[0]] = changed
        if model is WorkHistory:
            state.periods.setdefault(row.cccd, []).append(
                (obj.start_date, obj.end_date, obj.organisation, row.number, match[0] if match else None)
            )
    if run.outcome.errors_total:
        return
    if run.apply:
        write_subrecords(run.unit_people, model, creates, updates)
    elif run.plan is not None:
        run.plan.subrecords(model, creates, updates)


def _managed_elsewhere(run, rows) -> set:
    """The CCCDs of the chunk, neither in the file nor in the unit, that another unit manages."""
    unknown = {r.cccd for r in rows if r.cccd and r.cccd not in run.file_people and r.cccd not in run.unit_people}
    return (
        set(Employee.objects.filter(citizen_id__in=unknown).values_list("citizen_id", flat=True)) if unknown else set()
    )


def _owner(run, row: Row, elsewhere: set):
    """The existing employee a sub-record row belongs to (None for a person new in this file)."""
    if row.cccd is None:
        return None
    run.all_people.add(row.cccd)
    employee_id = run.unit_people.get(row.cccd)
    if row.cccd in elsewhere:
        row.errors.setdefault("citizen_id", []).append(other_unit_message())
    elif employee_id is None and row.cccd not in run.file_people:
        row.errors.setdefault("citizen_id", []).append(
            _("Không có cán bộ có số CCCD này trong trang “%(sheet)s” của tệp hay trong hồ sơ của đơn vị.")
            % {"sheet": capfirst(str(Employee._meta.verbose_name))}
        )
    return employee_id


def _match(spec, row: Row, employee_id, values: dict, state):
    """(pk, values) of the row on file with the same person and natural key, or None; a second
    row of the file with the same person and key is an error."""
    if not row.cccd or any(k in row.errors for k in spec.natural_key):
        return None
    key = natural_key(spec, values)
    first = state.seen.setdefault((row.cccd, key), row.number)
    if first != row.number:
        row.errors.setdefault("__all__", []).append(
            _("Trùng với dòng %(row)s (cùng cán bộ và cùng %(columns)s).")
            % {"row": first, "columns": ", ".join(spec.by_key[k].label for k in spec.natural_key)}
        )
        return None
    if employee_id is None:
        return None
    return state.index.get(employee_id, {}).get(key)


def _filled(model, row: Row, employee_id, match):
    """The row as a model instance: the matched row with the file's values over it, or a new one."""
    if match:
        obj = model(pk=match[0], employee_id=employee_id, **dict(zip(model.EDITABLE_FIELDS, match[1], strict=False)))
    else:
        obj = model(employee_id=employee_id)
    for name, value in row.values.items():
        if name != "citizen_id":
            setattr(obj, name, value)
    return obj


def write_subrecords(unit_people: dict, model, creates: list, updates: dict):
    """Insert the new rows (their people now exist: `unit_people` maps CCCDs to ids) and update
    the changed fields of the matched ones."""
    for cccd, obj in creates:
        obj.employee_id = unit_people[cccd]
    if creates:
        bulk_create_tracked(model, [obj for cccd, obj in creates], batch_size=CHUNK, validate=False)
    for obj in model.objects.filter(pk__in=list(updates)).select_for_update():
        for name, value in updates[obj.pk].items():
            setattr(obj, name, value)
        obj.save()


def check_periods(run, spec, columns, state):
    """Work periods of one person may not overlap (the rule of workflows.changesets),
    counting the periods already on file that this import leaves as they are."""
    for cccd, rows in state.periods.items():
        periods = list(rows)
        employee_id = run.unit_people.get(cccd)
        if employee_id is not None:
            replaced = {r[4] for r in rows if r[4] is not None}
            names = WorkHistory.EDITABLE_FIELDS
            for pk, values in state.index.get(employee_id, {}).values():
                if pk not in replaced:
                    old = dict(zip(names, values, strict=True))
                    periods.append((old["start_date"], old["end_date"], old["organisation"], None, pk))
        periods.sort(key=lambda p: (p[0], p[3] or 0))
        for previous, current in pairwise(periods):
            if previous[1] is not None and current[0] > previous[1]:
                continue
            number = current[3] or previous[3]
            if number is None:
                continue  # two periods already on file: not this import's doing
            run.error(
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
