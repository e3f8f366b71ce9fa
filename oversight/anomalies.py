"""Anomalies for inspectors: six signals, each a filtered list of reads, exports, changes or
grants, about the units the inspector may see (records.permissions.anomaly_scope).

Every list is walked newest first through an index on its time column (the indexes are named
in the models: readalert_triggered_idx, exportlog_rows_at_idx, cr_timeline_idx,
cr_employee_submitter_idx, grant_revoked_idx), a page at a time by keyset
(tracking.keyset), and counted up to a cap (count_up_to): one query for a page, one for a count,
whatever the size of the tables."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.names import display_name
from records.models import AccessLog, EmployeeAccount, ExportLog, ReadAlert
from records.permissions import anomalies_q, anomaly_actors_q, anomaly_scope
from tracking.keyset import count_up_to
from units.models import RoleGrant
from workdays.calendar import national_exceptions, working_calendar
from workflows.models import ApprovalDecision, ChangeRequest
from workflows.policy import Category, categories_q

CALENDAR_YEARS = 10  # days off are looked up this many years back (weekends and hours always)


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Signal:
    """One signal: its page's slug, title and column heads; `rows(user)` is its list (ordered
    by an indexed time column, newest first), `cells(row)` one row as shown."""

    slug: str
    title: str
    columns: tuple
    rows: object
    cells: object
    explain: object  # () -> the sentence saying what is listed, with the settings in force
    prepare: object = None  # (rows) -> None: reads what a page's rows need, in one query


# --- shown values ----------------------------------------------------------------------------------


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else "—"


def _person(user) -> str:
    return f"{display_name(user)} ({user.get_username()})" if user is not None else "—"


def _request_cell(change_request) -> Cell:
    text = _("#%(pk)s %(title)s") % {"pk": change_request.pk, "title": change_request.title}
    url = ""
    if change_request.process_id:
        try:
            url = reverse("changerequest:process_detail", args=[change_request.process_id])
        except NoReverseMatch:
            url = ""
    return Cell(text, url)


def _employee_cell(employee) -> Cell:
    if employee is None:
        return Cell("—")
    return Cell(employee.full_name, reverse("records:employee-detail", args=[employee.pk]))


# --- 1. reads above the hourly threshold -----------------------------------------------------------


def read_alert_rows(user) -> QuerySet:
    """Read alerts (records.ReadAlert) of accounts holding a grant in the scope, or that read a
    file of the scope in the alert's hour."""
    alerts = ReadAlert.objects.select_related("user").order_by("-triggered_at", "-pk")
    scope = anomaly_scope(user)
    if scope.everything:
        return alerts
    reads_here = AccessLog.objects.filter(
        anomalies_q(user, "employee__managing_unit__"),
        user_id=OuterRef("user_id"),
        at__gte=OuterRef("hour"),
        at__lt=OuterRef("hour") + datetime.timedelta(hours=1),
    )
    return alerts.filter(anomaly_actors_q(user) | Q(Exists(reads_here)))


def access_log_url(alert) -> str:
    """The access log filtered to the reader and the day of the alert."""
    day = timezone.localtime(alert.hour).strftime("%d/%m/%Y")
    query = urlencode({"user": alert.user.get_username(), "date_from": day, "date_to": day})
    return f"{reverse('records:access-log')}?{query}"


def read_alert_cells(alert) -> list:
    return [
        Cell(_when(alert.triggered_at)),
        Cell(_person(alert.user)),
        Cell(formats.number_format(alert.read_count, force_grouping=True)),
        Cell(formats.number_format(alert.threshold, force_grouping=True)),
        Cell(_("Xem nhật ký truy cập"), access_log_url(alert)),
    ]


# --- 2. exports of many records --------------------------------------------------------------------


def big_export_rows(user) -> QuerySet:
    """Exports of at least ANOMALY_EXPORT_ROWS rows of people (the quota report has none), by
    accounts holding a grant in the scope."""
    return (
        ExportLog.objects.filter(row_count__gte=settings.ANOMALY_EXPORT_ROWS)
        .exclude(kind=ExportLog.Kind.QUOTA_REPORT)
        .filter(anomaly_actors_q(user))
        .select_related("user")
        .order_by("-at", "-pk")
    )


