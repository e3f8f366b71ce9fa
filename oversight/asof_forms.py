"""The moment an as-of page is asked for: a day (dd/mm/yyyy) and an optional time (hh:mm); two of
them to compare. A day in the future, or a second moment before the first, is a clear error."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracking.asof import moment
from tracking.dates import DateField

BAD_TIME = _("Giờ không hợp lệ: hãy nhập theo dạng giờ:phút, ví dụ 14:30.")


class TimeField(forms.TimeField):
    """A time typed as hh:mm."""

    input_formats = ["%H:%M"]
    default_error_messages = {"invalid": BAD_TIME}

    def __init__(self, **kwargs):
        attrs = {"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off", "maxlength": "5"}
        super().__init__(widget=forms.TimeInput(attrs=attrs, format="%H:%M"), **kwargs)


def _moment(cleaned, day: str, time: str):
    if cleaned.get(day) is None:
        return None
    return moment(cleaned[day], cleaned.get(time))


class AsOfForm(forms.Form):
    """?at=dd/mm/yyyy[&time=hh:mm]: the end of that day, or of that minute."""

    at = DateField(label=_("Ngày"))
    time = TimeField(label=_("Giờ"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("at") is not None and cleaned["at"] > timezone.localdate():
            self.add_error("at", _("Ngày xem không được ở sau hôm nay."))
        return cleaned

    @property
    def moment(self):
        return _moment(self.cleaned_data, "at", "time")


class CompareForm(forms.Form):
    """?start=…&start_time=…&end=…&end_time=…: two moments, the first before the second."""

    start = DateField(label=_("Từ ngày"))
    start_time = TimeField(label=_("Giờ"), required=False)
    end = DateField(label=_("Đến ngày"))
    end_time = TimeField(label=_("Giờ"), required=False)

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            if cleaned.get(name) is not None and cleaned[name] > timezone.localdate():
                self.add_error(name, _("Ngày xem không được ở sau hôm nay."))
        start, end = self.start_moment, self.end_moment
        if start is not None and end is not None and start >= end:
            self.add_error("end", _("Thời điểm sau phải ở sau thời điểm trước."))
        return cleaned

    @property
    def start_moment(self):
        return _moment(self.cleaned_data, "start", "start_time")

    @property
    def end_moment(self):
        return _moment(self.cleaned_data, "end", "end_time")
