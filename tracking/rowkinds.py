"""Which kinds of child row a row has (a person's sub-records, a unit's quotas…), asked in the
statement that reads the row: an EXISTS per kind, so a page reads only the kinds there are."""

from django.db.models import Exists, OuterRef


def _flag(model) -> str:
    return f"has_{model._meta.model_name}"


def kinds_flags(children) -> dict:
    """For (model, parent FK name) pairs: the annotations saying whether a row has rows of each."""
    return {
        _flag(model): Exists(model._default_manager.filter(**{parent: OuterRef("pk")})) for model, parent in children
    }


def kinds_present(row, children) -> set | None:
    """The model names of the kinds `row` has rows of, when it was read with kinds_flags of
    every pair in `children`; None when it was not."""
    values = [row.__dict__.get(_flag(model)) for model, _parent in children]
    if any(value is None for value in values):
        return None
    return {model._meta.model_name for (model, _parent), value in zip(children, values, strict=True) if value}