def big_export_cells(export) -> list:
    return [
        Cell(_when(export.at)),
        Cell(_person(export.user)),
        Cell(export.get_kind_display()),
        Cell(export.description),
        Cell(formats.number_format(export.row_count, force_grouping=True)),
    ]


# --- 3. changes outside working hours ---------------------------------------------------------------


def calendar_exceptions(today=None) -> tuple[list, list]:
    """(weekdays off, weekend days worked) of the working-day calendar (workdays.calendar: the
    national holidays and the declared days), over the last CALENDAR_YEARS years and the next."""
    today = today or timezone.localdate()
    calendar = working_calendar()
    candidates = set(calendar.declared)
    for year in range(today.year - CALENDAR_YEARS, today.year + 2):
        off, worked = national_exceptions(year)
        candidates |= off | worked
    off_weekdays, worked_weekends = [], []
    for day in sorted(candidates):
        working = calendar.is_working_day(day)
        if day.weekday() < 5 and not working:
            off_weekdays.append(day)
        elif day.weekday() >= 5 and working:
            worked_weekends.append(day)
    return off_weekdays, worked_weekends


def off_hours_q(field: str, exceptions) -> Q:
    """`field` (a time) falls outside WORK_HOURS_START–WORK_HOURS_END, local time, or on a day
    off (a weekend not worked, a holiday, a declared day off). Null matches nothing."""
    off_weekdays, worked_weekends = exceptions
    outside = Q(**{f"{field}__hour__lt": settings.WORK_HOURS_START})
    if settings.WORK_HOURS_END < 24:
        outside |= Q(**{f"{field}__hour__gte": settings.WORK_HOURS_END})
    weekend = Q(**{f"{field}__iso_week_day__gte": 6})
    if worked_weekends:
        weekend &= ~Q(**{f"{field}__date__in": worked_weekends})
    outside |= weekend
    if off_weekdays:
        outside |= Q(**{f"{field}__date__in": off_weekdays})
    return outside


def after_hours_rows(user) -> QuerySet:
    """Requests about the scope's data submitted, decided (at any level) or applied outside
    working hours."""
    exceptions = calendar_exceptions()
    decided_off = ApprovalDecision.objects.filter(off_hours_q("decided_at", exceptions), change_request=OuterRef("pk"))
    return (
        ChangeRequest.objects.filter(anomalies_q(user, "unit__"))
        .filter(
            off_hours_q("submitted_at", exceptions)
            | off_hours_q("decided_at", exceptions)
            | off_hours_q("applied_at", exceptions)
            | Q(Exists(decided_off))
        )
        .select_related("unit", "submitted_by", "decided_by")
        .order_by("-submitted_at", "-pk")
    )


def after_hours_cells(change_request) -> list:
    return [
        _request_cell(change_request),
        Cell(str(change_request.unit)),
        Cell(f"{_when(change_request.submitted_at)} · {_person(change_request.submitted_by)}"),
        Cell(f"{_when(change_request.decided_at)} · {_person(change_request.decided_by)}"),
        Cell(_when(change_request.applied_at)),
        Cell(change_request.get_status_display()),
    ]


# --- 4. changes to one's own file ---------------------------------------------------------------------


def own_file_rows(user) -> QuerySet:
    """Requests about a person's file proposed, or decided at some level (also on their behalf),
    by the account linked to that person (records.EmployeeAccount). The linked persons are read
    first (one query), so the requests are found through the employee index, not by walking
    every request."""
    linked = list(EmployeeAccount.objects.order_by("employee_id").values_list("employee_id", flat=True))
    decisions = ApprovalDecision.objects.filter(change_request_id=OuterRef(OuterRef("pk")))
    by_self = EmployeeAccount.objects.filter(employee_id=OuterRef("employee_id")).filter(
        Q(user_id=OuterRef("submitted_by_id"))
        | Q(user_id__in=decisions.values("decided_by_id"))
        | Q(user_id__in=decisions.filter(acting_for__isnull=False).values("acting_for_id"))
    )
    return (
        ChangeRequest.objects.filter(employee_id__in=linked)
        .filter(Exists(by_self), anomalies_q(user, "unit__"))
        .select_related("unit", "employee", "submitted_by", "decided_by")
        .order_by("-submitted_at", "-pk")
    )


