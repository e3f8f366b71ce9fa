"""Pages of the organisation: the unit tree (one level at a time), a unit (details, quotas, positions, the inspection
plans it made and the inspections of it), and its history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tracking.history import list_history

from .access import access_tree_position, access_unit
from .models import Position, StaffingQuota, Unit
from .permissions import can_propose_for_unit, can_view_unit
from .selectors import (
    list_child_units,
    list_top_visible_units,
    list_visible_ancestors,
    page_of_units,
    with_staff_count,
)


@login_required
def unit_list(request):
    """The tree one level at a time, so it costs the same at any size: the user's top units, or
    (`?parent=`) one page of a unit's children under breadcrumbs; each row says how many
    children and staff the unit has and links to its children (a plain link: no script needed)."""
    parent = access_tree_position(request.user, request.GET)
    if parent is None:
        units = list_top_visible_units(user=request.user)
        ancestors = []
    else:
        units = list_child_units(user=request.user, parent=parent)
        ancestors = list_visible_ancestors(user=request.user, unit=parent)
    page = page_of_units(with_staff_count(units), request.GET)
    kinds = {kind: str(label) for kind, label in Unit.Kind.choices}  # translated once, not per row
    for unit in page:
        unit.kind_label = kinds.get(unit.kind, unit.kind)
    return render(
        request,
        "units/unit_list.html",
        {
            "parent": parent,
            "ancestors": ancestors,
            "units": page.rows,
            "page": page,
        },
    )


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
    entries, page = list_history(sources=sources, params=request.GET)  # nothing of a unit is a person's
    return render(request, "units/unit_history.html", {"unit": unit, "entries": entries, "page": page})
