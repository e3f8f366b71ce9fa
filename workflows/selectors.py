"""Reads of change requests, scoped to the user's units."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from units.models import Role
from units.selectors import list_granted_units, subtree_q

from .models import ApprovalDecision, ChangeRequest


def list_change_requests(*, user) -> QuerySet:
    """Requests the user may see: about data of their subtrees (or a transfer into them), or
    routed to one of their units for a decision, now or at an earlier level."""
    granted = list_granted_units(user=user)
    decided_here = ApprovalDecision.objects.filter(change_request=OuterRef("pk"), unit__in=granted)
    return ChangeRequest.objects.filter(
        subtree_q(user=user, prefix="unit__")
        | subtree_q(user=user, prefix="target_unit__")
        | Q(pending_unit__in=granted)
        | Q(Exists(decided_here))
    )


def list_approvable_change_requests(*, user) -> QuerySet:
    """Submitted requests the user may decide now: at a level whose unit they approve for, or
    for which a colleague's active delegation lets them act, never their own request, and never
    one whose earlier level they (or the approver they act for) decided."""
    from units.models import RoleGrant

    from .models import Delegation

    if not user.is_authenticated:
        return ChangeRequest.objects.none()

    def decided_earlier(person):
        return Exists(
            ApprovalDecision.objects.filter(change_request=OuterRef("pk"), level__lt=OuterRef("current_level")).filter(
                Q(decided_by=person) | Q(acting_for=person)
            )
        )

    capacity = Q(pending_unit__in=list_granted_units(user=user, roles=[Role.APPROVER]))
    for delegation in Delegation.objects.active().filter(delegate=user, delegator__is_active=True):
        delegator_units = RoleGrant.objects.active().filter(user_id=delegation.delegator_id, role=Role.APPROVER)
        capacity |= (
            Q(pending_unit__in=delegator_units.values("unit_id"))
            & ~Q(submitted_by_id=delegation.delegator_id)
            & ~Q(decided_earlier(delegation.delegator_id))
        )
    return (
        ChangeRequest.objects.filter(status=ChangeRequest.Status.SUBMITTED)
        .filter(capacity)
        .exclude(submitted_by=user)
        .filter(~decided_earlier(user))
    )


def list_open_change_requests_for_employee(*, user, employee) -> QuerySet:
    return list_change_requests(user=user).filter(
        employee=employee, status__in=ChangeRequest.OPEN_STATUSES
    ).select_related("submitted_by")


def list_open_change_requests_for_unit(*, user, unit) -> QuerySet:
    return list_change_requests(user=user).filter(
        unit=unit, employee__isnull=True, status__in=ChangeRequest.OPEN_STATUSES
    ).select_related("submitted_by")


def get_change_request(*, user, pk) -> ChangeRequest:
    return get_object_or_404(
        list_change_requests(user=user).select_related("unit", "employee", "submitted_by", "decided_by"),
        pk=pk,
    )