def own_file_cells(change_request) -> list:
    return [
        _request_cell(change_request),
        _employee_cell(change_request.employee),
        Cell(f"{_when(change_request.submitted_at)} · {_person(change_request.submitted_by)}"),
        Cell(f"{_when(change_request.decided_at)} · {_person(change_request.decided_by)}"),
        Cell(change_request.get_status_display()),
    ]


# --- 5. quick approvals in sensitive categories ----------------------------------------------------


def decision_delay():
    """decided_at − submitted_at, written exactly as the index cr_decision_delay_idx has it."""
    return ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())


def quick_approval_rows(user) -> QuerySet:
    """Requests touching ANOMALY_SENSITIVE_CATEGORIES approved (the last level's approval, which
    is the request's decision) within ANOMALY_QUICK_APPROVAL_MINUTES of their (last) submission.
    On PostgreSQL the delay is a range of the expression index cr_decision_delay_idx (workflows
    migration 0017): the few quick requests are found without walking the others."""
    within = datetime.timedelta(minutes=settings.ANOMALY_QUICK_APPROVAL_MINUTES)
    return (
        ChangeRequest.objects.annotate(decision_delay=decision_delay())
        .filter(
            decision_delay__gte=datetime.timedelta(0),
            decision_delay__lt=within,
            status__in=[ChangeRequest.Status.APPROVED, ChangeRequest.Status.APPLIED],
        )
        .filter(categories_q(settings.ANOMALY_SENSITIVE_CATEGORIES), anomalies_q(user, "unit__"))
        .select_related("unit", "decided_by", "decided_for")
        .order_by("-submitted_at", "-pk")
    )


