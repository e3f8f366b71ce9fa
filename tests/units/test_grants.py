"""Role grants: dated, given by administrators of an ancestor unit with a reason, recorded in
history, and effective (or ended) on the very next request."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from units.models import Role, RoleGrant


def test_unit_admin_grants_below_with_reason_and_history(client, tree, people):
    admin = make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN))
    newcomer = make_user("canbo_moi")
    client.force_login(admin)
    response = client.post(
        reverse("units:grant-new"),
        {"user": newcomer.pk, "unit": tree["kv1"].pk, "role": Role.OFFICER, "reason": "QĐ 12/QĐ-CT phân công"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = RoleGrant.objects.get(user=newcomer)
    assert grant.granted_by == admin and grant.valid_from == timezone.localdate()
    row = grant.history.get()
    assert row.history_user == admin and row.history_change_reason == "QĐ 12/QĐ-CT phân công"

    client.force_login(newcomer)
    assert client.get(reverse("records:employee-list")).status_code == 200
    assert client.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).status_code == 200

    client.force_login(admin)
    client.post(reverse("units:grant-revoke", args=[grant.pk]), {"reason": "Chuyển công tác"})
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert grant.history.latest().history_change_reason == "Chuyển công tác"
    client.force_login(newcomer)  # the very next request
    assert client.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).status_code == 404

    page = client.get(reverse("units:grant-history"))
    assert page.status_code == 403
    client.force_login(admin)
    history = client.get(reverse("units:grant-history")).content.decode()
    assert "QĐ 12/QĐ-CT phân công" in history and "Chuyển công tác" in history


def test_admins_cannot_grant_outside_their_subtree_to_themselves_or_make_peer_admins(client, tree, people):
    admin = make_user("quantri_kv1", (tree["kv1"], Role.UNIT_ADMIN))
    other = make_user("nguoi_khac")
    client.force_login(admin)
    for unit, role, user in (
        (tree["kv2"], Role.OFFICER, other),  # sibling unit: not theirs
        (tree["kv1"], Role.APPROVER, admin),  # themselves
        (tree["kv1"], Role.UNIT_ADMIN, other),  # a peer admin of their own unit
    ):
        response = client.post(
            reverse("units:grant-new"), {"user": user.pk, "unit": unit.pk, "role": role, "reason": "x"}
        )
        assert response.status_code == 200
    assert not RoleGrant.objects.filter(granted_by=admin).exists()
    client.force_login(people["lanhdao_cuc"])  # an approver is not an administrator
    assert client.get(reverse("units:grant-list")).status_code == 403


def test_a_grant_past_its_end_date_stops_working_at_once(client, tree):
    today = timezone.localdate()
    temp = make_user("tam_thoi")
    RoleGrant.objects.create(user=temp, unit=tree["kv1"], role=Role.VIEWER, valid_to=today)
    url = reverse("units:unit-detail", args=[tree["kv1"].pk])
    client.force_login(temp)
    assert client.get(url).status_code == 200
    with time_machine.travel(today + datetime.timedelta(days=1), tick=False):
        client.force_login(temp)  # a new day, a new session (idle sessions end after 30 minutes)
        assert client.get(url).status_code == 404
    future = make_user("sap_toi")
    RoleGrant.objects.create(
        user=future, unit=tree["kv1"], role=Role.VIEWER, valid_from=today + datetime.timedelta(days=3)
    )
    client.force_login(future)
    assert client.get(url).status_code == 404
