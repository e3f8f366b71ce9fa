"""Which personnel data is sensitive, and how it reads to someone who may not see it.

Sensitivity is declared once, next to the data: a field of a model is sensitive when it is in
the model's SENSITIVE_FIELDS (Employee: identity numbers, addresses, health, circumstances), a
whole sub-record when its model says SENSITIVE = True (discipline, family). Who may see it is
records.permissions.can_view_sensitive. Every page, history, request page, export and PDF that
shows a person reads the declaration through these functions and nowhere else."""

import copy

from django.utils.translation import gettext_lazy as _

from tracking.history import MASK

PROTECTED = _("(nội dung được bảo vệ)")


def is_sensitive_model(model) -> bool:
    """Whether every row of `model` is sensitive (a discipline, a family member)."""
    return bool(getattr(model, "SENSITIVE", False))


def sensitive_fields(model) -> tuple[str, ...]:
    """The fields of `model` that are sensitive on their own (the CCCD of an employee)."""
    return tuple(getattr(model, "SENSITIVE_FIELDS", ()))


def is_sensitive_field(model, name: str) -> bool:
    return is_sensitive_model(model) or name in sensitive_fields(model)


def may_show(model, name: str | None = None, *, sensitive: bool) -> bool:
    """Whether a reader whose right to sensitive data is `sensitive` sees the field `name` of
    `model` (or, without a name, the model's rows at all)."""
    if sensitive:
        return True
    return not (is_sensitive_model(model) if name is None else is_sensitive_field(model, name))


def masked_copy(obj):
    """A copy of a row with every sensitive field replaced by the mask, to describe it."""
    masked = copy.copy(obj)
    for name in sensitive_fields(type(obj)):
        field = type(obj)._meta.get_field(name)
        masked.__dict__[field.attname] = MASK
    return masked


def describe(obj, *, sensitive: bool) -> str:
    """One line a person reads for a row (obj.describe()), with what they may not see masked:
    "Nguyễn Văn An, 14/03/1985, CCCD •••"; a sensitive sub-record only as protected."""
    model = type(obj)
    if not may_show(model, sensitive=sensitive):
        return str(PROTECTED)
    shown = obj if sensitive else masked_copy(obj)
    try:
        return shown.describe()
    except Exception:  # a row with a missing related object (or a masked date) still gets a line
        return str(model._meta.verbose_name)
