"""Template tags for viewflow's own task pages (assign, unassign, detail), which our views do not
render: the request they are about, shown as on the approval page, masked for the reader."""

from django import template

from ..views import change_rows, level_rows, shown_change_request, shown_decisions

register = template.Library()


@register.inclusion_tag("workflows/task_request_summary.html", takes_context=True)
def change_request_summary(context, process):
    """Who the request is about, what it changes (old → new, masked as the reader may see it),
    why, and its approval levels."""
    change_request = shown_change_request(context["request"], process)
    user = context["request"].user
    return {
        "change_request": change_request,
        "rows": change_rows(change_request, user),
        "levels": level_rows(change_request),
        "decisions": shown_decisions(change_request),
        "request": context["request"],
    }
