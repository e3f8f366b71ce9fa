"""Progress per unit (rolled up, in SQL), its xlsx, the officer's list in constant SQL, late
escalation to the unit's leader, and the daily digest."""

import io

import openpyxl
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import CampaignEscalation
from notifications.models import Digest, Kind, Notification
from notifications.services import sweep_digests
from tests.campaigns.conftest import in_days, start
from tests.conftest import make_employee, make_user
from units.models import Role


def _confirm(item, user):
    return services.confirm_item(user=user, item=item)


@pytest.fixture
def running(tree, people, loader, staff):
    """A campaign of the whole ministry: KV1 has 2 people (1 confirmed), KV2 1, Kho bạc 1 (confirmed)."""
    root_admin = make_user("quantri_bo", (tree["ministry"], Role.UNIT_ADMIN))
    campaign = start(root_admin, tree["ministry"])
    _confirm(campaign.items.get(employee=staff["kv1"]), people["canbo_kv1"])
    _confirm(campaign.items.get(employee=staff["kb"]), people["canbo_kb"])
    return campaign


def _figures(row):
    return (row.total, row.done, row.late)


def test_progress_per_unit_is_rolled_up(tree, people, running):
    viewer = make_user("xem_bo", (tree["ministry"], Role.VIEWER))
    children = [tree["cuc"], tree["kho_bac"]]
    total, own, rows = selectors.progress_level(
        user=viewer, campaign=running, parent=tree["ministry"], children=children
    )
    assert _figures(total) == (4, 2, 0) and _figures(own) == (0, 0, 0)
    assert [_figures(r) for r in rows] == [(3, 1, 0), (1, 1, 0)]
    # After the deadline what is open is late; one level down, per Chi cục.
    total, _own, rows = selectors.progress_level(
        user=viewer, campaign=running, parent=tree["cuc"], children=[tree["kv1"], tree["kv2"]], today=in_days(31)
    )
    assert _figures(total) == (3, 1, 2) and [_figures(r) for r in rows] == [(2, 1, 1), (1, 0, 1)]
    # A reader of the Cục only counts what they may see.
    total, _own, _rows = selectors.progress_level(
        user=people["xem_cuc"], campaign=running, parent=tree["ministry"], children=[]
    )
    assert _figures(total) == (3, 1, 0)


