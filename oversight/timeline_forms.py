"""The timeline's filters (page, xlsx and pdf alike), read from the URL so that a filtered view
can be bookmarked and shared. A value that names nothing the reader may see is a clear
Vietnamese error, never a 500 and never a hint that it exists elsewhere."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.models import Employee
from tracking.dates import DateField
from units.models import Unit
from workflows.models import ChangeRequest
from workflows.permissions import timeline_scope
from workflows.policy import Category

from .fields import field_choices


def _id_field(label, message):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class TimelineFilterForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("Mã đơn vị"), required=False, max_length=32)
    only_unit = forms.BooleanField(label=gettext_lazy("Chỉ đơn vị này (không gồm đơn vị trực thuộc)"), required=False)
    person = _id_field(gettext_lazy("Mã hồ sơ cán bộ"), gettext_lazy("Mã hồ sơ cán bộ phải là một số nguyên dương."))
    proposer = forms.CharField(label=gettext_lazy("Người đề xuất (tên đăng nhập)"), required=False, max_length=150)
    approver = forms.CharField(label=gettext_lazy("Người phê duyệt (tên đăng nhập)"), required=False, max_length=150)
    category = forms.ChoiceField(
        label=gettext_lazy("Loại dữ liệu"),
        required=False,
        choices=[("", gettext_lazy("Mọi loại dữ liệu")), *Category.choices],
        error_messages={"invalid_choice": gettext_lazy("Loại dữ liệu không hợp lệ.")},
    )
    field = forms.ChoiceField(
        label=gettext_lazy("Trường, bảng dữ liệu"),
        required=False,
        choices=field_choices,
        error_messages={"invalid_choice": gettext_lazy("Trường dữ liệu không hợp lệ.")},
    )
    date_from = DateField(label=gettext_lazy("Gửi từ ngày"), required=False)
    date_to = DateField(label=gettext_lazy("Gửi đến ngày"), required=False)
    request = _id_field(gettext_lazy("Mã yêu cầu"), gettext_lazy("Mã yêu cầu phải là một số nguyên dương."))
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[("", gettext_lazy("Mọi trạng thái")), *ChangeRequest.Status.choices],
        error_messages={"invalid_choice": gettext_lazy("Trạng thái không hợp lệ.")},
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user

    def clean_unit(self):
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None or not timeline_scope(self.user).contains(unit):
            raise forms.ValidationError(_("Không có đơn vị mã “%(code)s” trong phạm vi bạn được xem.") % {"code": code})
        return unit

    def clean_person(self):
        pk = self.cleaned_data.get("person")
        if pk is None:
            return None
        employee = Employee.objects.select_related("managing_unit").filter(pk=pk).first()
        if employee is None or not timeline_scope(self.user).contains(employee.managing_unit):
            raise forms.ValidationError(_("Không có hồ sơ cán bộ mã %(pk)s trong phạm vi bạn được xem.") % {"pk": pk})
        return employee

    def _account(self, name):
        username = (self.cleaned_data.get(name) or "").strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Không có tài khoản “%(name)s”.") % {"name": username})
        return user

    def clean_proposer(self):
        return self._account("proposer")

    def clean_approver(self):
        return self._account("approver")

    def _day(self, name):
        value = self.cleaned_data.get(name)
        if value and not datetime.date(1900, 1, 1) <= value <= datetime.date(2200, 12, 31):
            raise forms.ValidationError(_("Ngày phải trong khoảng từ năm 1900 đến năm 2200."))
        return value

    def clean_date_from(self):
        return self._day("date_from")

    def clean_date_to(self):
        return self._day("date_to")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("“Gửi đến ngày” phải sau hoặc bằng “Gửi từ ngày”."))
        return data

    def filters(self) -> "Filters":
        data = self.cleaned_data
        return Filters(
            unit=data.get("unit"),
            only_unit=bool(data.get("only_unit")),
            person=data.get("person"),
            proposer=data.get("proposer"),
            approver=data.get("approver"),
            category=data.get("category") or "",
            field=data.get("field") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            request=data.get("request"),
            status=data.get("status") or "",
        )

    def error_messages(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors]


@dataclass
class Filters:
    """The cleaned filters: objects for what names a row, dates as dates."""

    unit: Unit | None = None
    only_unit: bool = False
    person: Employee | None = None
    proposer: object = None
    approver: object = None
    category: str = ""
    field: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    request: int | None = None
    status: str = ""

    def as_parameters(self) -> dict:
        """The filters as the form's own data (JSON for an export job; read back by the form)."""
        day = lambda d: d.strftime("%d/%m/%Y") if d else ""  # noqa: E731
        return {
            "unit": self.unit.code if self.unit else "",
            "only_unit": "on" if self.only_unit else "",
            "person": self.person.pk if self.person else "",
            "proposer": self.proposer.username if self.proposer else "",
            "approver": self.approver.username if self.approver else "",
            "category": self.category,
            "field": self.field,
            "date_from": day(self.date_from),
            "date_to": day(self.date_to),
            "request": self.request or "",
            "status": self.status,
        }

    def start(self):
        """The first moment of date_from (local time), or None."""
        return _midnight(self.date_from) if self.date_from else None

    def end(self):
        """The first moment after date_to (local time), or None."""
        return _midnight(self.date_to + datetime.timedelta(days=1)) if self.date_to else None


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
