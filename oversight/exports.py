"""The filtered timeline as an xlsx file and as a PDF report, two kinds of records.export_jobs:
a Celery job with progress and a download, logged at the download as every export is (the PDF
was made in the request: with a filter only a row can tell, its search went through the whole
scope while the user waited). Both read what the page reads (oversight.timeline) with the same
filters and masking; the PDF holds the first PDF_MAX_REQUESTS requests (the xlsx, all), laid out
PDF_PART_REQUESTS at a time (WeasyPrint holds a whole document's layout in memory) and joined."""

import tempfile

from django.core.exceptions import BadRequest
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.export_jobs.kinds import ExportKind, register
from records.export_jobs.running import ExportRefused
from records.exports import PdfUnavailable, html_to_pdf
from records.models import ExportLog
from workflows.permissions import can_export_timeline

from .timeline import describe_requests, list_timeline
from .timeline_forms import TimelineFilterForm

CHUNK_REQUESTS = 200  # requests described per round (their history rows and decisions)
# A PDF report beyond this is the xlsx's work (the report says so): tens of thousands of requests
# are thousands of pages, minutes of layout.
PDF_MAX_REQUESTS = 20_000
# Requests laid out per WeasyPrint document: memory holds one part's entries and layout, whatever
# the report's length; the parts' PDFs wait on disk and are joined at the end (pypdf).
PDF_PART_REQUESTS = CHUNK_REQUESTS


