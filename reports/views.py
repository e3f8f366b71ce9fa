"""The staffing-quota report page (one level of the tree at a time) and its xlsx download of a
whole subtree (reports.quota builds the numbers)."""

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
from tracking.asof import moment
from tracking.dates import DateField
from units.access import access_tree_position
from units.models import Unit
from units.permissions import can_view_quota_report, can_view_unit
from units.selectors import (
    list_child_units,
    list_top_visible_units,
    list_visible_ancestors,
    list_visible_units,
    page_of_units,
)

from .quota import quota_level, quota_report


class QuotaReportForm(forms.Form):
    unit = forms.IntegerField(label=gettext_lazy("Đơn vị"), required=False, min_value=1)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=2000, max_value=2100)
    at = DateField(label=gettext_lazy("Tại ngày"), required=False)  # a past day: read from the history

    def clean_at(self):
        day = self.cleaned_data["at"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Ngày xem không được ở sau hôm nay."))
        return day


def _report_moment(request):
    """The past day the report is asked for (?at=dd/mm/yyyy): (the day, the end of that day as the
    moment to read the history at), or (None, None) for now; a malformed day is a bad request."""
    form = QuotaReportForm({"at": request.GET.get("at", "")})
    if not form.is_valid():
        raise BadRequest(form.errors["at"][0])
    day = form.cleaned_data["at"]
    if day is None or day == timezone.localdate():
        return None, None
    return day, moment(day)


def _report_year(request) -> int:
    """The report's year (default: this year); a malformed one is a bad request."""
    form = QuotaReportForm(request.GET)
    if not form.is_valid() and "year" in form.errors:
        raise BadRequest(_("Năm báo cáo không hợp lệ."))
    return form.cleaned_data.get("year") or timezone.localdate().year


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
    """One level of the report: a unit (`?parent=`, by default the user's first top unit) with
    its subtree's totals, and a page of its children (keyset), each linking to its own level."""
    parent = access_tree_position(request.user, request.GET)
    year = _report_year(request)
    day, at = _report_moment(request)
    if day is not None and not request.GET.get("year"):
        year = day.year
    tops = list(list_top_visible_units(user=request.user))
    if parent is None:
        if not can_view_quota_report(request.user) or not tops:
            raise PermissionDenied(_("Bạn chưa được phân quyền trên đơn vị nào."))
        parent = tops[0]
    page = page_of_units(list_child_units(user=request.user, parent=parent), request.GET)
    total, rows = quota_level(user=request.user, parent=parent, children=page.rows, year=year, at=at)
    return render(
        request,
        "reports/quota_report.html",
        {
            "unit": parent,
            "year": year,
            "rows": [total, *rows],
            "ancestors": list_visible_ancestors(user=request.user, unit=parent),
            "tops": tops if len(tops) > 1 else [],
            "page": page,
            "day": day,
            "day_query": f"&at={day:%d/%m/%Y}" if day else "",
        },
    )


@login_required
def quota_report_xlsx(request):
    """The same numbers as the page, one line per unit and category."""
    unit, year = _report_parameters(request)
    day, at = _report_moment(request)
    if day is not None and not request.GET.get("year"):
        year = day.year
    rows = quota_report(unit=unit, year=year, at=at)
    title = _("Báo cáo biên chế %(unit)s năm %(year)s") % {"unit": unit.name, "year": year}
    if day is not None:
        title = _("%(title)s, tại ngày %(day)s") % {"title": title, "day": f"{day:%d/%m/%Y}"}
    workbook, sheet = new_sheet(_("Biên chế %(year)s") % {"year": year})
    sheet.freeze_panes = "D3"
    sheet.append([xlsx_cell(sheet, title, bold=True)])
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
    suffix = f"-{day:%Y%m%d}" if day is not None else ""
    response = xlsx_response(workbook, f"bao-cao-bien-che-{unit.code}-{year}{suffix}.xlsx")
    log_export(
        user=request.user,
        kind=ExportLog.Kind.QUOTA_REPORT,
        description=title[:255],
        parameters={"unit": unit.pk, "year": year, **({"at": f"{day:%d/%m/%Y}"} if day is not None else {})},
        row_count=count,
        request=request,
    )
    return response
