"""{{ field|required_mark }}: the mark of a required field (tracking.required) for a label a
template writes itself; labels Django writes get it from the form renderer."""

from django import template

from tracking.required import MARK, mark_for

register = template.Library()


@register.filter
def required_mark(bound) -> str:
    return mark_for(bound)


@register.simple_tag(name="required_mark")
def required_mark_tag() -> str:
    """{% required_mark %}: the mark for a label of an input a template writes by hand (with
    its `required` attribute)."""
    return MARK
