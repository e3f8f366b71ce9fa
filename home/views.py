"""Each user's home page (the site's first section, where "/" and the login land): the work
waiting for them, the requests they submitted, the due work of their units, and, for those who
oversee a scope, its figures and charts, each with links to the filtered lists. Every part is
shown exactly when the user may use the list it comes from (the permissions modules)."""

import datetime

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from duedates import rules
from duedates.permissions import can_view_due_items
from duedates.selectors import SALARY_RAISES
from records.models import Employee
from records.permissions import can_view_access_log
from reports.quota import CATEGORIES
from units.permissions import (
    can_manage_grants,
    can_view_policy,
    can_view_quota_report,
    propose_scope,
)
from workflows.permissions import can_use_workflow, may_approve_somewhere

from . import charts, selectors

AGE_BAND_LABELS = {
    "under_30": "Dưới 30",
    "30_39": "30–39",
    "40_49": "40–49",
    "50_59": "50–59",
    "60_up": "Từ 60",
}


def _age_band_label(key: str) -> str:
    return _(AGE_BAND_LABELS[key])


def _days_since(moment) -> int:
    return max((timezone.localdate() - timezone.localtime(moment).date()).days, 0)


def _task_rows(tasks) -> list[dict]:
    rows = []
    for task in tasks:
        change_request = task.process.change_request
        rows.append(
            {
                "url": reverse(f"changerequest:{task.flow_task.name}:index", args=[task.process_id, task.pk]),
                "step": task.flow_task,
                "request": change_request,
                "days": _days_since(task.created),
                "since": task.created,
            }
        )
    return rows


