"""Template tag for the employee page (records): the person's change requests still open. The
records app cannot import workflows (which imports it), so its template asks this tag."""

from django import template

from ..selectors import list_open_change_requests_for_employee

register = template.Library()


@register.inclusion_tag("workflows/open_requests_panel.html", takes_context=True)
def open_requests_panel(context, employee):
    """The open requests about `employee` the reader may see, each linked to its process."""
    return {"open_requests": list_open_change_requests_for_employee(user=context["request"].user, employee=employee)}
