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
    """Submitted requests the user may decide now: approver of the unit at the current level,
    not the submitter, and not someone who decided an earlier level of the same request."""
    if not user.is_authenticated:
        return ChangeRequest.objects.none()
    decided_earlier_level = ApprovalDecision.objects.filter(
        change_request=OuterRef("pk"), decided_by=user, level__lt=OuterRef("current_level")
    )
    return (
        ChangeRequest.objects.filter(
            status=ChangeRequest.Status.SUBMITTED,
            pending_unit__in=list_granted_units(user=user, roles=[Role.APPROVER]),
        )
        .exclude(submitted_by=user)
        .filter(~Exists(decided_earlier_level))
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
