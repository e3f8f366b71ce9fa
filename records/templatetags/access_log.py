"""Template filters of the read-access log: whether to offer its page in the menu."""

from django import template

from records.audit import can_view_access_log as _can_view_access_log

register = template.Library()


@register.filter
def can_view_access_log(user) -> bool:
    return _can_view_access_log(user)
