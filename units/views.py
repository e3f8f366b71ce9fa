"""Pages of the organisation: the unit tree, a unit (details, quotas, positions, the inspection
plans it made and the inspections of it), and its history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tracking.history import list_history

from .access import access_unit
from .models import Position, StaffingQuota, Unit
from .permissions import can_propose_for_unit, can_view_unit
from .selectors import list_visible_units


@login_required
def unit_list(request):
    return render(request, "units/unit_list.html", {"units": list_visible_units(user=request.user)})


@login_required
def unit_detail(request, pk):
    unit = access_unit(request.user, pk)
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
    unit = access_unit(request.user, pk)
    sources = [(Unit, {"id": unit.pk}), (StaffingQuota, {"unit_id": unit.pk}), (Position, {"unit_id": unit.pk})]
    entries = list_history(sources=sources)  # nothing of a unit is a person's: everything shown
    return render(request, "units/unit_history.html", {"unit": unit, "entries": entries})
