"""The staffing-quota report page and its xlsx download (reports.quota builds the numbers)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.exports import log_export, new_sheet, xlsx_cell, xlsx_response
from records.models import ExportLog
from units.models import Unit
from units.permissions import can_view_quota_report, can_view_unit
from units.selectors import list_visible_units

from .quota import quota_report


class QuotaReportForm(forms.Form):
    unit = forms.IntegerField(label=gettext_lazy("Đơn vị"), required=False, min_value=1)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=2000, max_value=2100)


def _report_parameters(request) -> tuple[Unit, int]:
    """The unit (default: the user's top visible unit) and year (default: this year); a unit
    the user may not see is 404, so its existence is not disclosed."""
    form = QuotaReportForm(request.GET)
    if not form.is_valid():
        if "unit" in form.errors:
            raise Http404
        raise BadRequest(_("Năm báo cáo không hợp lệ."))
    pk = form.cleaned_data["unit"]
    if pk is None:
        if not can_view_quota_report(request.user):
            raise PermissionDenied(_("Bạn chưa được phân quyền trên đơn vị nào."))
        unit = list_visible_units(user=request.user).first()
    else:
        unit = Unit.objects.filter(pk=pk).first()
        if unit is None or not can_view_unit(request.user, unit):
            raise Http404
    return unit, form.cleaned_data["year"] or timezone.localdate().year


@login_required
def quota_report_page(request):
    unit, year = _report_parameters(request)
    return render(
        request,
        "reports/quota_report.html",
        {
            "unit": unit,
            "year": year,
            "rows": quota_report(unit=unit, year=year),
            "units": list_visible_units(user=request.user),
        },
    )


@login_required
def quota_report_xlsx(request):
    """The same numbers as the page, one line per unit and category."""
    unit, year = _report_parameters(request)
    rows = quota_report(unit=unit, year=year)
    workbook, sheet = new_sheet(_("Biên chế %(year)s") % {"year": year})
    sheet.freeze_panes = "D3"
    sheet.append(
        [xlsx_cell(sheet, _("Báo cáo biên chế %(unit)s năm %(year)s") % {"unit": unit.name, "year": year}, bold=True)]
    )
    headers = [
        _("Mã đơn vị"),
        _("Tên đơn vị"),
        _("Loại biên chế"),
        _("Được giao (đơn vị)"),
        _("Thực có (đơn vị)"),
        _("Đang chờ (đơn vị)"),
        _("Được giao (cả khối)"),
        _("Thực có (cả khối)"),
        _("Đang chờ (cả khối)"),
    ]
    sheet.append([xlsx_cell(sheet, h, bold=True) for h in headers])
    count = 0
    for row in rows:
        for category in row.categories:
            own, sub = category["own"], category["subtree"]
            sheet.append(
                [
                    xlsx_cell(sheet, row.unit.code),
                    xlsx_cell(sheet, row.unit.name, indent=row.depth),
                    str(category["label"]),
                    own["approved"],
                    own["actual"],
                    own["pending"],
                    sub["approved"],
                    sub["actual"],
                    sub["pending"],
                ]
            )
            count += 1
    response = xlsx_response(workbook, f"bao-cao-bien-che-{unit.code}-{year}.xlsx")
    log_export(
        user=request.user,
        kind=ExportLog.Kind.QUOTA_REPORT,
        description=_("Báo cáo biên chế %(unit)s năm %(year)s") % {"unit": unit.name, "year": year},
        parameters={"unit": unit.pk, "year": year},
        row_count=count,
        request=request,
    )
    return response
