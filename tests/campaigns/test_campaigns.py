"""Starting a campaign, its items, confirming unchanged and proposing a change."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import DONE_REQUEST_STATUSES, OPEN_REQUEST_STATUSES, Campaign, CampaignItem
from campaigns.permissions import can_view_campaign, can_work_on_item, visible_campaigns_q
from notifications.models import Kind, Notification
from records.models import Employee
from tests.campaigns.conftest import in_days, start
from tests.workflows.conftest import propose
from workflows import services as workflow_services
from workflows.models import ChangeRequest


def test_every_request_status_is_either_done_or_open():
    assert set(DONE_REQUEST_STATUSES) | set(OPEN_REQUEST_STATUSES) == set(ChangeRequest.Status.values)
    assert not set(DONE_REQUEST_STATUSES) & set(OPEN_REQUEST_STATUSES)


def test_start_outside_the_admins_scope_is_refused_and_writes_nothing(tree, people, quantri_cuc, staff):
    with pytest.raises(ValidationError) as refused:
        start(quantri_cuc, tree["kho_bac"])
    assert "không có quyền bắt đầu đợt rà soát" in refused.value.message_dict["unit"][0]
    with pytest.raises(ValidationError):
        start(people["canbo_kv1"], tree["kv1"])  # an officer is not an administrator
    assert not Campaign.objects.exists() and not CampaignItem.objects.exists()


def test_start_page_refuses_a_past_deadline_and_a_unit_outside_scope_in_vietnamese(
    client_for, tree, quantri_cuc, staff
):
    client = client_for(quantri_cuc)
    past = client.post(
        reverse("campaigns:start"),
        {
            "title": "Rà soát",
            "unit": tree["cuc"].pk,
            "include_subtree": "on",
            "deadline": in_days(-1).strftime("%d/%m/%Y"),
        },
    )
    assert past.status_code == 200
    assert "Hạn hoàn thành không được trước hôm nay" in past.content.decode()
    outside = client.post(
        reverse("campaigns:start"),
        {"title": "Rà soát", "unit": tree["kho_bac"].pk, "deadline": in_days(5).isoformat()},
    )
    assert "không có quyền bắt đầu đợt rà soát ở đơn vị này" in outside.content.decode()
    assert not Campaign.objects.exists() and not CampaignItem.objects.exists()


def test_start_creates_one_item_per_person_of_the_subtree_and_tells_the_officers(
    client_for, tree, people, quantri_cuc, staff, django_capture_on_commit_callbacks
):
    client = client_for(quantri_cuc)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("campaigns:start"),
            {
                "title": "Rà soát 2026",
                "unit": tree["cuc"].pk,
                "include_subtree": "on",
                "deadline": in_days(10).isoformat(),
            },
        )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == reverse("campaigns:detail", args=[campaign.pk])
    # The request only wrote the campaign, preparing; its page says how far the items are.
    assert campaign.status == Campaign.Status.PREPARING and campaign.items_expected == 3
    # the task, and the renewal of what the cache keeps of running campaigns (campaigns.services)
    queued = [callback for callback in queued if getattr(callback, "__name__", "") != "new_generations"]
    assert not campaign.items.exists() and len(queued) == 1
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Đang tạo danh sách hồ sơ" in page and "data-campaign-progress" in page
    assert "<span data-rows-done>0</span> / <span data-rows-total>3</span>" in page
    status = client.get(reverse("campaigns:status", args=[campaign.pk])).json()
    assert status["running"] and (status["rows_done"], status["rows_total"]) == (0, 3)
    assert not Notification.objects.filter(kind=Kind.CAMPAIGN_STARTED).exists()
    queued[0]()  # the task (eager) on the commit
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.READY
    assert campaign.item_count == 3 and campaign.started_by == quantri_cuc
    assert not client.get(reverse("campaigns:status", args=[campaign.pk])).json()["running"]
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "data-campaign-progress" not in page and "Chi cục Thuế khu vực I" in page
    assert set(campaign.items.values_list("employee_id", flat=True)) == {
        staff["kv1"].pk,
        staff["kv1b"].pk,
        staff["kv2"].pk,
    }
    told = set(Notification.objects.filter(kind=Kind.CAMPAIGN_STARTED).values_list("recipient__username", flat=True))
    # Officers holding items (lanhdao_cuc is an officer of the Cục, which manages nobody here).
    assert told == {"canbo_kv1", "canbo_kv2"}


def test_a_unit_alone_without_people_is_refused(tree, quantri_cuc, staff):
    with pytest.raises(ValidationError) as refused:
        start(quantri_cuc, tree["cuc"], include_subtree=False)
    assert "không có hồ sơ cán bộ nào" in refused.value.message_dict["unit"][0]
    assert not Campaign.objects.exists()


def test_confirm_unchanged_is_recorded_with_who_when_and_campaign(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    item = campaign.items.get(employee=staff["kv1"])
    record_versions = staff["kv1"].history.count()
    client = client_for(people["canbo_kv1"])
    response = client.post(reverse("campaigns:item-confirm", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.confirmed_by == people["canbo_kv1"] and item.confirmed_at is not None
    latest = item.history.order_by("-history_date").first()
    assert latest.history_user == people["canbo_kv1"]
    assert latest.campaign_id == campaign.pk and latest.confirmed_at == item.confirmed_at
    assert staff["kv1"].history.count() == record_versions  # the record itself was not written
    # Gone from the officer's list; confirming twice is refused without a change.
    listed = client.get(reverse("campaigns:items")).content.decode()
    link = reverse("records:employee-detail", args=[staff["kv1"].pk])
    assert f'"{link}"' not in listed and f'"{reverse("records:employee-detail", args=[staff["kv1b"].pk])}"' in listed
    client.post(reverse("campaigns:item-confirm", args=[item.pk]))
    assert item.history.count() == 1  # items are made in bulk without history; one confirm, not two


def test_propose_links_the_request_and_counts_while_it_is_on_its_way(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    item = campaign.items.get(employee=staff["kv1"])
    client = client_for(people["canbo_kv1"])
    listed = client.get(reverse("campaigns:items")).content.decode()
    assert reverse("records:employee-propose", args=[staff["kv1"].pk]) in listed
    propose(client, staff["kv1"], main_duties="Kiểm tra thuế doanh nghiệp")
    change_request = ChangeRequest.objects.get(employee=staff["kv1"])
    item.refresh_from_db()
    assert item.linked_request == change_request and item.is_done
    assert item.history.order_by("-history_date").first().history_user == people["canbo_kv1"]
    # Rejected: the item is the officer's again.
    workflow_services.decide_change_request(
        change_request=change_request, user=people["lanhdao_kv1"], decision="reject", comment="Không đúng"
    )
    item.refresh_from_db()
    assert not item.is_done
    link = reverse("records:employee-detail", args=[staff["kv1"].pk])
    assert f'"{link}"' in client.get(reverse("campaigns:items")).content.decode()


def test_outsiders_get_403(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    item = campaign.items.get(employee=staff["kv1"])
    nobody = client_for(people["nobody"])
    for name, args in (("campaigns:start", []), ("campaigns:detail", [campaign.pk]), ("campaigns:items", [])):
        assert nobody.get(reverse(name, args=args)).status_code == 403
    assert nobody.get(reverse("campaigns:progress-xlsx", args=[campaign.pk])).status_code == 403
    assert nobody.post(reverse("campaigns:item-confirm", args=[item.pk])).status_code == 403
    # The Kho bạc's officer sees nothing of a Cục campaign; KV2's may not confirm KV1's person.
    assert client_for(people["canbo_kb"]).get(reverse("campaigns:detail", args=[campaign.pk])).status_code == 403
    assert client_for(people["canbo_kv2"]).post(reverse("campaigns:item-confirm", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert item.confirmed_at is None


def test_upper_unit_reads_progress_but_has_no_controls(client_for, tree, people, quantri_cuc, staff):
    campaign = start(quantri_cuc, tree["cuc"])
    client = client_for(people["xem_cuc"])
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Chi cục Thuế khu vực I" in page
    assert reverse("campaigns:items") not in page and reverse("campaigns:close", args=[campaign.pk]) not in page
    assert client.get(reverse("campaigns:items")).status_code == 403
    officer = client_for(people["canbo_kv1"]).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:items") in officer and reverse("campaigns:close", args=[campaign.pk]) not in officer


def test_visible_campaigns_filter_agrees_with_the_check(tree, people, quantri_cuc, staff, loader):
    from tests.conftest import make_user
    from units.models import Role

    root_admin = make_user("quantri_bo", (tree["ministry"], Role.UNIT_ADMIN))
    campaigns = [
        start(quantri_cuc, tree["cuc"]),
        start(quantri_cuc, tree["kv1"], include_subtree=False),
        start(root_admin, tree["ministry"]),
        start(root_admin, tree["ministry"], include_subtree=False, title="Riêng Bộ")
        if Employee.objects.filter(managing_unit=tree["ministry"]).exists()
        else start(root_admin, tree["kho_bac"]),
    ]
    for user in [*people.values(), quantri_cuc, root_admin]:
        listed = set(Campaign.objects.filter(visible_campaigns_q(user)).values_list("pk", flat=True))
        assert listed == {c.pk for c in campaigns if can_view_campaign(user, c)}, user.username


def test_officers_list_agrees_with_the_item_check(tree, people, quantri_cuc, staff):
    from campaigns import services
    from campaigns.selectors import list_open_items

    campaign = start(quantri_cuc, tree["cuc"])
    start(quantri_cuc, tree["kv1"], include_subtree=False, title="Riêng KV1")
    preparing = start(quantri_cuc, tree["cuc"], title="Đang tạo", prepare=False)
    services.prepare_items(preparing.pk, chunk_size=2, stop_after=1)  # items made, not yet ready
    items = list(CampaignItem.objects.select_related("campaign", "employee__managing_unit"))
    assert any(i.campaign_id == preparing.pk for i in items)
    for user in people.values():
        listed = set(list_open_items(user=user).values_list("pk", flat=True))
        assert listed == {i.pk for i in items if can_work_on_item(user, i)}, user.username
    assert {i.employee_id for i in list_open_items(user=people["canbo_kv1"], campaign=campaign)} == {
        staff["kv1"].pk,
        staff["kv1b"].pk,
    }
