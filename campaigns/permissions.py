"""Who may do what with review campaigns: each decision defined once, from the rules below it
(units.permissions, records.permissions), with its check on one object and its filter."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from records.permissions import can_propose_change, proposable_employees_q
from units.models import Unit
from units.permissions import grant_admin_scope, propose_scope, visible_scope
from units.scope import NOTHING, UnitScope, active_grants, granted_paths

from .models import PREPARING_STALE, Campaign

# --- start (and close) a campaign ---------------------------------------------------------------


def start_scope(user) -> UnitScope:
    """An administrator of a unit starts campaigns on it and below it: the rule of unit
    administration (units.permissions.grant_admin_scope: superusers everywhere, unit
    administrators on their unit and its subtree)."""
    return grant_admin_scope(user)


def can_start_campaign(user, unit) -> bool:
    return start_scope(user).contains(unit)


def can_start_campaigns(user) -> bool:
    """Whether the start page (and its button) is for `user` at all."""
    return not start_scope(user).is_empty


def startable_units_q(user, prefix: str = "") -> Q:
    return start_scope(user).q(prefix)


def can_close_campaign(user, campaign) -> bool:
    """Who may start a campaign on its unit may end it (reminders and escalation stop), once its
    items are made (or their making failed)."""
    return campaign.is_running and not campaign.is_preparing and can_start_campaign(user, campaign.unit)


def can_retry_campaign(user, campaign, now=None) -> bool:
    """Making a campaign's items again, from where it stopped: who may start a campaign on its
    unit, when the making failed or its task was lost (no item made for PREPARING_STALE)."""
    if not campaign.is_running or not can_start_campaign(user, campaign.unit):
        return False
    return campaign.status == Campaign.Status.FAILED or campaign.is_stalled(now)


def retryable_campaigns_q(user, now=None) -> Q:
    """The same decision over many campaigns."""
    stalled = Q(status=Campaign.Status.PREPARING) & (
        Q(progress_at__lt=(now or timezone.now()) - PREPARING_STALE)
        | Q(progress_at__isnull=True, started_at__lt=(now or timezone.now()) - PREPARING_STALE)
    )
    return startable_units_q(user, "unit__") & Q(closed_at__isnull=True) & (Q(status=Campaign.Status.FAILED) | stalled)


# --- see a campaign and its progress ---------------------------------------------------------


def can_view_campaign(user, campaign) -> bool:
    """A campaign is seen by whoever sees its unit (upper units, read only), by whoever holds a
    grant on a unit it covers (their part of it), and by those who may start one there."""
    if not user.is_authenticated:
        return False
    if can_start_campaign(user, campaign.unit):
        return True
    path = campaign.unit.path
    return any(
        path.startswith(granted) or (campaign.include_subtree and granted.startswith(path))
        for granted in granted_paths(user)
    )


def progress_scope(user) -> UnitScope:
    """The units whose progress `user` reads: those they see (upper units read their
    subordinates, units.permissions.visible_scope), everywhere for superusers, who may start a
    campaign anywhere and would otherwise see none of it."""
    if user.is_authenticated and user.is_superuser:
        return UnitScope(everything=True)
    return visible_scope(user)


def can_view_campaigns(user) -> bool:
    """Whether the campaign list (and its menu entry) is for `user`: anyone with a grant."""
    return user.is_authenticated and (bool(active_grants(user)) or can_start_campaigns(user))


def visible_campaigns_q(user) -> Q:
    """The same decision over many campaigns."""
    if not user.is_authenticated:
        return NOTHING
    parts = [startable_units_q(user, "unit__")]
    for granted in granted_paths(user):
        parts.append(Q(unit__path__startswith=granted))
        parts.append(Q(unit__path__in=_prefixes(granted), include_subtree=True))
    return reduce(or_, parts)


def _prefixes(path: str) -> list[str]:
    """The paths of a unit and of every unit above it."""
    return [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]


# --- work on an item ------------------------------------------------------------------------


def can_work_on_item(user, item) -> bool:
    """Confirm a record unchanged or propose a change for it: whoever may propose changes for
    the person (records.permissions.can_propose_change), while the campaign runs and once all
    its items are made."""
    return item.campaign.is_running and item.campaign.is_ready and can_propose_change(user, item.employee)


def can_work_on_items(user) -> bool:
    """Whether the list of items to act on (and its menu entry) is for `user`: the officers."""
    return user.is_authenticated and not propose_scope(user).is_empty


def workable_items_q(user) -> Q:
    """The same decision over many items."""
    return Q(campaign__closed_at__isnull=True, campaign__status=Campaign.Status.READY) & proposable_employees_q(
        user, "employee__"
    )


def can_confirm_in_bulk(user, campaign) -> bool:
    """Whether the campaign's list offers "confirm the selected unchanged": to an officer (who
    works items, can_work_on_items) while the campaign runs and is ready. Which of the selected
    items are theirs is workable_items_q, asked by the service."""
    return campaign.is_running and campaign.is_ready and can_work_on_items(user)
