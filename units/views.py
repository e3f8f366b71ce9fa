"""Pages of the organisation: the unit tree, a unit (details, quotas, positions, inspection
plans), its history, and inspection plans with their inspections and follow-ups."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from records.models import FollowUpAction, Inspection, InspectionPlan
from records.selectors import list_history

from .models import Position, StaffingQuota, Unit
from .permissions import can_propose_for_unit, can_view_unit
from .selectors import list_visible_units


def _visible_unit(user, pk) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    if not can_view_unit(user, unit):
        raise Http404
    return unit


@login_required
def unit_list(request):
    return render(request, "units/unit_list.html", {"units": list_visible_units(user=request.user)})


@login_required
def unit_detail(request, pk):
    unit = _visible_unit(request.user, pk)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "children": [c for c in Unit.objects.get_children(unit) if can_view_unit(request.user, c)],
            "quotas": unit.staffing_quotas.all(),
            "positions": unit.positions.all(),
            "plans": unit.inspection_plans.all(),
            "inspections_of_unit": Inspection.objects.filter(inspected_unit=unit).select_related("plan__unit"),
            "can_propose": can_propose_for_unit(request.user, unit),
        },
    )


@login_required
def unit_history(request, pk):
    unit = _visible_unit(request.user, pk)
    sources = [(Unit, {"id": unit.pk}), (StaffingQuota, {"unit_id": unit.pk}), (Position, {"unit_id": unit.pk})]
    return render(request, "units/unit_history.html", {"unit": unit, "entries": list_history(sources=sources)})


def _visible_plan(user, pk) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan.objects.select_related("unit"), pk=pk)
    if not can_view_unit(user, plan.unit):
        raise Http404
    return plan


@login_required
def plan_detail(request, pk):
    plan = _visible_plan(request.user, pk)
    inspections = plan.inspections.select_related("inspected_unit").prefetch_related("follow_ups")
    return render(
        request,
        "units/plan_detail.html",
        {"plan": plan, "inspections": inspections, "can_propose": can_propose_for_unit(request.user, plan.unit)},
    )


@login_required
def plan_history(request, pk):
    plan = _visible_plan(request.user, pk)
    inspection_ids = list(plan.inspections.values_list("pk", flat=True))
    sources = [
        (InspectionPlan, {"id": plan.pk}),
        (Inspection, {"plan_id": plan.pk}),
        (FollowUpAction, {"inspection_id__in": inspection_ids}),
    ]
    return render(request, "units/plan_history.html", {"plan": plan, "entries": list_history(sources=sources)})
