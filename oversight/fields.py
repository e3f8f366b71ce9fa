"""The "field" filter of the timeline: every table a change request writes to, and every field
of it a request may set, as the tokens ChangeRequest.touched stores ("m:records.salaryhistory",
"f:records.employee.rank_code")."""

from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workflows.changesets import spec_for
from workflows.policy import MODEL_CATEGORY

TRACKED_LABELS = ("records.employee", *MODEL_CATEGORY)


def tracked_model(label: str):
    """The model of a tracked table by its label ("records.salaryhistory"), or None."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@cache
def _choice_keys() -> tuple:
    keys = []
    for label in TRACKED_LABELS:
        model = tracked_model(label)
        if model is None:
            continue
        keys.append((f"m:{label}", model, None))
        try:
            names = spec_for(label).fields  # what a request may set (workflows.changesets)
        except ValidationError:
            names = getattr(model, "EDITABLE_FIELDS", ())
        for name in names:
            keys.append((f"f:{label}.{name}", model, name))
    return tuple(keys)


def field_choices() -> list[tuple[str, str]]:
    """The choices, labelled in the reader's language: built once per language and process (the
    form reads them twice a page; the tables, fields and their names are fixed in the code)."""
    return list(_field_choices(get_language()))


@cache
def _field_choices(language: str) -> tuple[tuple[str, str], ...]:
    """The choices in `language` (the active one: the labels are translated as they are read)."""
    choices = [("", _("Mọi trường, bảng dữ liệu"))]
    for key, model, name in _choice_keys():
        table = capfirst(model._meta.verbose_name)
        if name is None:
            choices.append((key, _("%(table)s (mọi trường, thêm, xoá)") % {"table": table}))
        else:
            field = model._meta.get_field(name)
            choices.append((key, f"{table}: {field.verbose_name}"))
    return tuple(choices)
