"""The demo data set has one running campaign with progress, and loading twice adds nothing."""

import io

import pytest
from django.core.management import call_command

from campaigns import selectors
from campaigns.models import Campaign
from demo.campaigns import CONFIRMED, DEMO_CAMPAIGN_TITLE
from units.models import Unit


@pytest.mark.django_db
def test_demo_has_one_running_campaign_with_progress(settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", employees=40, stdout=out)
    assert "Đợt rà soát hồ sơ mới (review campaigns started): 1" in out.getvalue()
    campaign = Campaign.objects.get(title=DEMO_CAMPAIGN_TITLE)
    assert campaign.is_running and campaign.item_count == campaign.items.count() > CONFIRMED
    assert campaign.items.filter(confirmed_at__isnull=False).count() == CONFIRMED
    kv1 = Unit.objects.get(code="BTC.CT.KV1")
    assert sum(n for _c, n in selectors.open_items_by_officer()[_officer("canbo.kv1")]) == (
        campaign.items.filter(employee__managing_unit=kv1).count() - CONFIRMED
    )
    call_command("load_demo", employees=40, stdout=out)
    assert Campaign.objects.count() == 1


def _officer(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk
