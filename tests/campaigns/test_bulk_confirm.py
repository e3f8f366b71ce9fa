"""Confirming several items unchanged in one POST: only the officer's own, one history row each
naming the campaign, in SQL that does not grow with the number of items; the control shown to
exactly who may use it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import CampaignItem
from tests.campaigns.conftest import start
from tests.conftest import make_employee


def _list(client, campaign):
    return client.get(f"{reverse('campaigns:items')}?campaign={campaign.pk}").content.decode()


def test_bulk_confirm_writes_one_history_row_per_item_naming_the_campaign(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    start(quantri_cuc, tree["kv1"], include_subtree=False, title="Riêng KV1")  # its items stay open
    mine = list(campaign.items.filter(employee__managing_unit=tree["kv1"]).order_by("pk"))
    client = client_for(people["canbo_kv1"])
    listed = _list(client, campaign)
    assert reverse("campaigns:items-confirm", args=[campaign.pk]) in listed
    assert all(f'name="items" value="{item.pk}"' in listed for item in mine)
    records = {item.employee_id: item.employee.history.count() for item in mine}
    response = client.post(
        reverse("campaigns:items-confirm", args=[campaign.pk]),
        {"items": [item.pk for item in mine], "next": f"{reverse('campaigns:items')}?campaign={campaign.pk}"},
    )
    assert response.status_code == 302
    for item in mine:
        item.refresh_from_db()
        assert item.confirmed_by == people["canbo_kv1"] and item.confirmed_at is not None
        (row,) = item.history.all()
        assert (row.history_user, row.campaign_id, row.history_type) == (people["canbo_kv1"], campaign.pk, "~")
        assert row.confirmed_at == item.confirmed_at and row.confirmed_by == people["canbo_kv1"]
        assert item.employee.history.count() == records[item.employee_id]  # the record is not written
    assert not CampaignItem.objects.filter(confirmed_at__isnull=False).exclude(campaign=campaign).exists()
    assert "Không còn hồ sơ nào cần rà soát." in _list(client, campaign)
    # Again (a double click): nothing new, said plainly.
    again = client.post(reverse("campaigns:items-confirm", args=[campaign.pk]), {"items": [mine[0].pk]}, follow=True)
    assert "1 hồ sơ đã được xác nhận từ trước nên giữ nguyên." in again.content.decode()
    assert mine[0].history.count() == 1


def test_bulk_confirm_refuses_an_item_of_another_unit_and_writes_nothing(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    kv1 = campaign.items.get(employee=staff["kv1"])
    kv2 = campaign.items.get(employee=staff["kv2"])
    url = reverse("campaigns:items-confirm", args=[campaign.pk])
    assert client_for(people["canbo_kv1"]).post(url, {"items": [kv1.pk, kv2.pk]}).status_code == 403
    assert client_for(people["canbo_kb"]).post(url, {"items": [kv1.pk]}).status_code == 403  # not their campaign
    assert client_for(people["xem_cuc"]).post(url, {"items": [kv1.pk]}).status_code == 403  # reads only
    assert client_for(people["nobody"]).post(url, {"items": [kv1.pk]}).status_code == 403
    other = start(quantri_cuc, tree["kv1"], include_subtree=False, title="Riêng KV1")
    # An item of another campaign posted to this one's form.
    foreign = other.items.get(employee=staff["kv1"])
    assert client_for(people["canbo_kv1"]).post(url, {"items": [foreign.pk]}).status_code == 403
    assert not CampaignItem.objects.filter(confirmed_at__isnull=False).exists()
    assert not CampaignItem.history.filter(history_type="~").exists()
    # Nothing chosen, or garbage: a Vietnamese message, nothing written.
    client = client_for(people["canbo_kv1"])
    assert "Hãy chọn ít nhất một hồ sơ" in client.post(url, {}, follow=True).content.decode()
    assert "không hợp lệ" in client.post(url, {"items": ["x"]}, follow=True).content.decode()


def test_the_bulk_control_is_shown_exactly_to_who_may_use_it(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    control = reverse("campaigns:items-confirm", args=[campaign.pk])
    assert control in _list(client_for(people["canbo_kv2"]), campaign)
    # Not on the list of every campaign (a selection belongs to one), not to who may not post it.
    assert control not in client_for(people["canbo_kv1"]).get(reverse("campaigns:items")).content.decode()
    assert client_for(people["xem_cuc"]).get(f"{reverse('campaigns:items')}?campaign={campaign.pk}").status_code == 403
    # Once the campaign is closed, neither the control nor the POST.
    from campaigns import services

    services.close_campaign(user=quantri_cuc, campaign=campaign)
    client = client_for(people["canbo_kv1"])
    assert control not in _list(client, campaign)
    item = campaign.items.get(employee=staff["kv1"])
    assert client.post(control, {"items": [item.pk]}).status_code == 403


def test_bulk_confirm_takes_the_same_queries_whatever_the_number_of_items(
    client_for, tree, people, loader, quantri_cuc
):
    client = client_for(people["canbo_kv1"])

    def confirm(new_people):
        """A campaign of KV1 after `new_people` more arrived; all its items confirmed in one POST."""
        for i in range(new_people):
            make_employee(tree["kv1"], loader, citizen_id=f"00108501{new_people:02d}{i:02d}", full_name=f"Người {i}")
        campaign = start(quantri_cuc, tree["kv1"], include_subtree=False, title=f"Đợt {new_people}")
        ids = list(campaign.items.values_list("pk", flat=True))
        _list(client, campaign)  # the session and the user's grants read once, as on any page
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("campaigns:items-confirm", args=[campaign.pk]), {"items": ids})
        assert response.status_code == 302
        assert campaign.items.filter(confirmed_at__isnull=False).count() == len(ids)
        assert CampaignItem.history.filter(campaign=campaign).count() == len(ids)
        return len(ids), len(queries)

    few, few_queries = confirm(2)
    many, many_queries = confirm(9)
    assert (few, many) == (2, 11) and few_queries == many_queries
