"""Table cells built in Python for the long lists (issue #9): a page of 50 rows printed by a
template loop per row and per cell spent more CPU in the loop than in its SQL. A value is printed
as `{{ value }}` prints it in a template: localised (dates, numbers), escaped unless safe."""

import html

from django.conf import settings
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeData, SafeString

_PLAIN = Context(autoescape=True)  # the settings' time zone and localisation, as a page has them


def cell_html(value) -> str:
    """`value` as `{{ value }}` prints it (localised, escaped); plain text and whole numbers at
    once (django.utils.html.escape is html.escape; an int without thousand separators is its
    digits)."""
    kind = type(value)
    if kind is str:
        return SafeString(html.escape(value))
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    if isinstance(value, SafeData):
        return value
    return render_value_in_context(value, _PLAIN)
