"""The rules of records.permissions asked by templates (menus, buttons), so a control is shown
by the rule that guards its page."""

from django import template

from records import permissions
from records.export_jobs import services as export_services

register = template.Library()


@register.filter
def may_view_access_log(user) -> bool:
    return permissions.can_view_access_log(user)


@register.filter
def may_view_anomalies(user) -> bool:
    return permissions.can_view_anomalies(user)


@register.filter
def may_export_employees(user) -> bool:
    return permissions.can_export_employees(user)


@register.filter
def may_use_exports(user) -> bool:
    return export_services.may_use_exports(user)