def test_progress_page_and_xlsx(client_for, tree, running):
    client = client_for(make_user("xem_bo", (tree["ministry"], Role.VIEWER)))
    page = client.get(reverse("campaigns:detail", args=[running.pk]))
    assert page.status_code == 200 and "Cục Thuế" in page.content.decode()
    response = client.get(reverse("campaigns:progress-xlsx", args=[running.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {r[0]: r[2:] for r in sheet.iter_rows(min_row=4, values_only=True)}
    # code: own total, done, late; subtree total, done, late, percent
    assert rows["BTC"] == (0, 0, 0, 4, 2, 0, 50)
    assert rows["BTC.CT"] == (0, 0, 0, 3, 1, 0, 33)
    assert rows["BTC.CT.KV1"] == (2, 1, 0, 2, 1, 0, 50)


def test_officer_list_takes_the_same_queries_whatever_the_items(client_for, tree, people, loader, quantri_cuc):
    client = client_for(people["canbo_kv1"])

    def grow(start_n, stop_n):
        for n in range(start_n, stop_n):
            make_employee(tree["kv1"], loader, citizen_id=f"0010850007{n:02d}", full_name=f"Người rà soát {n}")
        start(quantri_cuc, tree["cuc"], title=f"Đợt {stop_n}")

    def count():
        client.get(reverse("campaigns:items"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("campaigns:items"))
        assert response.status_code == 200
        return len(queries)

    grow(0, 2)
    few = count()
    grow(2, 9)
    assert count() == few


def test_late_units_leader_is_told_once(tree, people, quantri_cuc, staff, django_capture_on_commit_callbacks):
    campaign = start(quantri_cuc, tree["cuc"], days=-1, today=in_days(-20))
    services.confirm_item(user=people["canbo_kv2"], item=campaign.items.get(employee=staff["kv2"]))
    assert services.escalate_late_campaigns(now=None)
    assert services.escalate_late_campaigns() == []  # idempotent: twice is once
    (escalation,) = CampaignEscalation.objects.all()
    assert escalation.unit == tree["kv1"] and escalation.open_items == 2
    assert list(escalation.escalated_to.all()) == [people["lanhdao_kv1"]]
    told = Notification.objects.filter(kind=Kind.CAMPAIGN_LATE)
    assert [n.recipient for n in told] == [people["lanhdao_kv1"]]


def test_nothing_is_escalated_before_the_deadline_or_once_closed(tree, people, quantri_cuc, staff):
    running = start(quantri_cuc, tree["cuc"], days=0)
    assert services.escalate_late_campaigns() == []
    late = start(quantri_cuc, tree["cuc"], days=-1, today=in_days(-5), title="Đợt cũ")
    services.close_campaign(user=quantri_cuc, campaign=late)
    assert services.escalate_late_campaigns() == []
    assert running.is_running


def test_digest_counts_open_campaign_items(people, tree, quantri_cuc, staff, django_capture_on_commit_callbacks):
    campaign = start(quantri_cuc, tree["cuc"], title="Rà soát cuối năm")
    Notification.objects.all().delete()  # the start's notifications: the digest must come from the items alone
    with django_capture_on_commit_callbacks(execute=True):
        sweep_digests()
    digest = Digest.objects.get(recipient=people["canbo_kv1"])
    assert digest.campaign_items == [[campaign.pk, 2]]
    body = next(m for m in mail.outbox if m.to == ["canbo_kv1@example.test"]).body
    assert "Đợt “Rà soát cuối năm”: 2 hồ sơ chưa xác nhận hoặc cập nhật" in body
    assert Digest.objects.get(recipient=people["canbo_kv2"]).campaign_items == [[campaign.pk, 1]]
    assert not Digest.objects.filter(recipient=people["xem_cuc"]).exists()


def test_officer_list_pages_by_keyset(tree, people, quantri_cuc, staff, loader):
    from django.http import QueryDict

    from tracking.keyset import PARAM, paginate

    for n in range(3):
        make_employee(tree["kv1"], loader, citizen_id=f"0010850008{n:02d}", full_name=f"Người trang {n}")
    start(quantri_cuc, tree["cuc"])
    items = selectors.list_open_items(user=people["canbo_kv1"])
    seen, params = [], QueryDict(mutable=True)
    while True:
        page = paginate(items, params, per_page=2)
        seen += [item.pk for item in page]
        if not page.has_next:
            break
        params = QueryDict(page.next_query)
        assert PARAM in params
    assert seen == [item.pk for item in items] and len(seen) == 5


def test_an_officer_who_turned_campaign_items_off_gets_no_digest_for_them(
    people, tree, quantri_cuc, staff, django_capture_on_commit_callbacks
):
    from notifications.models import NotificationSettings

    NotificationSettings.objects.create(user=people["canbo_kv1"], deliveries={Kind.CAMPAIGN_ITEMS: "off"})
    start(quantri_cuc, tree["cuc"])
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_digests()
    assert not Digest.objects.filter(recipient=people["canbo_kv1"]).exists()
    assert Digest.objects.filter(recipient=people["canbo_kv2"]).exists()


def test_a_personnel_departments_lateness_goes_to_the_leader_of_the_unit_it_belongs_to(
    tree, people, loader, quantri_cuc
):
    from tests.conftest import setup_context
    from units.models import Unit

    with setup_context(loader):
        fields = {"code": "BTC.CT.TCCB", "name": "Phòng Tổ chức cán bộ", "kind": Unit.Kind.BRANCH}
        tccb = Unit.objects.add_child(Unit.objects.get(pk=tree["cuc"].pk), {**fields, "is_personnel_department": True})
    make_employee(tccb, loader, citizen_id="001085000031", full_name="Vũ Thị Giang")
    start(quantri_cuc, tree["cuc"], days=-1, today=in_days(-3))
    services.escalate_late_campaigns()
    escalation = CampaignEscalation.objects.get(unit=tccb)
    # As workflows.escalation derives "the unit's leader": a personnel department's is its parent's.
    assert list(escalation.escalated_to.all()) == [people["lanhdao_cuc"]]
