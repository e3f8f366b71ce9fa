"""Starting a campaign (at once; its items made in chunks by a task, resumed after a failure),
confirming a record unchanged (one or a selection), linking a change request to the items of
its person, closing a campaign, and the late escalation sweep."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.models import Employee
from tracking.generations import Generational
from units.models import Unit
from workflows.escalation import Target, target_users
from workflows.models import ChangeRequest

from . import selectors, signals
from .models import OPEN_Q, Campaign, CampaignEscalation, CampaignItem
from .permissions import (
    can_close_campaign,
    can_confirm_in_bulk,
    can_retry_campaign,
    can_start_campaign,
    can_work_on_item,
    workable_items_q,
)

logger = logging.getLogger(__name__)

ITEM_BATCH = 5000
# The most items one "confirm the selected" may carry (a page of the list has 50).
BULK_CONFIRM_MAX = 200


def start_campaign(
    *, user, title: str, unit: Unit, include_subtree: bool, deadline: datetime.date, today=None
) -> Campaign:
    """Start a campaign on `unit` (and its subtree): the campaign is written at once, preparing,
    and its items are made by a task queued on commit (prepare_items); nothing is written when
    the input is refused."""
    today = today or timezone.localdate()
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Hãy nhập tên đợt rà soát.")
    if deadline is None or deadline < today:
        errors["deadline"] = _("Hạn hoàn thành không được trước hôm nay (%(today)s).") % {
            "today": today.strftime("%d/%m/%Y")
        }
    if unit is None or not can_start_campaign(user, unit):
        errors["unit"] = _(
            "Bạn không có quyền bắt đầu đợt rà soát ở đơn vị này: chỉ quản trị của đơn vị hoặc đơn vị cấp trên."
        )
    if errors:
        raise ValidationError(errors)
    campaign = Campaign(
        title=title.strip(),
        unit=unit,
        include_subtree=include_subtree,
        deadline=deadline,
        started_by=user,
        status=Campaign.Status.PREPARING,
    )
    campaign.full_clean()
    expected = _people(campaign).count()  # one COUNT on the index, not a row per person
    if not expected:
        raise ValidationError({"unit": _("Đơn vị đã chọn không có hồ sơ cán bộ nào để rà soát.")})
    campaign.items_expected = expected
    campaign._history_user = user
    with transaction.atomic():
        campaign.save()
        _queue_preparation(campaign)
    return campaign


def retry_campaign(*, user, campaign: Campaign) -> Campaign:
    """Make the rest of a campaign's items again after a failure or a lost task: the items made
    stay, the task goes on after the last of them."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update(of=("self",)).select_related("unit").get(pk=campaign.pk)
        if not can_retry_campaign(user, campaign):
            raise ValidationError(
                _("Không thể tạo lại danh sách hồ sơ của đợt này: đợt không bị lỗi hoặc bạn không có quyền.")
            )
        campaign.status = Campaign.Status.PREPARING
        campaign.error = ""
        campaign.progress_at = timezone.now()
        campaign._history_user = user
        campaign.save(update_fields=["status", "error", "progress_at"])
        _queue_preparation(campaign)
    return campaign


def _queue_preparation(campaign: Campaign) -> None:
    from .tasks import prepare_campaign  # the tasks call this module

    prepare_campaign.delay_on_commit(campaign.pk)


def _people(campaign: Campaign):
    return Employee.objects.filter(campaign.unit_q("managing_unit__"))


