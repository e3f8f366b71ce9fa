"""The rules of units.permissions asked by templates (menus, buttons), so a control is shown
by the rule that guards its page."""

from django import template

from units import permissions

register = template.Library()


@register.filter
def may_view_quota_report(user) -> bool:
    return permissions.can_view_quota_report(user)


@register.filter
def may_manage_grants(user) -> bool:
    return permissions.can_manage_grants(user)


@register.filter
def may_view_policy(user) -> bool:
    return permissions.can_view_policy(user)


@register.filter
def may_manage_policy(user) -> bool:
    return permissions.can_manage_policy(user)
