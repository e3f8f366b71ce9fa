"""Reads over campaigns: the officers' open items, who holds them, progress per unit (grouped in
SQL, rolled up over the tree), and what the daily digest and the late sweep count."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from units.models import Role, RoleGrant, Unit

from .models import DONE_Q, OPEN_Q, Campaign, CampaignItem
from .permissions import progress_scope, visible_campaigns_q, workable_items_q

UNIT = "employee__managing_unit"


def list_campaigns(*, user) -> QuerySet:
    """The campaigns `user` may see, newest first (keyset by started_at, id)."""
    return Campaign.objects.filter(visible_campaigns_q(user)).select_related("unit", "started_by")


def list_open_items(*, user, campaign=None) -> QuerySet:
    """The items `user` should act on (campaigns running, whoever may propose changes for the
    person), by deadline then person in Vietnamese order; everything a row shows is joined."""
    items = CampaignItem.objects.filter(OPEN_Q, workable_items_q(user))
    if campaign is not None:
        items = items.filter(campaign=campaign)
    return items.select_related("campaign", "employee__managing_unit", "linked_request").order_by(
        "campaign__deadline", "campaign_id", "employee__sort_key", "pk"
    )


def list_item_officers(campaign: Campaign) -> list:
    """Everyone who holds items of `campaign`: the officers of the units managing its people
    (the holders of units.permissions.propose_scope, asked from the units' side)."""
    units = campaign.items.order_by().values("employee__managing_unit_id").distinct()
    officers = RoleGrant.objects.active().filter(role=Role.OFFICER, unit_id__in=units).values("user_id")
    return list(get_user_model().objects.filter(pk__in=officers, is_active=True).order_by("pk"))


def open_items_by_unit(campaign: Campaign) -> dict[int, int]:
    """{managing unit id: open items} of one campaign, in one GROUP BY."""
    rows = (
        CampaignItem.objects.filter(OPEN_Q, campaign=campaign)
        .values_list(f"{UNIT}_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def open_items_by_officer() -> dict[int, list[list[int]]]:
    """{officer id: [[campaign id, open items], …]} over running, ready campaigns: what each officer's
    daily digest counts. Two queries: open items by (campaign, managing unit), then the officer
    grants on those units."""
    by_unit: dict[int, dict[int, int]] = {}
    rows = (
        CampaignItem.objects.filter(OPEN_Q, campaign__closed_at__isnull=True, campaign__status=Campaign.Status.READY)
        .values_list("campaign_id", f"{UNIT}_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for campaign_id, unit_id, n in rows:
        by_unit.setdefault(unit_id, {})[campaign_id] = n
    if not by_unit:
        return {}
    grants = (
        RoleGrant.objects.active()
        .filter(role=Role.OFFICER, unit_id__in=list(by_unit), user__is_active=True)
        .values_list("user_id", "unit_id")
    )
    by_officer: dict[int, dict[int, int]] = {}
    for user_id, unit_id in grants:
        counts = by_officer.setdefault(user_id, {})
        for campaign_id, n in by_unit[unit_id].items():
            counts[campaign_id] = counts.get(campaign_id, 0) + n
    return {user_id: sorted([c, n] for c, n in counts.items()) for user_id, counts in by_officer.items()}


def list_child_units(*, user, parent: Unit) -> QuerySet:
    """The children of `parent` whose progress `user` reads, in tree order (paged by path)."""
    return Unit.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).filter(progress_scope(user).q())


def list_ancestors(*, user, campaign, unit: Unit) -> QuerySet:
    """The units between the campaign's unit and `unit` (excluded) that `user` reads."""
    paths = [unit.path[:end] for end in range(len(campaign.unit.path), len(unit.path), Unit.steplen)]
    return Unit.objects.filter(path__in=paths).filter(progress_scope(user).q()).order_by("path")


def describe_campaigns(ids) -> dict[int, Campaign]:
    """The campaigns a digest names, by id."""
    return Campaign.objects.select_related("unit").in_bulk(list(ids))


# --- progress per unit --------------------------------------------------------------------------


@dataclass
class Progress:
    unit: Unit
    depth: int
    total: int = 0
    done: int = 0
    late: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _items_in(campaign, user):
    """The campaign's items under units `user` may see."""
    return CampaignItem.objects.filter(campaign=campaign).filter(progress_scope(user).q(f"{UNIT}__"))


def _counts(queryset):
    return queryset.annotate(total=Count("pk"), done=Count("pk", filter=DONE_Q)).order_by()


def _add(row: Progress, total: int, done: int, late: bool) -> None:
    row.total += total
    row.done += done
    row.late += (total - done) if late else 0


def progress_level(*, user, campaign, parent: Unit, children: list[Unit], today=None) -> tuple:
    """(`parent`'s whole subtree, `parent`'s own people, [each of `children`'s subtree]), in one
    GROUP BY on the managing unit's path cut one level below `parent`, whatever the number of
    people; only units `user` may see count."""
    late = (today or timezone.localdate()) > campaign.deadline
    cut = len(parent.path) + Unit.steplen
    rows = _counts(
        _items_in(campaign, user)
        .filter(**{f"{UNIT}__path__startswith": parent.path})
        .annotate(prefix=Substr(f"{UNIT}__path", 1, cut))
        .values_list("prefix")
    )
    total = Progress(unit=parent, depth=0)
    own = Progress(unit=parent, depth=0)
    shown = {child.path: Progress(unit=child, depth=1) for child in children}
    for prefix, n, done in rows:
        _add(total, n, done, late)
        if prefix == parent.path:
            _add(own, n, done, late)
        elif prefix in shown:
            _add(shown[prefix], n, done, late)
    return total, own, list(shown.values())


def progress_report(*, user, campaign, today=None) -> list[tuple[Progress, Progress]]:
    """Every unit of the campaign that `user` may see, in tree order, as (its own people, its
    subtree rolled up): one GROUP BY by managing unit, rolled up over the tree in Python (the
    rows are bounded by the number of units, not of people)."""
    late = (today or timezone.localdate()) > campaign.deadline
    root = campaign.unit
    units = list(Unit.objects.filter(campaign.unit_q()).filter(progress_scope(user).q()).order_by("path"))
    own = {u.path: Progress(unit=u, depth=u.depth - root.depth) for u in units}
    rolled = {u.path: Progress(unit=u, depth=u.depth - root.depth) for u in units}
    counts = _counts(_items_in(campaign, user).values_list(f"{UNIT}__path"))
    for path, n, done in counts:
        if path in own:
            _add(own[path], n, done, late)
        for end in range(len(root.path), len(path) + 1, Unit.steplen):
            if path[:end] in rolled:
                _add(rolled[path[:end]], n, done, late)
    return [(own[u.path], rolled[u.path]) for u in units]
