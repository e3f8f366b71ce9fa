"""The timeline page (filters in the URL), its xlsx export and its PDF report (each a
background job of records.export_jobs). Who may read and export is asked from
workflows.permissions (timeline_scope); the page logs the read once (records.audit)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records.audit import log_read
from records.export_jobs import services as export_services
from records.models import AccessLog
from workflows.models import ChangeRequest
from workflows.permissions import can_export_timeline, can_view_timeline
from workflows.policy import Category

from .exports import TIMELINE, TIMELINE_PDF
from .timeline import timeline_page
from .timeline_forms import Filters, TimelineFilterForm


def _guard(user):
    if not can_view_timeline(user):
        raise PermissionDenied(_("Trang này dành cho thanh tra và người xem của đơn vị cấp trên."))


def _people_shown(entries) -> int:
    return len({entry.request.employee_id for entry in entries if entry.request.employee_id})


@login_required
def timeline(request):
    """The timeline, filtered by the URL's parameters; a filter naming nothing the reader may
    see is a message on the page (400), not an error page."""
    _guard(request.user)
    form = TimelineFilterForm(request.GET or None, user=request.user)
    context = {
        "form": form,
        "categories": Category.choices,
        "statuses": ChangeRequest.Status.choices,
        "can_export": can_export_timeline(request.user),
        "page": None,
        "entries": [],
    }
    if request.GET and not form.is_valid():
        return render(request, "oversight/timeline.html", context, status=400)
    filters = form.filters() if form.is_bound else Filters()
    page, entries, (count, more) = timeline_page(user=request.user, filters=filters, params=request.GET)
    if entries:
        # The page shows people's changes: one read-log row for the page, counting its people.
        log_read(
            user=request.user,
            kind=AccessLog.Kind.HISTORY,
            request=request,
            row_count=_people_shown(entries),
            name=_("Dòng thời gian thay đổi"),
        )
    context.update(page=page, entries=entries, count=count, more=more, parameters=filters.as_parameters())
    return render(request, "oversight/timeline.html", context)


@login_required
@require_POST
def timeline_export(request):
    """ "Xuất Excel" of the filtered timeline: a background job; the user waits on its page."""
    return _start(request, TIMELINE.key)


def _start(request, kind: str):
    _guard(request.user)
    if not can_export_timeline(request.user):
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu này."))
    form = TimelineFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request,
            "oversight/timeline.html",
            {"form": form, "categories": Category.choices, "statuses": ChangeRequest.Status.choices, "page": None},
            status=400,
        )
    job = export_services.start_export(user=request.user, kind=kind, data=form.filters().as_parameters())
    return redirect("records:export-detail", pk=job.pk)


@login_required
@require_POST
def timeline_pdf(request):
    """ "Báo cáo PDF" of the filtered timeline: a background job as the xlsx is (a filter only a
    row can tell may search the whole scope); the user waits on its page, with progress, and
    downloads the report there (logged then, as every export)."""
    return _start(request, TIMELINE_PDF.key)
