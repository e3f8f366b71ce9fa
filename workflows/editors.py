"""The pages on which changes are proposed: which root object, which child rows, which
request kind. One entry per kind of page; propose, new and rework views all read from here."""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from inspections import editing as inspection_editing

from .forms import Child
from .models import ChangeRequest


@dataclass(frozen=True)
class Editor:
    key: str  # the root model's label
    kind: str  # request kind when editing an existing root
    new_kind: str  # request kind when creating one
    root_fields: tuple
    children: tuple = field(default_factory=tuple)
    ref: str = "root"
    parent_field: str | None = None  # for a new root: the FK fixed by the page (unit, plan…)
    new_fields: tuple = ()  # fields set only when the root is created (a unit's code)

    @property
    def model(self):
        return apps.get_model(self.key)

    @property
    def parent_model(self):
        """What a new root is created under; a unit is created under its parent unit."""
        if self.key == "units.unit":
            return self.model
        return self.model._meta.get_field(self.parent_field).related_model

    def fields_for(self, *, new: bool) -> tuple:
        return (*self.new_fields, *self.root_fields) if new else self.root_fields

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    def owner_unit(self, root):
        from .changesets import spec_for

        return spec_for(self.key).owner(root)

    def title(self, root, *, new: bool) -> str:
        if new:
            return _("Thêm mới: %(model)s") % {"model": self.model._meta.verbose_name}
        return str(root)


def _next_salary_step(employee, rows_of) -> dict | None:
    """The salary row an employee's page offers: the next step of their rank (nâng bậc lương), on
    the day the due engine says it is due (computed from the person's rows the page reads)."""
    from duedates.selectors import salary_step_due
    from records.models.salary import next_step

    due = salary_step_due(employee, rows_of)
    return next_step(rank_code=employee.rank_code, step=employee.salary_step, due=due)


def _employee_child(model) -> Child:
    from records.models import SalaryHistory

    if model is not SalaryHistory:
        return Child(model, "employee")
    return Child(
        model,
        "employee",
        offer=_next_salary_step,
        help=_(
            "Ngạch, bậc, hệ số lương hiện hưởng lấy từ dòng mới nhất của bảng này. Nâng bậc lương hay chuyển "
            "ngạch: thêm một dòng, với ngày hưởng và số quyết định (với cán bộ đang có, dòng trống cuối bảng đã "
            "điền sẵn bậc kế tiếp)."
        ),
    )


def _editors() -> dict[str, Editor]:
    from records.models import SUBRECORD_MODELS, Employee
    from units.models import Position, StaffingQuota, Unit

    return {
        e.key: e
        for e in (
            Editor(
                "records.employee",
                ChangeRequest.Kind.EMPLOYEE,
                ChangeRequest.Kind.NEW_HIRE,
                Employee.PROFILE_FIELDS,  # the salary in force follows the salary history
                tuple(_employee_child(m) for m in SUBRECORD_MODELS),
                ref="employee",
                parent_field="managing_unit",
            ),
            Editor(
                "units.unit",
                ChangeRequest.Kind.UNIT,
                ChangeRequest.Kind.UNIT,
                Unit.EDITABLE_FIELDS,
                (Child(StaffingQuota, "unit"), Child(Position, "unit")),
                parent_field="parent",
                new_fields=("code",),
            ),
            *(
                Editor(
                    page["model"]._meta.label_lower,
                    ChangeRequest.Kind.INSPECTION,
                    ChangeRequest.Kind.INSPECTION,
                    page["model"].EDITABLE_FIELDS,
                    tuple(Child(model, fk) for model, fk in page["children"]),
                    ref=page["ref"],
                    parent_field=page["parent_field"],
                )
                for page in inspection_editing.EDITOR_PAGES
            ),
        )
    }


_EDITORS = None


def editor_for(key: str) -> Editor:
    global _EDITORS
    if _EDITORS is None:
        _EDITORS = _editors()
    return _EDITORS[key]
