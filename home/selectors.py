"""What a user's home page reads: the work waiting for them (their inbox, the approvals they may
take, the due work of their units), the requests they submitted, and for those who oversee a
scope (records.permissions.figures_scope) its figures, each grouped in SQL over indexed
columns. Every read is a fixed number of queries whatever the data; the figures, aggregates over
up to the whole ministry, are kept per user and scope for a few minutes."""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.utils import timezone

from duedates import rules
from duedates.models import DueItem
from duedates.permissions import visible_due_items_q
from records.models import Employee
from records.permissions import FIGURE_ROLES, figures_q, figures_scope
from reports.quota import CATEGORIES, quota_level
from tracking.keyset import count_up_to
from units.models import Unit
from units.scope import granted_paths
from units.selectors import list_child_units
from workflows.due_work import list_due_tasks
from workflows.flows import ChangeRequestFlow
from workflows.list_pages import open_approval_tasks, queue_count, queue_page, queue_requests, queue_units
from workflows.models import ChangeRequestTask
from workflows.selectors import list_change_requests

ROWS_SHOWN = 8  # rows of each work list on the page; the full lists are one link away
COUNT_CAP = 99  # "99+": the figures beside the lists are counted up to a cap, never exactly
FIGURES_SECONDS = 300  # how long a user's figures are kept (the aggregates are over their scope)
UNITS_SHOWN = 10  # units in the headcount and quota charts: the largest of the scope's top level
UNITS_READ = 200  # children of the top unit read to pick the largest (one GROUP BY whatever the number)
TOPS_READ = 10  # a user with grants on several separate subtrees: their first tops, as units
DUE_SOON_DAYS = 90
RETIREMENT_MONTHS = 12

# Age bands (the lower age of each, and its key); computed in SQL from the birth date.
AGE_BANDS = ((0, "under_30"), (30, "30_39"), (40, "40_49"), (50, "50_59"), (60, "60_up"))


@dataclass
class WorkList:
    rows: list
    count: int
    more: bool  # more than `count` (the cap)


def _capped(queryset, shown: int = ROWS_SHOWN) -> WorkList:
    count, more = count_up_to(queryset, COUNT_CAP)
    return WorkList(rows=list(queryset[:shown]) if count else [], count=count, more=more)


# --- what waits for me ---------------------------------------------------------------------------


def _task_rows(queryset):
    return queryset.select_related("process__change_request__unit", "process__change_request__pending_unit").order_by(
        "created", "pk"
    )


def inbox_tasks(*, user) -> WorkList:
    """The tasks assigned to the user (the inbox's query), oldest first."""
    tasks = ChangeRequestTask._default_manager.inbox([ChangeRequestFlow], user)
    return _capped(_task_rows(tasks))


def queue_tasks(*, user) -> WorkList:
    """The approvals the user may take (the queue's own queries: workflows.list_pages), the
    longest waiting first."""
    flow = ChangeRequestFlow
    by_unit = queue_units(user)  # the approval units and their filters, once for the rows and the count
    page = queue_page(queue_requests(user, flow, by_unit), QueryDict(), per_page=ROWS_SHOWN, order="waiting_since")
    rows = open_approval_tasks(_task_rows(ChangeRequestTask._default_manager.all()), flow, page.rows)
    count, more = count_up_to(queue_count(user, flow, by_unit).queryset, COUNT_CAP)
    return WorkList(rows=rows, count=count, more=more)


def due_work(*, user) -> WorkList:
    """The due work of the units the user proposes for (workflows.due_work), soonest first."""
    return _capped(list_due_tasks(user=user))


# --- what I submitted ----------------------------------------------------------------------------


def my_requests(*, user) -> tuple[list, dict]:
    """The user's latest requests (with where each stands) and how many of theirs are in each
    status: two queries, the second grouped over the user's own rows (indexed by submitter)."""
    mine = list_change_requests(user=user).filter(submitted_by=user)
    latest = list(mine.select_related("pending_unit").order_by("-submitted_at", "-pk")[:ROWS_SHOWN])
    if not latest:
        return [], {}
    by_status = dict(mine.order_by().values_list("status").annotate(n=Count("pk")))
    return latest, by_status


# --- the figures of a scope ----------------------------------------------------------------------


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(today: datetime.date):
    """A CASE giving the age band of each person from their birth date (oldest band first)."""
    whens = [
        When(date_of_birth__lte=_years_before(today, age), then=Value(key)) for age, key in reversed(AGE_BANDS) if age
    ]
    return Case(*whens, default=Value(AGE_BANDS[0][1]), output_field=CharField())


def _top_units(user) -> list[Unit]:
    paths = granted_paths(user, FIGURE_ROLES)
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return list(Unit.objects.filter(path__in=tops).order_by("path")[:TOPS_READ])


