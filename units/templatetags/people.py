"""How a person is named on screen and in email: Vietnamese order, family name first."""

from django import template

from accounts.names import display_name

register = template.Library()


@register.filter
def person(user):
    """'Nguyễn Thị Hồng Nhung' from last_name='Nguyễn Thị Hồng', first_name='Nhung'; else the username."""
    if user is None:
        return "—"
    return display_name(user)
