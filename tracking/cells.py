"""Table cells built in Python for the long lists (issue #9): a page of 50 rows printed by a
template loop per row and per cell spent more CPU in the loop than in its SQL. A value is printed
as `{{ value }}` prints it in a template: localised (dates, numbers), escaped unless safe."""

from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import SafeData

_PLAIN = Context(autoescape=True)  # the settings' time zone and localisation, as a page has them


def cell_html(value) -> str:
    """`value` as `{{ value }}` prints it (localised, escaped); plain text at once."""
    if type(value) is str:
        return escape(value)
    if isinstance(value, SafeData):
        return value
    return render_value_in_context(value, _PLAIN)