def prepare_items(campaign_id: int, *, chunk_size: int = ITEM_BATCH, stop_after: int | None = None) -> str:
    """Make a preparing campaign's items, one item per person it covers, a chunk at a time in
    person id order; each chunk commits with its count, so a task that dies leaves whole chunks
    and the next run goes on after the last person who has an item. Safe to run twice, and two
    runs at once: each chunk is made under the campaign's row lock, after the items already
    there (and the unique (campaign, person) constraint stands behind it). When no one is left,
    the campaign is ready and the officers holding items are told. Any error leaves it failed,
    with a Vietnamese message, for a retry. Returns the status it is left in.

    `stop_after` (chunks) stops early as a worker dying would, for the tests."""
    chunks = 0
    try:
        while True:
            if stop_after is not None and chunks >= stop_after:
                return Campaign.Status.PREPARING
            status = _prepare_chunk(campaign_id, chunk_size)
            if status != Campaign.Status.PREPARING:
                return status
            chunks += 1
    except Exception:
        logger.exception("Preparing campaign %s failed", campaign_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "Có lỗi khi tạo danh sách hồ sơ của đợt; các hồ sơ đã tạo được giữ nguyên. "
                "Quản trị đơn vị có thể bấm “Tạo tiếp danh sách” để tạo nốt."
            )
        Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.PREPARING).update(
            status=Campaign.Status.FAILED, error=message, progress_at=timezone.now()
        )
        return Campaign.Status.FAILED


