"""Pages of the organisation: the unit tree, a unit (details, quotas, positions, the inspection
plans it made and the inspections of it), and its history."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

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
            "inspections_of_unit": unit.inspections.select_related("plan__unit"),
            "can_propose": can_propose_for_unit(request.user, unit),
        },
    )


@login_required
def unit_history(request, pk):
    unit = _visible_unit(request.user, pk)
    sources = [(Unit, {"id": unit.pk}), (StaffingQuota, {"unit_id": unit.pk}), (Position, {"unit_id": unit.pk})]
    return render(request, "units/unit_history.html", {"unit": unit, "entries": list_history(sources=sources)})
