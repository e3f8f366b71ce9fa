"""Reads of change requests, scoped by the rules of workflows.permissions."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ChangeRequest
from .permissions import (
    approvable_change_requests_by_unit_q,
    approvable_change_requests_q,
    visible_change_requests_q,
)


def list_change_requests(*, user) -> QuerySet:
    """Requests the user may see (workflows.permissions.visible_change_requests_q)."""
    return ChangeRequest.objects.filter(visible_change_requests_q(user))


def list_approvable_change_requests(*, user) -> QuerySet:
    """Submitted requests the user may decide now (workflows.permissions.approval_capacity)."""
    return ChangeRequest.objects.filter(approvable_change_requests_q(user))


def list_approvable_change_requests_by_unit(*, user) -> dict[int, QuerySet]:
    """The same requests, one queryset per unit they wait at ({unit id: queryset}), each an
    index range (workflows.permissions.approvable_change_requests_by_unit_q)."""
    return {unit: ChangeRequest.objects.filter(q) for unit, q in approvable_change_requests_by_unit_q(user).items()}


def list_open_change_requests_for_employee(*, user, employee) -> QuerySet:
    return (
        list_change_requests(user=user)
        .filter(employee=employee, status__in=ChangeRequest.OPEN_STATUSES)
        .select_related("submitted_by")
    )


def list_open_change_requests_for_unit(*, user, unit) -> QuerySet:
    return (
        list_change_requests(user=user)
        .filter(unit=unit, employee__isnull=True, status__in=ChangeRequest.OPEN_STATUSES)
        .select_related("submitted_by")
    )


def get_change_request(*, user, pk) -> ChangeRequest:
    return get_object_or_404(
        list_change_requests(user=user).select_related("unit", "employee", "submitted_by", "decided_by"),
        pk=pk,
    )
