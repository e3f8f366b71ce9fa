"""A campaign's items made by a task in chunks: once each, whatever the reruns and interruptions;
its progress page; a preparing campaign nobody works on, reminds or escalates; the retry."""

import datetime
import threading

import pytest
from django.db import connections
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import PREPARING_STALE, Campaign, CampaignItem
from campaigns.permissions import can_retry_campaign, retryable_campaigns_q
from campaigns.tasks import prepare_campaign
from notifications.models import Kind, Notification
from tests.campaigns.conftest import in_days, start
from tests.conftest import make_employee, make_user
from units.models import Role


@pytest.fixture
def crowd(tree, loader, staff):
    """Eight more people in KV1 and KV2: eleven in the Cục with the staff."""
    for n in range(8):
        unit = tree["kv1"] if n % 2 else tree["kv2"]
        make_employee(unit, loader, citizen_id=f"0010850009{n:02d}", full_name=f"Người đông {n}")
    return 11


def _assert_every_item_once(campaign, expected):
    campaign.refresh_from_db()
    per_person = campaign.items.values("employee_id").annotate(n=Count("pk")).order_by()
    assert len(per_person) == expected and {row["n"] for row in per_person} == {1}
    assert campaign.item_count == expected == campaign.items_expected


def test_items_are_made_once_when_the_task_runs_twice_or_stops_midway(tree, people, quantri_cuc, crowd):
    campaign = start(quantri_cuc, tree["cuc"], prepare=False)
    assert campaign.status == Campaign.Status.PREPARING and campaign.items_expected == crowd
    # A worker that died after two chunks: they are committed, counted, and the campaign waits.
    assert services.prepare_items(campaign.pk, chunk_size=3, stop_after=2) == Campaign.Status.PREPARING
    campaign.refresh_from_db()
    assert campaign.items.count() == campaign.item_count == 6 and campaign.is_preparing
    # The redelivered task goes on after the last person made; run again, it adds nothing.
    assert services.prepare_items(campaign.pk, chunk_size=3) == Campaign.Status.READY
    _assert_every_item_once(campaign, crowd)
    assert prepare_campaign.delay(campaign.pk).get() == Campaign.Status.READY
    assert services.prepare_items(campaign.pk, chunk_size=3) == Campaign.Status.READY
    _assert_every_item_once(campaign, crowd)
    # The officers were told once, when it became ready.
    told = Notification.objects.filter(kind=Kind.CAMPAIGN_STARTED, recipient__username="canbo_kv1")
    assert told.count() == 1