def _unit_rows(user, today: datetime.date, tops: list[Unit]) -> list[dict]:
    """Headcount and quota by unit: the top unit's children (its own people as one more row),
    or, for a user with several separate subtrees, each of their tops; largest first."""
    rows = []
    if len(tops) == 1:
        top = tops[0]
        children = list(list_child_units(user=user, parent=top)[:UNITS_READ])
        total, levels = quota_level(user=user, parent=top, children=children, year=today.year)
        if children:
            rows.append((top, total.own, True))
        rows += [(level.unit, level.subtree, False) for level in levels]
        if not children:
            rows.append((top, total.subtree, False))
    else:
        for top in tops:
            total, _levels = quota_level(user=user, parent=top, children=[], year=today.year)
            rows.append((top, total.subtree, False))
    result = [
        {
            "pk": unit.pk,
            "name": unit.name,
            "own": own,  # the top unit's own people, apart from its children's subtrees
            "actual": {c.value: figures[c.value]["actual"] for c in CATEGORIES},
            "approved": {c.value: figures[c.value]["approved"] for c in CATEGORIES},
        }
        for unit, figures, own in rows
    ]
    result.sort(key=lambda r: -sum(r["actual"].values()))
    return result[:UNITS_SHOWN]


def _people_figures(user, today: datetime.date) -> tuple[int, dict, dict]:
    """Headcount by status and by sex and age band: one GROUP BY over the scope's people."""
    rows = (
        Employee.objects.filter(figures_q(user))
        .annotate(band=_age_band(today))
        .order_by()
        .values_list("employment_status", "sex", "band")
        .annotate(n=Count("pk"))
    )
    total, by_status, by_sex_band = 0, {}, {}
    for status, sex, band, n in rows:
        total += n
        by_status[status] = by_status.get(status, 0) + n
        by_sex_band[(sex, band)] = by_sex_band.get((sex, band), 0) + n
    return total, by_status, by_sex_band


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _due_figures(user, today: datetime.date) -> tuple[dict, list]:
    """Due counts (one query with a filtered count each) and retirements by month for the next
    twelve months (one GROUP BY), over the scope's due items (indexed by kind and due date)."""
    items = DueItem.objects.filter(visible_due_items_q(user), figures_q(user, "employee__"))
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    retirement_end = _years_before(today, -1) - datetime.timedelta(days=1)  # the next twelve months
    steps = (rules.SALARY_STEP, rules.BEYOND_LAST_STEP)
    counts = items.aggregate(
        retirements=Count("pk", filter=Q(kind=rules.RETIREMENT, due_date__gte=today, due_date__lte=retirement_end)),
        steps_overdue=Count("pk", filter=Q(kind__in=steps, due_date__lt=today)),
        steps_soon=Count("pk", filter=Q(kind__in=steps, due_date__gte=today, due_date__lte=soon)),
        cannot_compute=Count("pk", filter=Q(kind=rules.CANNOT_COMPUTE)),
    )
    by_month = dict(
        items.filter(kind=rules.RETIREMENT, due_date__gte=today, due_date__lte=retirement_end)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    by_month = {(m.year, m.month): n for m, n in by_month.items()}
    months = [_add_months(today, k) for k in range(RETIREMENT_MONTHS + (today.day > 1))]
    counts.update(soon_until=soon, retirements_until=retirement_end)
    return counts, [(m, by_month.get((m.year, m.month), 0)) for m in months]


def _figures_key(user, today) -> str:
    scope = figures_scope(user)
    digest = hashlib.sha256(repr((scope.subtrees, sorted(scope.unit_ids))).encode()).hexdigest()[:16]
    return f"home-figures:v2:{user.pk}:{digest}:{today.isoformat()}"


def workforce_figures(*, user) -> dict | None:
    """The figures of the user's scope (None when they oversee none): a fixed number of
    queries, kept for FIGURES_SECONDS under the user and their scope (a new grant is a new key)."""
    if figures_scope(user).is_empty:
        return None
    today = timezone.localdate()
    key = _figures_key(user, today)
    figures = cache.get(key)
    if figures is None:
        total, by_status, by_sex_band = _people_figures(user, today)
        due, retirements = _due_figures(user, today)
        tops = _top_units(user)
        figures = {
            # The one unit whose subtree is the scope (None for several separate subtrees): the
            # lists the figures link to are filtered by it, so they list what the figures count.
            "scope_unit": tops[0].pk if len(tops) == 1 else None,
            "as_of": today,
            "computed_at": timezone.now(),
            "total": total,
            "by_status": by_status,
            "by_sex_band": by_sex_band,
            "units": _unit_rows(user, today, tops),
            "due": due,
            "retirements": retirements,
        }
        cache.set(key, figures, FIGURES_SECONDS)
    return figures
