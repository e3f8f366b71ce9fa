"""The due lists a user may see: the stored items (computed for today by the nightly refresh),
filtered and paged by keyset; and the same lists **as of another date**, computed on the fly.

As of another date D:
- the rule rows in force on D (each row's validity dates) and the salary table in force on D;
- for D in the past, the file as it stood at the end of D, read from its history (the people
  shown are those the user may see now; a person added after D has no items then);
- for D in the future, the file as it stands today (nobody knows tomorrow's decisions): the
  stored items when the rules give the same result on D as today (the usual case: the dates
  do not depend on the day they are computed), otherwise computed on the fly;
- "overdue" and the status of each row are read against D.
Computed on the fly, the list is paged by person (PEOPLE_PER_PAGE people a page, in name
order, by keyset), and each page computes its people only: a constant number of queries per
page; a page may then show fewer rows than the stored list's, or none. The export computes the
whole list in chunks (duedates.exports)."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.models.employee import today
from records.selectors import list_employees
from tracking.dates import DateField
from tracking.keyset import KeysetPage, paginate
from units.selectors import list_visible_units

from . import rules
from .models import DueItem
from .permissions import visible_due_items_q
from .services import RuleSet, build_item, compute_all, person_inputs, person_inputs_of
from .term_rules import CONTRACT_END, PROBATION_END

PER_PAGE = 50
PEOPLE_PER_PAGE = 50
DATED_KINDS = (rules.RETIREMENT, rules.SALARY_STEP, rules.BEYOND_LAST_STEP, CONTRACT_END, PROBATION_END)
# Kinds listed together under one choice of the kind filter: the salary steps and the
# beyond-last-step allowance, both "nâng lương" (the home page's salary tiles count both).
SALARY_RAISES = "salary_raises"
KIND_GROUPS = {SALARY_RAISES: (rules.SALARY_STEP, rules.BEYOND_LAST_STEP)}
KIND_GROUP_LABELS = {SALARY_RAISES: gettext_lazy("Nâng bậc lương và phụ cấp thâm niên vượt khung")}


def kinds_of(kind: str) -> tuple:
    """The kinds of item a value of the kind filter stands for ("" : every dated kind)."""
    return KIND_GROUPS.get(kind) or ((kind,) if kind else DATED_KINDS)


def _date_field(label):
    return DateField(label=label, required=False)


class DueFilterForm(forms.Form):
    """The filters of the due lists (page and export alike)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Loại việc"),
        required=False,
        choices=[("", gettext_lazy("Mọi việc có ngày đến hạn")), *DueItem.Kind.choices, *KIND_GROUP_LABELS.items()],
        error_messages={"invalid_choice": gettext_lazy("Loại việc không hợp lệ.")},
    )
    unit = forms.IntegerField(
        label=gettext_lazy("Đơn vị (cả các đơn vị trực thuộc)"),
        required=False,
        min_value=1,
        error_messages={
            "invalid": gettext_lazy("Đơn vị không hợp lệ."),
            "min_value": gettext_lazy("Đơn vị không hợp lệ."),
        },
    )
    q = forms.CharField(label=gettext_lazy("Họ tên"), required=False, max_length=100)
    due_from = _date_field(gettext_lazy("Đến hạn từ ngày"))
    due_to = _date_field(gettext_lazy("Đến hạn đến ngày"))
    overdue = forms.BooleanField(label=gettext_lazy("Chỉ việc đã quá hạn"), required=False)
    as_of = _date_field(gettext_lazy("Tính đến ngày"))

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user

    def clean_unit(self):
        pk = self.cleaned_data.get("unit")
        if pk is None:
            return None
        unit = list_visible_units(user=self.user).filter(pk=pk).first()
        if unit is None:
            raise forms.ValidationError(_("Đơn vị này không có trong phạm vi bạn được xem."))
        return unit

    def clean_as_of(self):
        value = self.cleaned_data.get("as_of")
        if value and not datetime.date(1900, 1, 1) <= value <= datetime.date(2200, 12, 31):
            raise forms.ValidationError(_("Ngày tính phải trong khoảng từ năm 1900 đến năm 2200."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            raise forms.ValidationError(_("“Đến hạn đến ngày” phải sau hoặc bằng “Đến hạn từ ngày”."))
        return data

    def filters(self) -> "Filters":
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            unit=data.get("unit"),
            q=(data.get("q") or "").strip(),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
            overdue=bool(data.get("overdue")),
            as_of=data.get("as_of") or today(),
        )


def _iso(day):
    return day.isoformat() if day else None


class Filters:
    """The cleaned filters: the unit as a Unit, the dates as dates, `as_of` today by default."""

    def __init__(self, *, kind="", unit=None, q="", due_from=None, due_to=None, overdue=False, as_of=None):
        self.kind, self.unit, self.q = kind, unit, q
        self.due_from, self.due_to, self.overdue = due_from, due_to, overdue
        self.as_of = as_of or today()

    def as_parameters(self) -> dict:
        """JSON for an export job."""
        return {
            "kind": self.kind,
            "unit": self.unit.pk if self.unit else None,
            "q": self.q,
            "due_from": _iso(self.due_from),
            "due_to": _iso(self.due_to),
            "overdue": self.overdue,
            "as_of": _iso(self.as_of),
        }

    def matches(self, item) -> bool:
        """The same filters as list_due_items, on an item computed in memory."""
        if item.kind not in kinds_of(self.kind):
            return False
        if item.kind == rules.CANNOT_COMPUTE:
            return not (self.due_from or self.due_to or self.overdue)
        if self.due_from and item.due_date < self.due_from:
            return False
        if self.due_to and item.due_date > self.due_to:
            return False
        return not (self.overdue and item.due_date >= self.as_of)


def uses_stored_items(as_of: datetime.date) -> bool:
    """Whether the stored items (computed for today) are the lists as of `as_of`: today, or a
    later day on which the rules give what they give today (same rule set version)."""
    now = today()
    if as_of == now:
        return True
    if as_of < now:
        return False
    return RuleSet(as_of=as_of).version == RuleSet(as_of=now).version


def list_due_items(*, user, filters: Filters) -> QuerySet:
    """Stored items the user may see, filtered; by due date (then id), or, for "cannot
    compute", in name order: both orders are keyset-paginable (NOT NULL columns)."""
    queryset = DueItem.objects.filter(visible_due_items_q(user)).select_related("employee", "employee__managing_unit")
    if filters.kind == rules.CANNOT_COMPUTE:
        queryset = queryset.filter(kind=rules.CANNOT_COMPUTE).order_by("employee__sort_key", "pk")
        if filters.due_from or filters.due_to or filters.overdue:
            queryset = queryset.none()
    else:
        queryset = queryset.filter(kind__in=kinds_of(filters.kind), due_date__isnull=False).order_by("due_date", "pk")
        if filters.due_from:
            queryset = queryset.filter(due_date__gte=filters.due_from)
        if filters.due_to:
            queryset = queryset.filter(due_date__lte=filters.due_to)
        if filters.overdue:
            queryset = queryset.filter(due_date__lt=filters.as_of)
    if filters.unit is not None:
        queryset = queryset.filter(employee__managing_unit__path__startswith=filters.unit.path)
    if filters.q:
        # The employee list's search (name words, or the start of a CCCD where the user may see
        # CCCDs): the same people whichever way the list is computed.
        queryset = queryset.filter(employee__in=list_employees(user=user, search=filters.q).values("pk"))
    return queryset


def list_people(*, user, filters: Filters) -> QuerySet:
    """The people whose items are computed on the fly: those of the employee list (the same
    scope, name search and unit subtree), in name order."""
    return list_employees(user=user, search=filters.q, unit=filters.unit)


def moment_of(as_of: datetime.date):
    """The moment the file is read at for `as_of`: None (now) for today or later, else the end
    of that day."""
    if as_of >= today():
        return None
    return timezone.make_aware(datetime.datetime.combine(as_of, datetime.time.max))


def compute_items(employee_ids, as_of: datetime.date, ruleset: RuleSet | None = None) -> dict[int, list]:
    """The due items of `employee_ids` as of `as_of` (unsaved DueItem rows), by person: the
    rule set and seven reads of the file, whatever the number of people."""
    ruleset = ruleset or RuleSet(as_of=as_of)
    people = person_inputs(employee_ids, ruleset, when=moment_of(as_of))
    now = timezone.now()
    return {
        pk: [build_item(pk, result, ruleset, now) for result in compute_all(person, ruleset)]
        for pk, person in people.items()
    }


def matching_items(employees, filters: Filters, ruleset: RuleSet | None = None) -> list:
    """The items of `employees` as of `filters.as_of` that pass the filters, each with its
    employee attached, by due date (those without one last), then name."""
    by_pk = {employee.pk: employee for employee in employees}
    rows = []
    for pk, items in compute_items(list(by_pk), filters.as_of, ruleset).items():
        for item in items:
            if filters.matches(item):
                item.employee = by_pk[pk]
                rows.append(item)
    rows.sort(key=lambda i: (i.due_date or datetime.date.max, i.employee.sort_key, i.employee_id, i.kind))
    return rows


def computed_page(*, user, filters: Filters, params) -> KeysetPage:
    """A page of the lists as of another date: a keyset page of people, their items computed,
    the filters applied, by due date within the page."""
    page = paginate(list_people(user=user, filters=filters), params, per_page=PEOPLE_PER_PAGE)
    page.extra["people"] = len(page.rows)
    page.rows = matching_items(page.rows, filters)
    return page


def due_page(*, user, filters: Filters, params) -> tuple[KeysetPage, bool]:
    """(the page, whether it was computed on the fly)."""
    if uses_stored_items(filters.as_of):
        return paginate(list_due_items(user=user, filters=filters), params, per_page=PER_PAGE), False
    return computed_page(user=user, filters=filters, params=params), True


def person_items(employee, as_of: datetime.date) -> list:
    """One person's items as of `as_of` (stored ones when they hold for that day)."""
    if uses_stored_items(as_of):
        return list(DueItem.objects.filter(employee=employee).order_by("kind", "pk"))
    return compute_items([employee.pk], as_of).get(employee.pk, [])


def salary_step_due(employee, rows_of=None) -> datetime.date | None:
    """When the step the file holds now gives way to the next, by the due engine (holding period
    by salary class, extensions, non-counted time): the stored item while it was computed from
    that step, else computed for this one person (the file changed since the last refresh).

    `rows_of(model)`: the person's rows of a sub-record model, read already by the caller (the
    change page): computed from them and the file in hand by the rules the nightly refresh
    applies, without a query (the stored item is that computation as of its night)."""
    start = employee.salary_effective_date
    if start is None:
        return None
    if rows_of is not None:
        ruleset = RuleSet(as_of=today())
        results = compute_all(person_inputs_of(employee, rows_of, ruleset), ruleset)
        return next((r.due_date for r in results if r.kind == DueItem.Kind.SALARY_STEP), None)
    stored = DueItem.objects.filter(employee=employee, kind=DueItem.Kind.SALARY_STEP).values_list("due_date", "inputs")
    for due, inputs in stored:
        if inputs.get("step") == employee.salary_step and inputs.get("start") == start.isoformat():
            return due
    computed = compute_items([employee.pk], today()).get(employee.pk, [])
    return next((item.due_date for item in computed if item.kind == DueItem.Kind.SALARY_STEP), None)