def _list_url(name: str, **query) -> str:
    query = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in query.items() if v is not None}
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _percent(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return number_format(round(100 * part / whole, 1), decimal_pos=1)


# The home page's age bands (home.selectors.AGE_BANDS) as the employee list's age filter names
# them (records.list_filters.AGE_BANDS): the same bounds, so a bar lists what it counts.
LIST_AGE_BANDS = {"under_30": "under30", "30_39": "30-39", "40_49": "40-49", "50_59": "50-59", "60_up": "60plus"}


def _month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _figures_context(user, figures: dict) -> dict:
    """The charts and the tables beside them, from the figures (numbers only, kept per user).
    Each figure links to the list filtered to what it counts: the employee list (within the
    scope's unit, records.list_filters) or the due list (duedates.selectors)."""
    units = figures["units"]
    scope_unit = figures.get("scope_unit")

    def people_url(**filters) -> str:
        return _list_url("records:employee-list", unit=filters.pop("unit", scope_unit), **filters)

    category_names = [(c.value, c.label) for c in CATEGORIES]
    unit_names = [_("%(name)s (tại đơn vị)") % {"name": u["name"]} if u["own"] else u["name"] for u in units]
    quota_rows = []
    for unit, name in zip(units, unit_names, strict=True):
        actual, approved = sum(unit["actual"].values()), sum(unit["approved"].values())
        quota_rows.append(
            {
                "name": name,
                # The top unit's own people (apart from its children) are no filter of the list.
                "people_url": None if unit["own"] else _list_url("records:employee-list", unit=unit["pk"]),
                "quota_url": _list_url("units:quota-report", parent=unit["pk"]),
                "actual": actual,
                "approved": approved,
                "percent": _percent(actual, approved),
                "over": approved and actual > approved,
            }
        )
    bands = [key for _age, key in selectors.AGE_BANDS]
    sexes = list(Employee.Sex)
    by_sex_band = figures["by_sex_band"]
    by_status = figures["by_status"]
    due = figures["due"]
    months = [m for m, _n in figures["retirements"]]
    today = figures["as_of"]
    due_links = can_view_due_items(user)

    def due_url(**filters) -> str:
        return _list_url("duedates:due-list", unit=scope_unit, **filters)

    def month_url(month: datetime.date) -> str | None:
        """The retirements of one month of the chart (the first from today, the last to the
        twelve months' end), as the chart counts them."""
        if not due_links:
            return None
        start, end = max(month, today), min(_month_end(month), due["retirements_until"])
        return due_url(kind=rules.RETIREMENT, due_from=start, due_to=end)

    return {
        "total": figures["total"],
        "total_url": people_url(),
        "computed_at": figures["computed_at"],
        "quota_rows": quota_rows,
        "status_rows": [
            {
                "label": label,
                "count": by_status.get(value, 0),
                "percent": _percent(by_status.get(value, 0), figures["total"]),
                "url": people_url(status=value),
            }
            for value, label in Employee.EmploymentStatus.choices
        ],
        "sex_rows": [
            {
                "label": sex.label,
                "count": sum(n for (s, _b), n in by_sex_band.items() if s == sex.value),
                "url": people_url(sex=sex.value),
            }
            for sex in sexes
        ],
        "due": due,
        "due_links": due_links,
        "retirements_url": due_url(kind=rules.RETIREMENT, due_from=today, due_to=due["retirements_until"]),
        "steps_soon_url": due_url(kind=SALARY_RAISES, due_from=today, due_to=due["soon_until"]),
        "steps_overdue_url": due_url(kind=SALARY_RAISES, overdue="on"),
        "cannot_compute_url": due_url(kind=rules.CANNOT_COMPUTE),
        "charts": [
            {
                "id": "units",
                "legend": [label for _value, label in category_names],
                "title": _("Số cán bộ theo đơn vị và loại"),
                "svg": charts.stacked_units(
                    _("Số cán bộ theo đơn vị và loại"),
                    unit_names,
                    [(label, [u["actual"][value] for u in units]) for value, label in category_names],
                    # A unit's part: its subtree's people of that category; the top unit's own
                    # people (apart from its children) are no filter of the list: no link.
                    [
                        [None if u["own"] else people_url(unit=u["pk"], status=value) for u in units]
                        for value, _label in category_names
                    ],
                ),
            },
            {
                "id": "quota",
                "legend": [_("Biên chế được giao"), _("Hiện có")],
                "title": _("Biên chế được giao và số hiện có"),
                "svg": charts.grouped_units(
                    _("Biên chế được giao và số hiện có"),
                    unit_names,
                    [
                        (_("Biên chế được giao"), [r["approved"] for r in quota_rows]),
                        (_("Hiện có"), [r["actual"] for r in quota_rows]),
                    ],
                ),
            },
            {
                "id": "status",
                "legend": [label for _value, label in category_names],
                "title": _("Cán bộ theo loại"),
                "svg": charts.parts(
                    _("Cán bộ theo loại"),
                    [(row_label, by_status.get(value, 0)) for value, row_label in category_names],
                    [people_url(status=value) for value, _label in category_names],
                ),
            },
            {
                "id": "age",
                "legend": [sex.label for sex in sexes],
                "title": _("Cán bộ theo giới tính và độ tuổi"),
                "svg": charts.stacked_columns(
                    _("Cán bộ theo giới tính và độ tuổi"),
                    [_age_band_label(b) for b in bands],
                    [(sex.label, [by_sex_band.get((sex.value, b), 0) for b in bands]) for sex in sexes],
                    [[people_url(sex=sex.value, age=LIST_AGE_BANDS[b]) for b in bands] for sex in sexes],
                ),
            },
            {
                "id": "retirements",
                "title": _("Nghỉ hưu trong 12 tháng tới, theo tháng"),
                "svg": charts.columns(
                    _("Nghỉ hưu trong 12 tháng tới, theo tháng"),
                    [m.strftime("%m/%Y") for m in months],
                    [n for _m, n in figures["retirements"]],
                    _("Nghỉ hưu"),
                    [month_url(m) for m in months],
                ),
            },
        ],
    }


def _links(request) -> list[tuple[str, str, str]]:
    """(icon, label, url) of the lists the user may open, each asked of its own rule."""
    user = request.user
    links = [("people", _("Danh sách cán bộ"), reverse("records:employee-list"))]
    if can_view_due_items(user):
        links.append(("event", _("Việc đến hạn"), reverse("duedates:due-list")))
    if can_view_quota_report(user):
        links.append(("account_tree", _("Báo cáo biên chế"), reverse("units:quota-report")))
    if can_use_workflow(user):
        links.append(("history", _("Các yêu cầu đã xử lý"), reverse("changerequest:archive")))
    if can_view_access_log(user):
        links.append(("visibility", _("Nhật ký truy cập hồ sơ"), reverse("records:access-log")))
    if can_manage_grants(user):
        links.append(("admin_panel_settings", _("Phân quyền theo đơn vị"), reverse("units:grant-list")))
    if can_view_policy(user):
        links.append(("rule", _("Chính sách phê duyệt"), reverse("policy:index")))
    if admin.site.has_permission(request):
        links.append(("settings", _("Quản trị hệ thống"), reverse("admin:index")))
    return links


@login_required
def home(request):
    user = request.user
    uses_workflow = can_use_workflow(user)
    context = {"links": _links(request), "figures": None}
    if uses_workflow:
        inbox = selectors.inbox_tasks(user=user)
        context["inbox"] = inbox
        context["inbox_rows"] = _task_rows(inbox.rows)
        latest, by_status = selectors.my_requests(user=user)
        context["my_requests"] = latest
        context["my_request_counts"] = (
            [
                {"status": value, "label": label, "count": by_status[value]}
                for value, label in latest[0].Status.choices
                if by_status.get(value)
            ]
            if latest
            else []
        )
    if may_approve_somewhere(user):
        queue = selectors.queue_tasks(user=user)
        context["queue"] = queue
        context["queue_rows"] = _task_rows(queue.rows)
    if not propose_scope(user).is_empty:
        due = selectors.due_work(user=user)
        for task in due.rows:
            task.late = task.deadline < timezone.localdate()
        context["due_work"] = due
    figures = selectors.workforce_figures(user=user)
    if figures is not None:
        context["figures"] = _figures_context(user, figures)
    context["has_work"] = any(k in context for k in ("inbox", "queue", "due_work"))
    return render(request, "home/home.html", context)
