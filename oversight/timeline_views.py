"""The timeline page (filters in the URL), its xlsx export (a background job of
records.export_jobs) and its PDF report. Who may read and export is asked from
workflows.permissions (timeline_scope); the page logs the read once (records.audit)."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records.audit import log_read
from records.export_jobs import services as export_services
from records.exports import PdfUnavailable, html_to_pdf, log_export
from records.models import AccessLog, ExportLog
from workflows.models import ChangeRequest
from workflows.permissions import can_export_timeline, can_view_timeline
from workflows.policy import Category

from .exports import PDF_MAX_REQUESTS, TIMELINE, describe_filters, iter_entries
from .timeline import timeline_page
from .timeline_forms import Filters, TimelineFilterForm

logger = logging.getLogger(__name__)


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
    job = export_services.start_export(user=request.user, kind=TIMELINE.key, data=form.filters().as_parameters())
    return redirect("records:export-detail", pk=job.pk)


@login_required
def timeline_pdf(request):
    """The filtered timeline as a PDF report, its first PDF_MAX_REQUESTS requests (the whole of
    a larger one is the xlsx's work); logged as every export."""
    _guard(request.user)
    if not can_export_timeline(request.user):
        raise PermissionDenied(_("Bạn không có quyền xuất dữ liệu này."))
    form = TimelineFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return HttpResponse(" ".join(form.error_messages()), status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters()
    entries = list(iter_entries(request.user, filters, limit=PDF_MAX_REQUESTS + 1))
    capped = len(entries) > PDF_MAX_REQUESTS
    entries = entries[:PDF_MAX_REQUESTS]
    html = render_to_string(
        "oversight/timeline_pdf.html",
        {
            "entries": entries,
            "capped": capped,
            "limit": PDF_MAX_REQUESTS,
            "title": describe_filters(filters),
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable:
        logger.exception("WeasyPrint cannot be loaded; the timeline report was not produced")
        return HttpResponse(
            _("Máy chủ chưa cài thư viện tạo tệp PDF; hãy báo quản trị hệ thống."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    log_export(
        user=request.user,
        kind=ExportLog.Kind.TIMELINE_PDF,
        description=describe_filters(filters),
        parameters=filters.as_parameters(),
        row_count=len(entries),
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="dong-thoi-gian-thay-doi.pdf"'
    return response
