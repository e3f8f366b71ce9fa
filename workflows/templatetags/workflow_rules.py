"""The rules of workflows.permissions asked by templates (menus, buttons, links), so a control
is shown by the rule that guards its page."""

from django import template

from workflows import permissions
from workflows.selectors import list_change_requests

register = template.Library()


@register.filter
def may_manage_workflow(user) -> bool:
    return permissions.can_manage_workflow(user)


@register.filter
def openable_requests(entries, user) -> set:
    """Of the requests named by history `entries`, the ids `user` may open: one query for the
    page, so a link is offered only where it leads (a request of another branch, e.g. from
    before a transfer, is named without a link)."""
    ids = {entry["change_request"].pk for entry in entries if entry.get("change_request") is not None}
    if not ids or not user.is_authenticated:
        return set()
    return set(list_change_requests(user=user).filter(pk__in=ids).values_list("pk", flat=True))
