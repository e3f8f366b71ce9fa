"""The anomaly pages: the signals with their counts, and one signal's list, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from records.permissions import can_view_anomalies
from tracking.keyset import count_up_to, paginate

from .anomalies import SIGNALS, count_label, summarise

PER_PAGE = 50


def _require_inspector(user) -> None:
    if not can_view_anomalies(user):
        raise PermissionDenied(_("Chỉ thanh tra được xem các dấu hiệu bất thường."))


@login_required
def anomalies(request):
    """Every signal, what it lists and how many rows it has in the inspector's scope."""
    _require_inspector(request.user)
    rows = [
        {
            "signal": summary.signal,
            "explain": summary.signal.explain(),
            "count": count_label(summary.count, summary.more),
        }
        for summary in summarise(request.user)
    ]
    return render(request, "oversight/anomalies.html", {"summaries": rows})


@login_required
def anomaly_signal(request, signal):
    """One signal's rows in the inspector's scope, newest first, by keyset; a capped count."""
    _require_inspector(request.user)
    found = SIGNALS.get(signal)
    if found is None:
        raise Http404(_("Không có dấu hiệu này."))
    queryset = found.rows(request.user)
    page = paginate(queryset, request.GET, per_page=PER_PAGE)
    if found.prepare is not None:
        found.prepare(page.rows)
    count, more = count_up_to(queryset)
    return render(
        request,
        "oversight/anomaly_signal.html",
        {
            "signal": found,
            "explain": found.explain(),
            "count": count_label(count, more),
            "page": page,
            "table": [found.cells(row) for row in page.rows],
        },
    )
