"""A change of rank, step or coefficient is a dated salary-history row (effective date, decision).
The profile's salary in force (Employee.CURRENT_SALARY_FIELDS) is copied from the latest row in
the transaction that changes the rows, and is never set on the profile directly, so the profile,
its salary history and form 2C cannot disagree. changesets.apply_operations asks this module, so
the same rule decides at submission and at approval."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from records.models import Employee, SalaryHistory
from records.selectors import display_value

EMPLOYEE = "records.employee"
SALARY_ROW = "records.salaryhistory"
# A salary-history row's fields, by the profile field each one sets.
ROW_FIELD = {
    "rank_code": "rank_code",
    "salary_step": "salary_step",
    "salary_coefficient": "salary_coefficient",
    "salary_effective_date": "effective_date",
}


def _rows_created_with(ref: str | None, operations: list[dict]) -> list[dict]:
    if not ref:
        return []
    return [
        op
        for op in operations
        if op["model"] == SALARY_ROW
        and op["action"] == "create"
        and (op.get("values") or {}).get("employee") == f"${ref}"
    ]


def refused_salary_edits(operations: list[dict]) -> dict[int, str]:
    """The operations, by index, that would set a profile's salary in force other than through
    its salary history, each with what to do instead."""
    refused = {}
    for index, op in enumerate(operations):
        if op["model"] != EMPLOYEE:
            continue
        if op["action"] == "create" and set(Employee.CURRENT_SALARY_FIELDS) & set(op.get("values") or {}):
            refused[index] = _(
                "Lương hiện hưởng của cán bộ mới lấy từ dòng diễn biến lương đề xuất kèm theo (ngày hưởng, ngạch, "
                "bậc, hệ số, số quyết định), không khai trên hồ sơ."
            )
        elif set(Employee.CURRENT_SALARY_FIELDS) & set(op.get("values") or {}):
            refused[index] = _(
                "Ngạch, bậc, hệ số lương và ngày hưởng không sửa trực tiếp trên hồ sơ: hãy thêm một dòng "
                "«Diễn biến lương» (ngày hưởng, số quyết định); hồ sơ lấy lương hiện hưởng từ dòng mới nhất."
            )
        elif op["action"] == "create" and not _rows_created_with(op.get("ref"), operations):
            refused[index] = _(
                "Cán bộ mới phải có ít nhất một dòng diễn biến lương (ngày hưởng, ngạch, bậc, hệ số, số quyết "
                "định): lương hiện hưởng lấy từ dòng đó."
            )
    return refused


def with_salary_of_new_rows(operations: list[dict]) -> list[dict]:
    """The operations with each new person given the salary of the latest salary row proposed
    with them (a person is created before their rows, and a salary is required)."""
    out = []
    date_field = SalaryHistory._meta.get_field("effective_date")
    for op in operations:
        rows = (
            _rows_created_with(op.get("ref"), operations)
            if op["model"] == EMPLOYEE and op["action"] == "create"
            else []
        )
        dated = []
        for row in rows:
            try:
                dated.append((date_field.to_python(row["values"].get("effective_date")), row["values"]))
            except ValidationError:
                continue  # the row itself reports its bad date
        dated = [(day, values) for day, values in dated if day is not None]
        if dated:
            latest = max(enumerate(dated), key=lambda pair: (pair[1][0], pair[0]))[1][1]
            values = {**op["values"], **{name: latest.get(row_field) for name, row_field in ROW_FIELD.items()}}
            op = {**op, "values": values}
        out.append(op)
    return out


def follow_salary_history(employee_id: int) -> list[str]:
    """Copy the latest salary-history row onto the profile (inside the caller's transaction and
    change context); a person whose rows a request touched must keep at least one."""
    row = SalaryHistory.latest_of(employee_id)
    if row is None:
        return [_("Hồ sơ phải còn ít nhất một dòng diễn biến lương: lương hiện hưởng lấy từ dòng mới nhất.")]
    employee = Employee.objects.select_for_update().get(pk=employee_id)
    values = row.salary_in_force()
    if all(getattr(employee, name) == value for name, value in values.items()):
        return []
    for name, value in values.items():
        setattr(employee, name, value)
    try:
        employee.full_clean()
    except ValidationError as exc:
        return [f"{employee.full_name}: {message}" for message in exc.messages]
    employee.save()
    return []


def salary_effects(operations: list[dict]) -> list[dict]:
    """For each existing person whose salary rows a request touches, how their salary in force
    will change (old → new), in the form of changesets.describe_operation; nothing if it stays."""
    touched: dict[int, list[dict]] = {}
    rows_by_pk = {}
    for op in operations:
        if op["model"] != SALARY_ROW:
            continue
        if op["action"] == "create":
            employee = (op.get("values") or {}).get("employee")
            if isinstance(employee, int):
                touched.setdefault(employee, []).append(op)
            continue
        row = rows_by_pk.get(op["pk"]) or SalaryHistory.objects.filter(pk=op["pk"]).first()
        if row is not None:
            rows_by_pk[row.pk] = row
            touched.setdefault(row.employee_id, []).append(op)
    if not touched:  # most requests: no query to build (its compiling alone was a task page's 1 ms)
        return []
    effects = []
    for employee in Employee.objects.filter(pk__in=touched):
        new = _salary_after(employee.pk, touched[employee.pk])
        if new is None:
            continue
        fields = [
            {
                "field": field.verbose_name,
                "old": display_value(field, getattr(employee, name)),
                "new": display_value(field, new[name]),
            }
            for name in Employee.CURRENT_SALARY_FIELDS
            if getattr(employee, name) != new[name]
            for field in [Employee._meta.get_field(name)]
        ]
        if fields:
            effects.append(
                {
                    "action": "update",
                    "model": Employee._meta.verbose_name,
                    "object": _("%(name)s: lương hiện hưởng, theo dòng diễn biến lương mới nhất")
                    % {"name": employee.full_name},
                    "fields": fields,
                }
            )
    return effects


def _salary_after(employee_id: int, operations: list[dict]) -> dict | None:
    """The salary in force once `operations` (on this person's salary rows) apply, worked out
    without writing; None when no row would remain or a proposed value is unreadable."""
    rows = {
        row.pk: {**row.salary_in_force(), "order": (0, row.pk)}
        for row in SalaryHistory.objects.filter(employee_id=employee_id)
    }
    try:
        for index, op in enumerate(operations):
            values = {
                name: _row_value(op, row_field)
                for name, row_field in ROW_FIELD.items()
                if row_field in (op.get("values") or {})
            }
            if op["action"] == "create":
                rows[f"new{index}"] = {**values, "order": (1, index)}  # added after every stored row
            elif op["action"] == "update" and op["pk"] in rows:
                rows[op["pk"]].update(values)
            elif op["action"] == "delete":
                rows.pop(op["pk"], None)
    except ValidationError:
        return None
    if not rows or any(row.get("salary_effective_date") is None for row in rows.values()):
        return None
    latest = max(rows.values(), key=lambda row: (row["salary_effective_date"], row["order"]))
    return {name: latest.get(name) for name in Employee.CURRENT_SALARY_FIELDS}


def _row_value(op: dict, row_field: str):
    return SalaryHistory._meta.get_field(row_field).to_python(op["values"][row_field])
