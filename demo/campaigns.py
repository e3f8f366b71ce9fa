"""The demo's running review campaign: every record of the Cục Thuế and its Chi cục, started by
its unit administrator, a few records of KV I already confirmed by its officer, so the progress
page and the officers' lists are not empty."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import services
from campaigns.models import Campaign

DEMO_CAMPAIGN_TITLE = "Rà soát, cập nhật hồ sơ cán bộ cuối năm (demo)"
CONFIRMED = 3  # records of KV I confirmed unchanged


def ensure_campaign(units, counts) -> None:
    """Starts the demo campaign unless it exists (its deadline 30 days from the day it is loaded:
    a campaign cannot be started with a deadline in the past)."""
    if Campaign.objects.filter(title=DEMO_CAMPAIGN_TITLE).exists():
        counts["campaigns"] = 0
        return
    users = get_user_model().objects.in_bulk(["quantri.cucthue", "canbo.kv1"], field_name="username")
    try:
        campaign = services.start_campaign(
            user=users["quantri.cucthue"],
            title=DEMO_CAMPAIGN_TITLE,
            unit=units["BTC.CT"],
            include_subtree=True,
            deadline=timezone.localdate() + timedelta(days=30),
        )
    except ValidationError:  # refused, its writes rolled back: a demo loaded with nobody to review yet
        counts["campaigns"] = 0
        return
    # Its items made here rather than by the task queued on the loader's commit, so that a few
    # can be confirmed now; the task then finds the campaign ready and does nothing.
    services.prepare_items(campaign.pk)
    campaign.refresh_from_db()
    items = campaign.items.filter(employee__managing_unit=units["BTC.CT.KV1"]).order_by("employee__sort_key", "pk")
    for item in items[:CONFIRMED]:
        services.confirm_item(user=users["canbo.kv1"], item=item)
    counts["campaigns"] = 1
