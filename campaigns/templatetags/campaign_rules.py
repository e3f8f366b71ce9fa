"""The rules of campaigns.permissions asked by templates (menus, buttons), so a control is shown
by the rule that guards its page."""

from django import template

from campaigns import permissions

register = template.Library()


@register.filter
def may_view_campaigns(user) -> bool:
    return permissions.can_view_campaigns(user)


@register.filter
def may_start_campaigns(user) -> bool:
    return permissions.can_start_campaigns(user)


@register.filter
def may_work_on_campaign_items(user) -> bool:
    return permissions.can_work_on_items(user)