def _at(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def filters_of(user, data):
    """The cleaned filters of form data; BadRequest with the form's errors when invalid."""
    form = TimelineFilterForm(data, user=user)
    if not form.is_valid():
        raise BadRequest(" ".join(form.error_messages()))
    return form.filters()


def describe_filters(filters) -> str:
    parts = [filters.unit.name if filters.unit else _("mọi đơn vị được xem")]
    if filters.date_from or filters.date_to:
        parts.append(
            _("gửi từ %(start)s đến %(end)s")
            % {
                "start": filters.date_from.strftime("%d/%m/%Y") if filters.date_from else "…",
                "end": filters.date_to.strftime("%d/%m/%Y") if filters.date_to else "…",
            }
        )
    if filters.approver:
        parts.append(_("người phê duyệt %(name)s") % {"name": filters.approver.username})
    return _("Dòng thời gian thay đổi: %(what)s") % {"what": ", ".join(parts)}


def changes_text(entry) -> str:
    lines = []
    for change in entry.changes:
        head = f"{change['action']} {change['table']}"
        if change.get("object"):
            head += f": {change['object']}"
        lines.append(head)
        for shown in change["fields"]:
            old = shown["old"] if shown["old"] not in (None, "") else "—"
            lines.append(f"  {shown['field']}: {old} → {shown['new']}")
    if entry.more_changes:
        lines.append(_("… và các thay đổi khác"))
    return "\n".join(lines)


def decisions_text(entry) -> str:
    lines = []
    for d in entry.decisions:
        who = d["by"] + (_(" (thay cho %(name)s)") % {"name": d["acting_for"]} if d["acting_for"] else "")
        days = "" if d["days"] is None else _(", %(n)s ngày làm việc") % {"n": d["days"]}
        lines.append(f"{d['level']} · {d['unit']} · {d['decision']} · {who} · {_at(d['at'])}{days}")
    if entry.waiting:
        lines.append(
            _("Đang chờ %(level)s: %(n)s ngày làm việc") % {"level": entry.waiting["level"], "n": entry.waiting["days"]}
        )
    return "\n".join(lines)


def iter_entries(user, filters, limit=None, progress=None):
    """The timeline's entries in its order, described a chunk of requests at a time
    (`progress(done)` after each chunk)."""
    queryset = list_timeline(user=user, filters=filters)
    if limit is not None:
        queryset = queryset[:limit]
    chunk, done = [], 0
    for request in queryset.iterator(chunk_size=CHUNK_REQUESTS):
        chunk.append(request)
        if len(chunk) == CHUNK_REQUESTS:
            yield from describe_requests(user, chunk)
            done += len(chunk)
            chunk = []
            if progress is not None:
                progress(done)
    if chunk:
        yield from describe_requests(user, chunk)


class TimelineExport(ExportKind):
    key = "timeline"
    title = gettext_lazy("Dòng thời gian thay đổi")
    log_kind = ExportLog.Kind.TIMELINE
    sheet_title = gettext_lazy("Dòng thời gian")
    file_prefix = "dong-thoi-gian-thay-doi"
    freeze_panes = "C2"

    def may_export(self, user) -> bool:
        return can_export_timeline(user)

    def clean(self, user, data) -> dict:
        return filters_of(user, data).as_parameters()

    def _filters(self, user, parameters):
        form = TimelineFilterForm({k: v for k, v in parameters.items() if v not in (None, "")}, user=user)
        if not form.is_valid():
            raise Http404  # what a filter named left the user's scope: the job says so
        return form.filters()

    def describe(self, user, parameters) -> str:
        return describe_filters(self._filters(user, parameters))

    def header(self) -> list:
        return [
            _("Mã yêu cầu"),
            _("Thời điểm gửi"),
            _("Đơn vị"),
            _("Cán bộ, đối tượng"),
            _("Loại yêu cầu"),
            _("Loại dữ liệu"),
            _("Nội dung thay đổi (cũ → mới)"),
            _("Người đề xuất"),
            _("Lý do"),
            _("Trạng thái"),
            _("Ý kiến các cấp phê duyệt"),
            _("Thời điểm cập nhật vào hồ sơ"),
        ]

    def count(self, user, parameters) -> int:
        return list_timeline(user=user, filters=self._filters(user, parameters)).count()

    def rows(self, user, parameters):
        from accounts.names import display_name

        for entry in iter_entries(user, self._filters(user, parameters)):
            request = entry.request
            yield [
                request.pk,
                _at(request.submitted_at),
                request.unit.name,
                entry.subject,
                request.get_kind_display(),
                ", ".join(entry.categories),
                changes_text(entry),
                display_name(request.submitted_by),
                request.reason,
                request.get_status_display(),
                decisions_text(entry),
                _at(request.applied_at),
            ]


TIMELINE = register(TimelineExport())


class TimelinePdfExport(TimelineExport):
    """The PDF report: the first PDF_MAX_REQUESTS requests of the filtered timeline, described
    as the page describes them (old → new, decisions, waiting), said so when there are more."""

    key = "timeline_pdf"
    title = gettext_lazy("Báo cáo dòng thời gian thay đổi (pdf)")
    log_kind = ExportLog.Kind.TIMELINE_PDF
    file_prefix = "dong-thoi-gian-thay-doi"
    extension = "pdf"
    content_type = "application/pdf"

    def count(self, user, parameters) -> int:
        return list_timeline(user=user, filters=self._filters(user, parameters))[:PDF_MAX_REQUESTS].count()

    def write(self, job, target, progress) -> int:
        """One WeasyPrint document per PDF_PART_REQUESTS requests, each numbering its pages on
        from the last part's, written to a temporary file; then the parts joined into `target`."""
        from pypdf import PdfReader, PdfWriter

        filters = self._filters(job.user, job.parameters)
        capped = list_timeline(user=job.user, filters=filters)[PDF_MAX_REQUESTS:].exists()
        context = {"capped": capped, "limit": PDF_MAX_REQUESTS, "title": describe_filters(filters)}
        context["printed_at"] = timezone.localtime()
        entries = iter_entries(job.user, filters, limit=PDF_MAX_REQUESTS, progress=progress)
        written, pages = 0, 0
        with tempfile.TemporaryDirectory(prefix="timeline-pdf-") as directory:
            paths = []
            for part in _parts(entries, PDF_PART_REQUESTS):
                html = render_to_string(
                    "oversight/timeline_pdf.html",
                    {**context, "entries": part, "first_part": not paths, "first_page": pages + 1},
                )
                path = f"{directory}/{len(paths):05d}.pdf"
                with open(path, "wb") as out:
                    out.write(_pdf(html))
                paths.append(path)
                pages += len(PdfReader(path).pages)
                written += len(part)
            writer = PdfWriter()
            for path in paths:
                writer.append(path)
            writer.write(target)
        return written


def _parts(entries, size: int):
    """`entries` in lists of `size`; one empty list when there are none (the report says so)."""
    part, any_part = [], False
    for entry in entries:
        part.append(entry)
        if len(part) == size:
            yield part
            part, any_part = [], True
    if part or not any_part:
        yield part


def _pdf(html: str) -> bytes:
    try:
        return html_to_pdf(html)
    except PdfUnavailable as exc:
        raise ExportRefused(_("Máy chủ chưa cài thư viện tạo tệp PDF; hãy báo quản trị hệ thống.")) from exc


TIMELINE_PDF = register(TimelinePdfExport())
