"""The rules and writes of the employee sheet: people are matched by CCCD within the unit,
created or updated with the model's own rules, never taken from another unit."""

from django.utils.translation import gettext as _

from records.models import Employee
from tracking.models import bulk_create_tracked

from .cells import clean_model
from .rows import CHUNK, CREATED, UNCHANGED, UPDATED, other_unit_message

UPDATED_PEOPLE_SHOWN = 200  # people listed by name in the summary; the counts cover all


def employee_rows(run, spec, columns, rows):
    """Check one chunk of employee rows and, in apply mode with no error so far, write it."""
    _note_people(run, rows)
    present = [c for c in columns if c is not None]
    cccds = [row.cccd for row in rows if row.cccd]
    existing = {e.citizen_id: e for e in Employee.objects.filter(citizen_id__in=cccds).select_related("position")}
    creates, updates = [], []
    for row in rows:
        obj, action = _employee_row(run, spec, columns, present, row, existing.get(row.cccd))
        if action == CREATED:
            creates.append(obj)
        elif action == UPDATED:
            updates.append(obj)
    if run.outcome.errors_total:
        return
    if run.apply:
        if creates:
            bulk_create_tracked(Employee, creates, batch_size=CHUNK, validate=False)
        for obj in updates:
            obj.save()
    elif run.plan is not None:
        run.plan.employees(creates, updates)


def _note_people(run, rows):
    """Remember each CCCD of the sheet with its first row; a second row with it is an error."""
    for row in rows:
        if row.cccd is None:
            continue
        first = run.file_people.setdefault(row.cccd, row.number)
        if first != row.number:
            row.errors.setdefault("citizen_id", []).append(_("Số CCCD trùng với dòng %(row)s.") % {"row": first})
        run.all_people.add(row.cccd)


def _employee_row(run, spec, columns, present, row, current):
    """(the employee the row describes, what the row does), the action None for a row in error."""
    if current is not None and current.managing_unit_id != run.unit.pk:
        row.errors.setdefault("citizen_id", []).append(other_unit_message())
        current = None
    obj = current if current is not None else Employee(managing_unit=run.unit)
    before = {c.attname: getattr(obj, c.attname) for c in present}
    for key, value in row.values.items():
        setattr(obj, key, value)
    for key, messages in clean_model(obj, set(row.errors) | {"managing_unit", "position"}).items():
        row.errors.setdefault(key, []).extend(messages)
    if row.errors:
        run.row_errors(spec, columns, row)
        return obj, None
    if current is None:
        run.record(spec, row, CREATED)
        return obj, CREATED
    changed = [c for c in present if getattr(obj, c.attname) != before[c.attname]]
    action = UPDATED if changed else UNCHANGED
    run.record(spec, row, action, f"{current.pk}:{sorted(before.items())!r}")
    if changed and len(run.outcome.updated_people) < UPDATED_PEOPLE_SHOWN:
        run.outcome.updated_people.append(
            {
                "row": row.number,
                "citizen_id": obj.citizen_id,
                "full_name": obj.full_name,
                "fields": [c.label for c in changed],
            }
        )
    return obj, action
