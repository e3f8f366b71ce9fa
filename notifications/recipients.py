"""Who a change request's event is for: the approvers of its current level (the queue's own rule,
workflows.permissions.can_approve_change_request, asked of each candidate: approvers of the level's
unit and the colleagues they delegated to), or its submitter.

The candidates of a unit, with their grants and the delegations to them, are kept in the cache
(tracking.generations) under one generation for every unit, renewed by any write to a grant, a
delegation, an account (a sign-in's last_login aside) or a unit (its path is in the grants
kept); a copy is used on the day it was read only, as the grants and delegations in force
change with the date. The rule itself is asked of each candidate for each request."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from tracking.generations import Generational
from units.models import Role, RoleGrant
from units.scope import grant_rows_by_user, preload_grants
from workflows.models import Delegation
from workflows.permissions import can_approve_change_request, delegation_rows_by_user

kept_candidates = Generational("level-approvers", ttl=3600, shared=True)


def renew_candidates(sender, instance=None, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return  # a sign-in: nothing kept here has changed
    kept_candidates.renew([""])


def _load_candidates(unit_id) -> tuple:
    today = timezone.localdate()
    approvers = RoleGrant.objects.active(today).filter(unit_id=unit_id, role=Role.APPROVER)
    approver_ids = approvers.values("user_id")
    delegates = Delegation.objects.active(today).filter(delegator_id__in=approver_ids).values("delegate_id")
    candidates = get_user_model().objects.filter(Q(pk__in=approver_ids) | Q(pk__in=delegates), is_active=True)
    candidates = list(candidates.order_by("pk"))
    ids = [user.pk for user in candidates]
    grants, delegations = (grant_rows_by_user(ids), delegation_rows_by_user(ids)) if ids else ({}, {})
    return today, candidates, grants, delegations


def level_candidates(unit_id) -> list:
    """The approvers of the unit and their delegates, each with their grants and delegations on
    them (what can_approve_change_request asks), from the cache when read today."""
    kept = kept_candidates.get(unit_id, lambda: _load_candidates(unit_id))
    if kept[0] != timezone.localdate():
        kept = _load_candidates(unit_id)
        kept_candidates.renew([""])  # the copies of another day are of no use
    _day, candidates, grants, delegations = kept
    for user in candidates:
        preload_grants(user, grants[user.pk])
        user._delegation_rows = delegations[user.pk]
    return candidates


def current_level_approvers(change_request) -> list:
    if change_request.pending_unit_id is None:
        return []
    candidates = level_candidates(change_request.pending_unit_id)
    return [user for user in candidates if can_approve_change_request(user, change_request)]
