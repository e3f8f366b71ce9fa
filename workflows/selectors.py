"""Reads of change requests, scoped to the user's units."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from units.models import Role
from units.selectors import list_granted_units, subtree_q

from .models import ChangeRequest


def list_change_requests(*, user) -> QuerySet:
    """Requests about employees the user may see (the subtrees of their grants)."""
    return ChangeRequest.objects.filter(subtree_q(user=user, prefix="employee__managing_unit__"))


def list_approvable_change_requests(*, user) -> QuerySet:
    """Submitted requests the user may decide: approver of the managing unit, not the submitter."""
    if not user.is_authenticated:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(
        status=ChangeRequest.Status.SUBMITTED,
        employee__managing_unit__in=list_granted_units(user=user, roles=[Role.APPROVER]),
    ).exclude(submitted_by=user)


def list_open_change_requests_for_employee(*, user, employee) -> QuerySet:
    return list_change_requests(user=user).filter(
        employee=employee, status__in=ChangeRequest.OPEN_STATUSES
    ).select_related("submitted_by")


def get_change_request(*, user, pk) -> ChangeRequest:
    return get_object_or_404(
        list_change_requests(user=user).select_related("employee__managing_unit", "submitted_by", "decided_by"),
        pk=pk,
    )
