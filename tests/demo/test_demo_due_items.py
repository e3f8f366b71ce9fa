"""Issue 10's acceptance: the due lists of the demo data show retirements, salary steps,
beyond-last-step increments, contract and probation ends with their reasons (the loader runs the
refresh), and the open inspection follow-ups beside them."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from duedates.models import DueItem, RefreshRun
from duedates.services import refresh_due_items


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_the_demo_data_has_due_items_of_every_kind_with_their_reasons(client):
    out = io.StringIO()
    call_command("load_demo", employees=200, stdout=out)
    assert "Việc đến hạn (due items): tính lại cho 200 cán bộ" in out.getvalue()
    kinds = Counter(DueItem.objects.values_list("kind", flat=True))
    assert kinds["retirement"] == 200
    assert kinds["salary_step"] > 0 and kinds["beyond_last_step"] > 0
    # Civil servants and public employees have notice and decision deadlines (no rule row gives
    # them for contract workers).
    retirement = DueItem.objects.filter(kind="retirement", notice_deadline__isnull=False).first()
    assert retirement.notice_deadline < retirement.decision_deadline < retirement.due_date < retirement.pension_start
    assert retirement.inputs["age_rule"] and retirement.rule_ids
    # A few people have a decision that moves their retirement (a postponement, an early retirement).
    moved = DueItem.objects.filter(kind="retirement", inputs__has_key="decisions")
    assert moved.exists()
    for item in moved:
        assert item.inputs["decisions"] and item.due_date.isoformat() != item.inputs["statutory"]["moment"]
    step = DueItem.objects.filter(kind="salary_step").first()
    assert step.inputs["start"] and step.inputs["months"] in (24, 36, 60) and step.inputs["salary_class"]
    assert DueItem.objects.filter(kind="salary_step", inputs__extension_months__gt=0).exists()
    beyond = DueItem.objects.filter(kind="beyond_last_step").first()
    assert beyond.inputs["next_percent"] >= 5 and beyond.inputs["schedule"]
    # Contract workers' fixed-term contracts end 2 to 14 months after the reference date; recent
    # public employees' probations end by the length rule, contract workers' trials on file.
    contract = DueItem.objects.filter(kind="contract_end").first()
    assert contract.notice_deadline < contract.due_date and contract.inputs["end"]
    probation = DueItem.objects.filter(kind="probation_end", inputs__explicit_end=False).first()
    assert probation.inputs["length"]["months"] in (6, 9, 12)
    assert not DueItem.objects.filter(kind="cannot_compute", about__in=("contract_end", "probation_end")).exists()
    # The loader's refresh is the nightly one (recorded), and nothing is left to recompute.
    assert RefreshRun.objects.get().full
    assert refresh_due_items() == {"examined": 200, "recomputed": 0}

    # Through the page, as the ministry's demo leader sees it (everything below, read only).
    grant = get_user_model().objects.filter(role_grants__unit__depth=1).first()
    client.force_login(grant)
    for kind, label in (
        ("retirement", "Tháng đủ tuổi nghỉ hưu"),
        ("salary_step", "thời gian giữ bậc"),
        ("beyond_last_step", "Giữ bậc cuối từ ngày"),
        ("contract_end", "Thông báo chấm dứt hoặc ký tiếp hợp đồng"),
        ("probation_end", "Ngày kết thúc tính theo quy định"),
    ):
        response = client.get(reverse("duedates:due-list"), {"kind": kind})
        assert response.status_code == 200
        assert response.context["rows"], kind
        assert label in response.content.decode(), kind
        assert "lần gần nhất lúc" in response.content.decode()
    # The open follow-ups of the demo's inspections beside the list (one late, one due in January).
    follow_ups = client.get(reverse("duedates:due-list")).context["follow_ups"]
    assert {row["action"].description for row in follow_ups} >= {"Rà soát hộ kinh doanh ngừng hoạt động không khai báo"}
