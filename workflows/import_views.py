"""Pages of xlsx imports: the list, the upload form, a batch's progress, errors and summary,
and the downloads (the template, the error report). They sit in the records app's menu under
its names (records:import-…): config.urls joins IMPORT_PAGES to it, as records cannot import
workflows."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.audit import log_read
from records.exports import log_export, xlsx_response
from records.models import AccessLog, ExportLog
from records.permissions import can_view_sensitive_in_unit
from tracking.keyset import paginate
from tracking.progress import progress_response
from tracking.validators import no_control_characters
from units.models import Unit
from units.permissions import can_view_unit, list_proposing_units

from . import imports
from .models import ChangeRequest, ImportBatch


class ImportUploadForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị"), empty_label=None)
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Dùng đúng mẫu tải về từ trang này; toàn bộ tệp được kiểm tra trước khi gửi phê duyệt."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do nhập"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        validators=[no_control_characters, MaxLengthValidator(2000)],
        help_text=gettext_lazy(
            "Ghi vào lịch sử của mọi hồ sơ được nhập, ví dụ: “Chuyển hồ sơ giấy của đơn vị vào hệ thống”."
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def _officer_units(user):
    return list_proposing_units(user)  # the units whose data the user may propose changes to


def _running(batch: ImportBatch) -> bool:
    """Whether the status page should keep polling: work is queued or under way."""
    if batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.VALIDATING, ImportBatch.Status.APPLYING):
        return True
    return (
        batch.status == ImportBatch.Status.SUBMITTED
        and batch.change_request is not None
        and batch.change_request.status == ChangeRequest.Status.APPROVED
    )


@login_required
def import_list(request):
    """Imports of the units the user may see, newest first."""
    page = paginate(imports.list_import_batches(user=request.user).order_by("-uploaded_at", "-pk"), request.GET)
    for batch in page:
        imports.sync_import_status(batch)
    return render(
        request,
        "records/import_list.html",
        {"page": page, "can_upload": _officer_units(request.user).exists()},
    )


@login_required
def import_new(request):
    """An officer uploads a file for one of their units, with a reason."""
    units = _officer_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của đơn vị được nhập dữ liệu cho đơn vị."))
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit", "").isdigit() else {}
    form = ImportUploadForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.create_import_batch(
                unit=form.cleaned_data["unit"],
                uploaded_by=request.user,
                upload=form.cleaned_data["file"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Đã nhận tệp %(file)s; hệ thống đang kiểm tra.") % {"file": batch.file_name})
            return redirect("records:import-detail", pk=batch.pk)
    limits = {"upload_mb": settings.IMPORT_MAX_UPLOAD_MB, "rows": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", ".")}
    return render(request, "records/import_new.html", {"form": form, "units": units, "limits": limits})


@login_required
def import_detail(request, pk):
    """A batch: progress while it runs, then its errors, or its summary and its change request."""
    batch = imports.get_import_batch(user=request.user, pk=pk)
    summary = batch.summary or {}
    deleted = summary.get("file_deleted_at")
    people = summary.get("updated_people") or []
    if people:  # names and CCCDs of people on file: a read, logged like an export of those rows
        log_read(user=request.user, kind=AccessLog.Kind.VIEW, request=request, row_count=len(people))
    return render(
        request,
        "records/import_detail.html",
        {
            "batch": batch,
            "running": _running(batch),
            "summary": summary,
            "errors_total": summary.get("errors_total", len(batch.errors)),
            "change_request": batch.change_request,
            "file_deleted_at": parse_datetime(deleted) if deleted else None,
            "sensitive": can_view_sensitive_in_unit(request.user, batch.unit),
        },
    )


@login_required
def import_status(request, pk):
    """What the batch page polls every two seconds."""
    batch = imports.get_import_batch(user=request.user, pk=pk)
    return progress_response(batch, running=_running(batch))


@login_required
def import_errors(request, pk):
    """The error report of a batch as xlsx; logged like every export."""
    batch = imports.get_import_batch(user=request.user, pk=pk)
    if not batch.errors:
        raise Http404
    response = xlsx_response(imports.error_report_workbook(batch), f"bao-cao-loi-nhap-{batch.pk}.xlsx")
    log_export(
        user=request.user,
        kind=ExportLog.Kind.IMPORT_REPORT,
        description=_("Báo cáo lỗi lượt nhập #%(pk)s (%(file)s)") % {"pk": batch.pk, "file": batch.file_name},
        parameters={"import_batch": batch.pk},
        row_count=len(batch.errors),
        request=request,
    )
    return response


@login_required
def import_template(request):
    """The empty template; with ?unit= the unit's positions are listed and offered in a dropdown."""
    unit = None
    if request.GET.get("unit"):
        unit = Unit.objects.filter(pk=request.GET["unit"]).first() if request.GET["unit"].isdigit() else None
        if unit is None or not can_view_unit(request.user, unit):
            raise Http404
    return xlsx_response(imports.template_workbook(unit=unit), "mau-nhap-ho-so-can-bo.xlsx")


IMPORT_PAGES = [
    path("imports/", import_list, name="import-list"),
    path("imports/new/", import_new, name="import-new"),
    path("imports/template.xlsx", import_template, name="import-template"),
    path("imports/<int:pk>/", import_detail, name="import-detail"),
    path("imports/<int:pk>/status/", import_status, name="import-status"),
    path("imports/<int:pk>/errors.xlsx", import_errors, name="import-errors"),
]
