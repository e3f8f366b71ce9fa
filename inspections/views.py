"""Pages of inspection work: the plans a user may see, one plan with its inspections and
follow-ups, and its history. Changes are proposed on workflows' change-set pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from records.selectors import list_history
from tracking.keyset import paginate
from units.permissions import can_propose_for_unit

from .selectors import get_visible_plan, history_sources, list_visible_plans


@login_required
def plan_list(request):
    """The plans the user may see, a page at a time (tracking.keyset)."""
    page = paginate(list_visible_plans(user=request.user), request.GET)
    return render(request, "inspections/plan_list.html", {"plans": page, "page": page})


@login_required
def plan_detail(request, pk):
    plan = get_visible_plan(user=request.user, pk=pk)
    inspections = plan.inspections.select_related("inspected_unit").prefetch_related("follow_ups")
    return render(
        request,
        "inspections/plan_detail.html",
        {"plan": plan, "inspections": inspections, "can_propose": can_propose_for_unit(request.user, plan.unit)},
    )


@login_required
def plan_history(request, pk):
    plan = get_visible_plan(user=request.user, pk=pk)
    entries, page = list_history(sources=history_sources(plan), sensitive=False, params=request.GET)
    return render(request, "inspections/plan_history.html", {"plan": plan, "entries": entries, "page": page})
