"""Who may see and act on inspection follow-ups (kiến nghị sau kiểm tra): each decision defined
once from the unit rules (units.permissions), as a check on one row and as a filter.

- See: a follow-up is seen by whoever may see the unit that made the plan (a grant on that unit
  or above it: upper units read), as the plan itself is (inspections.selectors).
- Act: inspection work belongs to the unit that made the plan (inspections.editing): its officers
  record the follow-up's progress through change requests, so they are the people responsible,
  the ones listed for it and reminded of its deadline."""

from django.db.models import Q

from units.permissions import (
    can_propose_for_unit,
    can_view_unit,
    list_proposers_of_unit,
    propose_scope,
    visible_units_q,
)

OWNER = "inspection__plan__unit__"


def responsible_unit(action):
    """The unit responsible for a follow-up: the one that made the inspection's plan."""
    return action.inspection.plan.unit


def can_view_follow_up(user, action) -> bool:
    return can_view_unit(user, responsible_unit(action))


def visible_follow_ups_q(user) -> Q:
    """The same decision over FollowUpAction rows."""
    return visible_units_q(user, OWNER)


def can_act_on_follow_up(user, action) -> bool:
    """Upper units see the follow-ups of their subtree but do not act on them."""
    return can_propose_for_unit(user, responsible_unit(action))


def follow_up_act_checker(user):
    """can_act_on_follow_up for many rows from (unit id, unit path), without queries."""
    return propose_scope(user).contains_row


def list_responsible_for_follow_up(action):
    """The same rule from the other side: the accounts that act on `action` (its reminders)."""
    return list_proposers_of_unit(responsible_unit(action))
