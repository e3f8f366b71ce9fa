"""Who may use the due lists: each decision defined once, from the rules of the records it is
about (records.permissions), as a check and as a filter.

- See: a person's due items are seen by whoever may see the person's file (a grant on the
  managing unit or above it: upper units see their subtree's items, read only).
- Act: only an officer of the managing unit itself acts on an item (proposes the change it
  calls for), as for every change to the person.
- Explain: the inputs that come from sensitive sub-records (sanctions, non-counted time such as
  suspension or detention) are shown in full only to those who may see sensitive data.
- Export: whoever may export the employee list may export the due lists they see."""

from django.db.models import Q

from records.permissions import (
    can_export_employees,
    can_propose_change,
    can_view_employee,
    can_view_sensitive,
    sensitive_checker,
    visible_employees_q,
)
from units.permissions import propose_scope, visible_scope

EMPLOYEE = "employee__"


def can_view_due_items(user) -> bool:
    """Whether the due lists (and their menu entry) are for `user`: any unit in their view."""
    return user.is_authenticated and not visible_scope(user).is_empty


def can_view_due_item(user, item) -> bool:
    return can_view_employee(user, item.employee)


def visible_due_items_q(user) -> Q:
    """The same decision over DueItem rows."""
    return visible_employees_q(user, EMPLOYEE)


def can_act_on_due_item(user, item) -> bool:
    """Upper units see the items of their subtree but do not act on them."""
    return can_propose_change(user, item.employee)


def act_checker(user):
    """can_act_on_due_item for many rows from (unit id, unit path), without queries."""
    return propose_scope(user).contains_row


def can_view_due_inputs(user, employee) -> bool:
    """The sanctions and non-counted periods behind a date (sensitive sub-records)."""
    return can_view_sensitive(user, employee)


def inputs_checker(user):
    """can_view_due_inputs for many rows from (unit id, unit path), without queries."""
    return sensitive_checker(user)


def can_export_due_items(user) -> bool:
    return can_view_due_items(user) and can_export_employees(user)
