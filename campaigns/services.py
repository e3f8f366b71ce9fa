"""Starting a campaign (its items in bulk), confirming a record unchanged, linking a change
request to the items of its person, closing a campaign, and the late escalation sweep."""

import datetime
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import Employee
from units.models import Unit
from workflows.escalation import Target, target_users
from workflows.models import ChangeRequest

from . import selectors, signals
from .models import OPEN_Q, Campaign, CampaignEscalation, CampaignItem
from .permissions import can_close_campaign, can_start_campaign, can_work_on_item

ITEM_BATCH = 5000


def start_campaign(
    *, user, title: str, unit: Unit, include_subtree: bool, deadline: datetime.date, today=None
) -> Campaign:
    """Start a campaign on `unit` (and its subtree) with one item per person, told to the
    officers who hold them; nothing is written when the input is refused."""
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
    with transaction.atomic():
        campaign = Campaign(
            title=title.strip(), unit=unit, include_subtree=include_subtree, deadline=deadline, started_by=user
        )
        campaign.full_clean()
        campaign.save()
        count = _create_items(campaign)
        if not count:
            raise ValidationError({"unit": _("Đơn vị đã chọn không có hồ sơ cán bộ nào để rà soát.")})
        campaign.item_count = count
        campaign.save(update_fields=["item_count"])
        signals.campaign_started.send(
            sender=Campaign, campaign=campaign, recipients=selectors.list_item_officers(campaign)
        )
    return campaign


def _create_items(campaign: Campaign) -> int:
    """One item per person the campaign covers, inserted a batch at a time (ids streamed from
    the index, no query per person)."""
    people = (
        Employee.objects.filter(campaign.unit_q("managing_unit__"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=ITEM_BATCH)
    )
    count = 0
    while chunk := list(islice(people, ITEM_BATCH)):
        CampaignItem.objects.bulk_create([CampaignItem(campaign=campaign, employee_id=pk) for pk in chunk])
        count += len(chunk)
    return count


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


def link_change_request(change_request: ChangeRequest) -> int:
    """A change request about a person was submitted: the person's open items in running
    campaigns now carry it (the item is done while it is submitted, approved or applied).
    Idempotent: items already carrying a request on its way are left alone."""
    if change_request.employee_id is None:
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
    for campaign in Campaign.objects.filter(closed_at__isnull=True, deadline__lt=today).select_related("unit"):
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
