"""Reads of inspection work, scoped like the unit pages: a plan is seen by whoever may see the
unit that made it (a grant on that unit or above); its follow-ups likewise
(inspections.permissions)."""

from django.db.models import Count, QuerySet
from django.http import Http404

from units.permissions import can_view_unit
from units.selectors import subtree_q

from .models import FollowUpAction, Inspection, InspectionPlan
from .permissions import visible_follow_ups_q


def list_visible_plans(*, user) -> QuerySet:
    """Plans of the units the user may see, newest year first, with their inspection count."""
    return (
        InspectionPlan.objects.filter(subtree_q(user=user, prefix="unit__"))
        .select_related("unit")
        .annotate(inspection_count=Count("inspections"))
        .order_by("-year", "unit__path", "title")
    )


def get_visible_plan(*, user, pk) -> InspectionPlan:
    """The plan, or 404 when the user may not see the unit that made it."""
    plan = InspectionPlan.objects.select_related("unit").filter(pk=pk).first()
    if plan is None or not can_view_unit(user, plan.unit):
        raise Http404
    return plan


def history_sources(plan) -> list:
    """Where the history of a plan lives: the plan, its inspections and their follow-ups."""
    inspection_ids = list(plan.inspections.values_list("pk", flat=True))
    return [
        (InspectionPlan, {"id": plan.pk}),
        (Inspection, {"plan_id": plan.pk}),
        (FollowUpAction, {"inspection_id__in": inspection_ids}),
    ]


OPEN_STATUSES = (FollowUpAction.Status.OPEN, FollowUpAction.Status.IN_PROGRESS)


def list_open_follow_ups(*, user, until, unit=None, late_on=None) -> QuerySet:
    """Follow-ups still to do (open or in progress) that the user may see, with a deadline by
    `until` (those already late included), soonest first; within `unit`'s subtree (the unit that
    made the plan) when given; only those late on `late_on` when given."""
    queryset = (
        FollowUpAction.objects.filter(visible_follow_ups_q(user), status__in=OPEN_STATUSES, deadline__lte=until)
        .select_related("inspection__plan__unit", "inspection__inspected_unit")
        .order_by("deadline", "pk")
    )
    if unit is not None:
        queryset = queryset.filter(inspection__plan__unit__path__startswith=unit.path)
    if late_on is not None:
        queryset = queryset.filter(deadline__lt=late_on)
    return queryset
