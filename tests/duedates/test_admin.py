"""Rule rows are edited in the admin by superusers only, with history; others cannot see them."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from duedates.models import HoldingPeriod

ADD = {
    "salary_class": "C2",
    "months": "24",
    "beyond_last_step": "on",
    "valid_from": "2027-01-01",
    "valid_to": "",
    "legal_source": "Văn bản mới",
}


def test_superuser_edits_a_rule_row_with_history(client, db):
    admin = get_user_model().objects.create_superuser("quantri", "q@example.test", "Test-password-2026")
    client.force_login(admin)
    response = client.post(reverse("admin:duedates_holdingperiod_add"), ADD)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = HoldingPeriod.objects.get(salary_class="C2", valid_from=datetime.date(2027, 1, 1))
    assert row.history.count() == 1
    bad = {**ADD, "valid_to": "2026-01-01"}
    response = client.post(reverse("admin:duedates_holdingperiod_add"), bad)
    assert response.status_code == 200
    assert "Ngày hết hiệu lực phải sau ngày có hiệu lực." in response.content.decode()


def test_staff_who_are_not_superusers_cannot_touch_rules(client, people):
    officer = people["lanhdao_cuc"]
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    before = HoldingPeriod.objects.count()
    assert client.get(reverse("admin:duedates_holdingperiod_changelist")).status_code == 403
    assert client.post(reverse("admin:duedates_holdingperiod_add"), ADD).status_code == 403
    assert HoldingPeriod.objects.count() == before