def _prepare_chunk(campaign_id: int, chunk_size: int) -> str:
    """One chunk of items in its own transaction; the campaign made ready when none is left."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update(of=("self",)).select_related("unit").get(pk=campaign_id)
        if campaign.status != Campaign.Status.PREPARING:
            return campaign.status  # done by an earlier run, or failed and not retried
        last = campaign.items.aggregate(last=Max("employee_id"))["last"] or 0
        chunk = list(_people(campaign).filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk_size])
        now = timezone.now()
        if chunk:
            CampaignItem.objects.bulk_create([CampaignItem(campaign=campaign, employee_id=pk) for pk in chunk])
            Campaign.objects.filter(pk=campaign_id).update(item_count=F("item_count") + len(chunk), progress_at=now)
            return Campaign.Status.PREPARING
        count = campaign.items.count()
        campaign.item_count = count
        campaign.items_expected = count
        campaign.progress_at = now
        if not count:  # everyone left the units meanwhile
            with translation.override(settings.LANGUAGE_CODE):
                campaign.error = _("Đơn vị đã chọn không còn hồ sơ cán bộ nào để rà soát.")
            campaign.status = Campaign.Status.FAILED
        else:
            campaign.status = Campaign.Status.READY
        campaign.save(update_fields=["item_count", "items_expected", "progress_at", "status", "error"])
        if campaign.is_ready:
            signals.campaign_started.send(
                sender=Campaign, campaign=campaign, recipients=selectors.list_item_officers(campaign)
            )
        return campaign.status


def confirm_item(*, user, item: CampaignItem) -> CampaignItem:
    """The officer confirms the person's record unchanged; the item's history keeps who, when
    and (the item's) campaign. The record itself is not written."""
    with transaction.atomic():
        item = (
            CampaignItem.objects.select_for_update(of=("self",))
            .select_related("campaign__unit", "employee__managing_unit")
            .get(pk=item.pk)
        )
        if not can_work_on_item(user, item):
            raise ValidationError(_("Bạn không được xác nhận hồ sơ này trong đợt rà soát."))
        if item.confirmed_at is not None:
            raise ValidationError(_("Hồ sơ này đã được xác nhận không thay đổi."))
        item.confirmed_by = user
        item.confirmed_at = timezone.now()
        item._history_user = user
        item.save(update_fields=["confirmed_by", "confirmed_at"])
    return item


def confirm_items(*, user, campaign: Campaign, item_ids) -> dict:
    """The officer confirms several records of `campaign` unchanged in one transaction: one
    UPDATE and one history row per item (who, when, the item's campaign) written in one INSERT,
    whatever their number. Every selected item must be one the user may work on
    (workable_items_q), or nothing is written (PermissionDenied); those already confirmed are
    left as they are and counted. Returns {"confirmed": [items], "already": n}."""
    ids = sorted(set(item_ids))
    if not ids:
        raise ValidationError(_("Hãy chọn ít nhất một hồ sơ để xác nhận."))
    if len(ids) > BULK_CONFIRM_MAX:
        raise ValidationError(_("Mỗi lần chỉ xác nhận được tối đa %(n)s hồ sơ.") % {"n": BULK_CONFIRM_MAX})
    if not can_confirm_in_bulk(user, campaign):
        raise PermissionDenied(_("Bạn không được xác nhận hồ sơ của đợt rà soát này."))
    with transaction.atomic():
        items = list(
            CampaignItem.objects.filter(workable_items_q(user), campaign=campaign, pk__in=ids)
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if len(items) != len(ids):
            raise PermissionDenied(_("Có hồ sơ đã chọn mà bạn không được xác nhận trong đợt rà soát này."))
        todo = [item for item in items if item.confirmed_at is None]
        now = timezone.now()
        for item in todo:
            item.confirmed_by = user
            item.confirmed_at = now
        if todo:
            CampaignItem.objects.filter(pk__in=[item.pk for item in todo]).update(confirmed_by=user, confirmed_at=now)
            CampaignItem.history.bulk_history_create(
                todo, update=True, default_user=user, default_date=now, batch_size=BULK_CONFIRM_MAX
            )
    return {"confirmed": todo, "already": len(items) - len(todo)}


# Whether any campaign is running (not closed), asked by every submission; kept in the cache,
# renewed by any save or delete of a campaign (its start, its close, the admin's edits: wired in
# CampaignsConfig.ready) and after every migration.
_running = Generational("campaigns-running", ttl=3600)


def renew_running(*args, **kwargs) -> None:
    _running.renew([""])


def any_campaign_running() -> bool:
    return _running.get("", lambda: Campaign.objects.filter(closed_at__isnull=True).exists())


def link_change_request(change_request: ChangeRequest) -> int:
    """A change request about a person was submitted: the person's open items in running
    campaigns now carry it (the item is done while it is submitted, approved or applied).
    Idempotent: items already carrying a request on its way are left alone."""
    if change_request.employee_id is None or not any_campaign_running():
        return 0
    items = list(
        CampaignItem.objects.filter(OPEN_Q, employee_id=change_request.employee_id, campaign__closed_at__isnull=True)
        .exclude(linked_request=change_request)
        .select_for_update(of=("self",))
    )
    for item in items:
        item.linked_request = change_request
        item._history_user = change_request.submitted_by
        item.save(update_fields=["linked_request"])
    return len(items)


def close_campaign(*, user, campaign: Campaign) -> Campaign:
    """End a campaign: its open items stay as they are, reminders and escalation stop."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update(of=("self",)).select_related("unit").get(pk=campaign.pk)
        if not can_close_campaign(user, campaign):
            raise ValidationError(_("Bạn không được kết thúc đợt rà soát này, hoặc đợt đã kết thúc."))
        campaign.closed_at = timezone.now()
        campaign.closed_by = user
        campaign._history_user = user
        campaign.save(update_fields=["closed_at", "closed_by"])
    return campaign


def escalate_late_campaigns(*, now=None) -> list[CampaignEscalation]:
    """After a running campaign's deadline, tell the leader of each unit that still has open
    items (the leader as workflows.escalation derives it), once per campaign and unit."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = []
    running = Campaign.objects.filter(closed_at__isnull=True, status=Campaign.Status.READY, deadline__lt=today)
    for campaign in running.select_related("unit"):
        done = set(campaign.escalations.values_list("unit_id", flat=True))
        late = selectors.open_items_by_unit(campaign)
        units = Unit.objects.in_bulk([pk for pk in late if pk not in done])
        for unit_id in sorted(units):
            escalation = _escalate(campaign, units[unit_id], late[unit_id], now=now)
            if escalation is not None:
                created.append(escalation)
    return created


def _escalate(campaign, unit, open_items, *, now) -> CampaignEscalation | None:
    leaders = target_users(Target.LEADER, unit)
    try:
        with transaction.atomic():
            escalation = CampaignEscalation.objects.create(campaign=campaign, unit=unit, open_items=open_items, at=now)
            escalation.escalated_to.set(leaders)
            signals.campaign_late.send(sender=Campaign, campaign=campaign, escalation=escalation, recipients=leaders)
    except IntegrityError:
        return None  # another sweep recorded it first
    return escalation