def quick_approval_cells(change_request) -> list:
    waited = change_request.decided_at - change_request.submitted_at
    minutes = int(waited.total_seconds() // 60)
    acting = ""
    if change_request.decided_for_id:
        acting = _(" (thay cho %(who)s)") % {"who": _person(change_request.decided_for)}
    return [
        _request_cell(change_request),
        Cell(str(change_request.unit)),
        Cell(_when(change_request.submitted_at)),
        Cell(f"{_when(change_request.decided_at)} · {_person(change_request.decided_by)}{acting}"),
        Cell(_("%(n)s phút") % {"n": minutes}),
    ]


# --- 6. grants given and revoked within a short time ----------------------------------------------


def short_grant_rows(user) -> QuerySet:
    """Grants on the scope's units revoked within ANOMALY_SHORT_GRANT_HOURS of being given."""
    within = datetime.timedelta(hours=settings.ANOMALY_SHORT_GRANT_HOURS)
    return (
        RoleGrant.objects.filter(revoked_at__isnull=False, revoked_at__lt=F("created_at") + within)
        .filter(anomalies_q(user, "unit__"))
        .select_related("user", "unit", "granted_by")
        .order_by("-revoked_at", "-pk")
    )


def prepare_short_grants(grants) -> None:
    """Who revoked each grant: the author of the first history row that has it revoked (one
    query for the page)."""
    History = RoleGrant.history.model
    revocations = (
        History.objects.filter(id__in=[grant.pk for grant in grants], revoked_at__isnull=False)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    revokers = {}
    for row in revocations:
        revokers.setdefault(row.id, row.history_user)
    for grant in grants:
        grant.revoked_by = revokers.get(grant.pk)


def short_grant_cells(grant) -> list:
    return [
        Cell(_person(grant.user)),
        Cell(grant.get_role_display()),
        Cell(str(grant.unit)),
        Cell(f"{_when(grant.created_at)} · {_person(grant.granted_by)}"),
        Cell(f"{_when(grant.revoked_at)} · {_person(getattr(grant, 'revoked_by', None))}"),
    ]


# --- the signals ---------------------------------------------------------------------------------------


def _explain_reads():
    return _("Tài khoản đọc quá %(n)s hồ sơ trong một giờ (đã gửi cảnh báo cho quản trị đơn vị).") % {
        "n": settings.READ_ALERT_PER_HOUR
    }


def _explain_exports():
    return _("Mỗi lần xuất từ %(n)s dòng hồ sơ trở lên.") % {"n": settings.ANOMALY_EXPORT_ROWS}


def _explain_after_hours():
    return _(
        "Yêu cầu được gửi, phê duyệt hoặc cập nhật trước %(start)s giờ, từ %(end)s giờ trở đi, "
        "hoặc vào ngày nghỉ theo lịch làm việc."
    ) % {"start": settings.WORK_HOURS_START, "end": settings.WORK_HOURS_END}


def _explain_own_file():
    return _("Yêu cầu thay đổi hồ sơ của một người do chính người đó đề xuất hoặc phê duyệt.")


def _explain_quick_approvals():
    labels = ", ".join(
        str(Category(value).label) for value in settings.ANOMALY_SENSITIVE_CATEGORIES if value in Category.values
    )
    return _("Phê duyệt trong vòng %(n)s phút sau khi gửi, với yêu cầu về: %(categories)s.") % {
        "n": settings.ANOMALY_QUICK_APPROVAL_MINUTES,
        "categories": labels,
    }


def _explain_short_grants():
    return _("Quyền được cấp rồi thu hồi trong vòng %(n)s giờ.") % {"n": settings.ANOMALY_SHORT_GRANT_HOURS}


SIGNALS = {
    signal.slug: signal
    for signal in (
        Signal(
            "reads",
            gettext_lazy("Đọc hồ sơ vượt ngưỡng trong một giờ"),
            (
                gettext_lazy("Thời điểm vượt ngưỡng"),
                gettext_lazy("Người đọc"),
                gettext_lazy("Số hồ sơ trong 1 giờ"),
                gettext_lazy("Ngưỡng"),
                gettext_lazy("Nhật ký"),
            ),
            read_alert_rows,
            read_alert_cells,
            _explain_reads,
        ),
        Signal(
            "exports",
            gettext_lazy("Xuất dữ liệu nhiều hồ sơ"),
            (
                gettext_lazy("Thời điểm"),
                gettext_lazy("Người xuất"),
                gettext_lazy("Loại"),
                gettext_lazy("Nội dung"),
                gettext_lazy("Số dòng"),
            ),
            big_export_rows,
            big_export_cells,
            _explain_exports,
        ),
        Signal(
            "after-hours",
            gettext_lazy("Thay đổi ngoài giờ làm việc"),
            (
                gettext_lazy("Yêu cầu"),
                gettext_lazy("Đơn vị"),
                gettext_lazy("Gửi"),
                gettext_lazy("Quyết định"),
                gettext_lazy("Cập nhật"),
                gettext_lazy("Trạng thái"),
            ),
            after_hours_rows,
            after_hours_cells,
            _explain_after_hours,
        ),
        Signal(
            "own-file",
            gettext_lazy("Tự thay đổi hồ sơ của chính mình"),
            (
                gettext_lazy("Yêu cầu"),
                gettext_lazy("Hồ sơ của"),
                gettext_lazy("Gửi"),
                gettext_lazy("Quyết định"),
                gettext_lazy("Trạng thái"),
            ),
            own_file_rows,
            own_file_cells,
            _explain_own_file,
        ),
        Signal(
            "quick-approvals",
            gettext_lazy("Phê duyệt nhanh bất thường"),
            (
                gettext_lazy("Yêu cầu"),
                gettext_lazy("Đơn vị"),
                gettext_lazy("Gửi"),
                gettext_lazy("Phê duyệt"),
                gettext_lazy("Sau"),
            ),
            quick_approval_rows,
            quick_approval_cells,
            _explain_quick_approvals,
        ),
        Signal(
            "short-grants",
            gettext_lazy("Quyền cấp rồi thu hồi ngay"),
            (
                gettext_lazy("Người được cấp"),
                gettext_lazy("Vai trò"),
                gettext_lazy("Đơn vị"),
                gettext_lazy("Cấp lúc, người cấp"),
                gettext_lazy("Thu hồi lúc, người thu hồi"),
            ),
            short_grant_rows,
            short_grant_cells,
            _explain_short_grants,
            prepare_short_grants,
        ),
    )
}


@dataclass(frozen=True)
class Summary:
    signal: Signal
    count: int
    more: bool


def summarise(user) -> list[Summary]:
    """Each signal with its count, capped at tracking.keyset.COUNT_CAP (one bounded query per signal, and the
    linked persons read once for the own-file signal)."""
    return [Summary(signal, *count_up_to(signal.rows(user))) for signal in SIGNALS.values()]


def count_label(count: int, more: bool) -> str:
    shown = formats.number_format(count, force_grouping=True)
    return _("hơn %(n)s") % {"n": shown} if more else shown