def test_a_chunk_that_fails_is_rolled_back_whole_and_the_retry_resumes(
    client_for, tree, people, quantri_cuc, crowd, monkeypatch, django_capture_on_commit_callbacks
):
    campaign = start(quantri_cuc, tree["cuc"], prepare=False)
    real_bulk_create = QuerySet.bulk_create
    calls = []

    def second_fails(self, objs, *args, **kwargs):
        calls.append(len(objs))
        if self.model is CampaignItem and len(calls) == 2:
            real_bulk_create(self, objs[:1], *args, **kwargs)  # half the chunk written, then the database fails
            raise RuntimeError("connection lost")
        return real_bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", second_fails)
    assert services.prepare_items(campaign.pk, chunk_size=4) == Campaign.Status.FAILED
    monkeypatch.undo()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED and "Có lỗi khi tạo danh sách hồ sơ" in campaign.error
    assert campaign.items.count() == campaign.item_count == 4  # the first chunk only
    # Its page says so and offers the retry to the Cục's administrator only.
    admin = client_for(quantri_cuc)
    page = admin.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Có lỗi khi tạo danh sách hồ sơ" in page and "Đã tạo 4 / 11 mục." in page
    assert reverse("campaigns:retry", args=[campaign.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(reverse("campaigns:retry", args=[campaign.pk])).status_code == 302
    _assert_every_item_once(campaign, crowd)
    assert campaign.is_ready and campaign.error == ""
    assert campaign.history.filter(history_user=quantri_cuc, status=Campaign.Status.PREPARING).count() == 2


def test_retry_is_only_for_who_may_start_campaigns_there(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"], prepare=False)
    quantri_kb = make_user("quantri_kb", (tree["kho_bac"], Role.UNIT_ADMIN))
    url = reverse("campaigns:retry", args=[campaign.pk])
    # Preparing and moving: nobody retries it, and no one is shown the button.
    assert not can_retry_campaign(quantri_cuc, campaign)
    assert reverse("campaigns:retry", args=[campaign.pk]) not in (
        client_for(quantri_cuc).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )
    assert client_for(quantri_cuc).post(url).status_code == 403
    # Its task lost (nothing made for PREPARING_STALE): the administrator may retry, others not.
    later = timezone.now() + PREPARING_STALE + datetime.timedelta(minutes=1)
    users = [quantri_cuc, quantri_kb, *people.values()]
    for user in users:
        allowed = set(Campaign.objects.filter(retryable_campaigns_q(user, now=later)).values_list("pk", flat=True))
        assert allowed == ({campaign.pk} if can_retry_campaign(user, campaign, now=later) else set()), user.username
    assert [u for u in users if can_retry_campaign(u, campaign, now=later)] == [quantri_cuc]
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.FAILED, error="Lỗi")
    for user, status in ((quantri_kb, 403), (people["canbo_kv1"], 403), (people["xem_cuc"], 403)):
        client = client_for(user)
        assert client.post(url).status_code == status, user.username
        if user is not quantri_kb:  # who sees the campaign is not offered the retry
            assert url not in client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED


def test_a_preparing_campaign_is_not_worked_reminded_nor_escalated(
    client_for, tree, people, quantri_cuc, staff, django_capture_on_commit_callbacks
):
    campaign = start(quantri_cuc, tree["cuc"], days=-1, today=in_days(-20), prepare=False)
    services.prepare_items(campaign.pk, chunk_size=1, stop_after=2)
    item = campaign.items.first()
    officer = people["canbo_kv1"] if item.employee.managing_unit_id == tree["kv1"].pk else people["canbo_kv2"]
    assert not selectors.list_open_items(user=officer).exists()
    assert selectors.open_items_by_officer() == {}
    assert services.escalate_late_campaigns() == []
    client = client_for(officer)
    assert client.post(reverse("campaigns:item-confirm", args=[item.pk])).status_code == 403
    assert client.post(reverse("campaigns:items-confirm", args=[campaign.pk]), {"items": [item.pk]}).status_code == 403
    xlsx = client.get(reverse("campaigns:progress-xlsx", args=[campaign.pk]))
    assert xlsx.status_code == 302 and xlsx.url == reverse("campaigns:detail", args=[campaign.pk])
    client_for(quantri_cuc)
    assert reverse("campaigns:close", args=[campaign.pk]) not in (
        client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    )
    assert client.post(reverse("campaigns:close", args=[campaign.pk])).status_code == 403
    # Ready: the officers' lists, the digest and the sweep count it.
    services.prepare_items(campaign.pk)
    assert selectors.list_open_items(user=officer).exists()
    assert selectors.open_items_by_officer()
    assert services.escalate_late_campaigns()


@pytest.mark.postgres("two connections at once: SQLite would serialise the whole database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_deliveries_at_once_make_every_item_once(tree, people, quantri_cuc, crowd):
    campaign = start(quantri_cuc, tree["cuc"], prepare=False)
    results, ready = [], threading.Barrier(2)

    def worker():  # a task and its redelivery, each on its own connection
        try:
            ready.wait(10)
            results.append(services.prepare_items(campaign.pk, chunk_size=2))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [Campaign.Status.READY, Campaign.Status.READY]
    _assert_every_item_once(campaign, crowd)
    assert Notification.objects.filter(kind=Kind.CAMPAIGN_STARTED, recipient=people["canbo_kv1"]).count() == 1
