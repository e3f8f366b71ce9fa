"""The employee list's filters and orderings, read from the query string (so a list can be
bookmarked, shared and saved: accounts.SavedFilter), the same for the page and its export.

Every filter is a column of the person's own row (rank, position name, status, sex, birth date
for the age band, Party membership) combined with AND; the unit filter (a unit's subtree) and
the scope come from records.selectors. Each ordering ends in the primary key and has an index
that starts with its columns (records 0014, 0023), so keyset pagination (tracking.keyset)
reads one page at any depth. Bad input never fails the page: the field is ignored and the
page says why, in Vietnamese."""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Employee
from .models.employee import today

# key: (label, ordering). The name in Vietnamese order is the sort key (given, middle, family).
ORDERINGS = {
    "name": (_("Họ tên (A–Z)"), ("sort_key", "id")),
    "-name": (_("Họ tên (Z–A)"), ("-sort_key", "-id")),
    "birth": (_("Ngày sinh (lớn tuổi trước)"), ("date_of_birth", "id")),
    "-birth": (_("Ngày sinh (trẻ tuổi trước)"), ("-date_of_birth", "-id")),
    "rank": (_("Mã ngạch"), ("rank_code", "sort_key", "id")),
    "-rank": (_("Mã ngạch (giảm dần)"), ("-rank_code", "-sort_key", "-id")),
}
DEFAULT_ORDERING = "name"

# key: (label, youngest age, oldest age or None): ages in whole years on today's date.
AGE_BANDS = {
    "under30": (_("Dưới 30 tuổi"), 0, 29),
    "30-39": (_("Từ 30 đến 39 tuổi"), 30, 39),
    "40-49": (_("Từ 40 đến 49 tuổi"), 40, 49),
    "50-59": (_("Từ 50 đến 59 tuổi"), 50, 59),
    "60plus": (_("Từ 60 tuổi"), 60, None),
}

PARTY_CHOICES = (("yes", _("Đảng viên")), ("no", _("Chưa vào Đảng")))

# The parameters of the list that are filters (the cursor and nothing else is not): what a
# saved filter keeps and what the export takes along.
FILTER_PARAMS = ("q", "unit", "rank", "position", "status", "sex", "age", "party", "sort")


def _choices(pairs) -> list:
    return [("", "")] + [(key, label) for key, label in pairs]


class EmployeeFilterForm(forms.Form):
    """The list's filters as typed in the URL; each field that fails is dropped with its error."""

    q = forms.CharField(required=False, max_length=100, strip=True)
    unit = forms.IntegerField(required=False, min_value=1)
    rank = forms.CharField(required=False, max_length=16, strip=True)
    position = forms.CharField(required=False, max_length=128, strip=True)
    status = forms.ChoiceField(required=False, choices=_choices(Employee.EmploymentStatus.choices))
    sex = forms.ChoiceField(required=False, choices=_choices(Employee.Sex.choices))
    age = forms.ChoiceField(required=False, choices=_choices((key, label) for key, (label, *_r) in AGE_BANDS.items()))
    party = forms.ChoiceField(required=False, choices=_choices(PARTY_CHOICES))
    sort = forms.ChoiceField(required=False, choices=_choices((key, label) for key, (label, _o) in ORDERINGS.items()))

    LABELS = {
        "q": _("Từ khoá"),
        "unit": _("Đơn vị"),
        "rank": _("Mã ngạch"),
        "position": _("Chức vụ"),
        "status": _("Tình trạng"),
        "sex": _("Giới tính"),
        "age": _("Độ tuổi"),
        "party": _("Đảng viên"),
        "sort": _("Sắp xếp"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.label = self.LABELS[name]
            field.error_messages["invalid_choice"] = _("Giá trị không có trong danh sách.")
            field.error_messages["invalid"] = _("Giá trị không hợp lệ.")


def read_filters(params) -> tuple[dict, list[str]]:
    """(the valid filters of `params` by name, with "" for those not given; a message for each
    that was refused, which the list then ignores)."""
    form = EmployeeFilterForm({name: params.get(name, "") for name in FILTER_PARAMS})
    form.is_valid()
    errors = [f"{form.fields[name].label}: {' '.join(messages)}" for name, messages in form.errors.items()]
    cleaned = {name: form.cleaned_data.get(name) for name in FILTER_PARAMS}
    cleaned = {name: ("" if value is None else value) for name, value in cleaned.items()}
    return cleaned, errors


def ordering(key: str) -> tuple[str, ...]:
    return ORDERINGS.get(key or DEFAULT_ORDERING, ORDERINGS[DEFAULT_ORDERING])[1]


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def filters_q(filters: dict) -> Q:
    """The row filters (not the search words, the unit or the order) as one condition."""
    condition = Q()
    if filters.get("rank"):
        condition &= Q(rank_code__iexact=filters["rank"])
    if filters.get("position"):
        condition &= Q(position__name__iexact=filters["position"])
    if filters.get("status"):
        condition &= Q(employment_status=filters["status"])
    if filters.get("sex"):
        condition &= Q(sex=filters["sex"])
    if filters.get("age") in AGE_BANDS:
        _label, youngest, oldest = AGE_BANDS[filters["age"]]
        now = today()
        condition &= Q(date_of_birth__lte=_years_before(now, youngest))  # at least `youngest` today
        if oldest is not None:  # not yet oldest + 1 today
            condition &= Q(date_of_birth__gt=_years_before(now, oldest + 1))
    if filters.get("party") == "yes":
        condition &= Q(party_join_date__isnull=False)
    elif filters.get("party") == "no":
        condition &= Q(party_join_date__isnull=True)
    return condition
