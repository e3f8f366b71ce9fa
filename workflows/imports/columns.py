"""The import template's data sheets and their columns, derived from the models: which sheet
holds which model, each column's key, Vietnamese label, kind and whether it is required."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import ForeignKey
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from records.models import SUBRECORD_MODELS, Employee

INSTRUCTIONS_SHEET_KEY = "instructions"
LISTS_SHEET_KEY = "lists"

# A sub-record row is the same row as one already in the file when these fields match
# (for the same person), so importing a file again adds nothing.
NATURAL_KEYS = {
    "workhistory": ("start_date",),
    "salaryhistory": ("effective_date",),
    "training": ("kind", "name", "start_date"),
    "commendation": ("year", "form", "decision_number"),
    "discipline": ("form", "effective_from"),
    "evaluation": ("year",),
    "familymember": ("side", "relation", "full_name"),
    "noncountedperiod": ("kind", "start_date"),
    "retirementdecision": ("kind", "decision_number"),
    "employmentcontract": ("kind", "start_date"),
    "probation": ("kind", "start_date"),
}


@dataclass(frozen=True)
class Column:
    key: str  # the field name, written in the hidden first row
    label: str  # the Vietnamese header in the second row
    field: object  # the model field (the employee's CCCD field for a sub-record's owner column)
    kind: str  # text, cccd, date, int, decimal, choice, position
    required: bool  # the cell may not be empty
    attname: str | None  # None for a sub-record's owner column, which is not a field of the row


@dataclass(frozen=True)
class Sheet:
    model: type
    title: str
    columns: tuple
    natural_key: tuple = ()

    @property
    def is_employee(self) -> bool:
        return self.model is Employee

    @cached_property
    def by_key(self) -> dict:
        return {c.key: c for c in self.columns}

    @cached_property
    def by_label(self) -> dict:
        return {norm(c.label): c for c in self.columns}

    @cached_property
    def required_keys(self) -> set:
        """Columns a sheet must have: the required ones and those of the natural key."""
        return {c.key for c in self.columns if c.required} | set(self.natural_key)


def _kind(model_field) -> str:
    if isinstance(model_field, ForeignKey):
        return "position"
    if model_field.choices:
        return "choice"
    if model_field.name == "citizen_id":
        return "cccd"
    return {
        "DateField": "date",
        "PositiveSmallIntegerField": "int",
        "PositiveIntegerField": "int",
        "IntegerField": "int",
        "DecimalField": "decimal",
    }.get(model_field.get_internal_type(), "text")


def _column(model, name) -> Column:
    model_field = model._meta.get_field(name)
    required = not model_field.blank and not model_field.has_default()
    return Column(
        name, capfirst(str(model_field.verbose_name)), model_field, _kind(model_field), required, model_field.attname
    )


def _employee_columns() -> tuple:
    first = ("citizen_id", "full_name")
    names = first + tuple(n for n in Employee.CHANGEABLE_FIELDS if n not in first)
    return tuple(_column(Employee, name) for name in names)


def _owner_column() -> Column:
    cccd = Employee._meta.get_field("citizen_id")
    return Column("citizen_id", _("Số CCCD của cán bộ"), cccd, "cccd", True, None)


def sheets() -> list[Sheet]:
    """The data sheets of the template, the employee sheet first; labels in the active language."""
    out = [Sheet(Employee, capfirst(str(Employee._meta.verbose_name)), _employee_columns())]
    for model in SUBRECORD_MODELS:
        columns = (_owner_column(),) + tuple(_column(model, name) for name in model.EDITABLE_FIELDS)
        out.append(
            Sheet(model, capfirst(str(model._meta.verbose_name_plural)), columns, NATURAL_KEYS[model._meta.model_name])
        )
    return out


def special_titles() -> dict:
    """The titles of the sheets that hold no data: the instructions and the lists of values."""
    return {INSTRUCTIONS_SHEET_KEY: _("Hướng dẫn"), LISTS_SHEET_KEY: _("Danh mục")}


def norm(text) -> str:
    """Text as matched against labels and names: whitespace collapsed, case folded."""
    return " ".join(str(text).split()).casefold()
