"""The read-access log page: inspectors browse who read whose record, within their subtree."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracking.dates import DateField
from tracking.keyset import paginate

from .audit import list_access_log
from .models import AccessLog
from .permissions import can_view_access_log


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(label=gettext_lazy("Tài khoản"), required=False, max_length=150)
    employee = forms.CharField(label=gettext_lazy("Họ tên hoặc số CCCD"), required=False, max_length=128)
    date_from = DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = DateField(label=gettext_lazy("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data


@login_required
def access_log(request):
    """Reads of personnel records and exports, newest first, filterable by account, person and
    dates; an inspector sees those about their subtree, a superuser everything. A page at a time
    by keyset on (at, id), newest first; no count (the table grows by every read)."""
    if not can_view_access_log(request.user):
        raise PermissionDenied(_("Chỉ thanh tra được xem nhật ký truy cập hồ sơ."))
    form = AccessLogFilterForm(request.GET or None)
    if not form.is_bound:
        entries = list_access_log(user=request.user)
    elif form.is_valid():
        entries = list_access_log(
            user=request.user,
            username=form.cleaned_data["user"],
            employee=form.cleaned_data["employee"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    else:
        entries = AccessLog.objects.none()
    return render(request, "records/access_log.html", {"form": form, "page": paginate(entries, request.GET)})
