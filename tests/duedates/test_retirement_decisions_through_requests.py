"""A retirement decision enters a person's file only through a request: proposed on the
employee's page, checked against the limit rows, approved, written with its history; the next
refresh moves the retirement and the due pages say why."""

import datetime

from django.urls import reverse

from duedates.models import DueItem
from duedates.services import refresh_changed
from records.models import RetirementDecision
from tests.workflows.conftest import decide, propose
from workflows.models import ChangeRequest

D = datetime.date
AS_OF = D(2026, 12, 1)

LOWER_AGE = {
    "kind": "lower_age",
    "months": "60",
    "legal_basis": "Bộ luật Lao động 2019, Điều 169 khoản 3; Nghị định 135/2020/NĐ-CP, Điều 5",
    "decision_number": "245/QĐ-BTC",
    "decision_date": "2026-11-20",
}


def test_lower_age_decision_through_a_request_moves_the_retirement(client, people, employee_kv1):
    # Born 14/03/1985, a man: 62 in March 2047 without a decision.
    refresh_changed(as_of=AS_OF)
    assert DueItem.objects.get(employee=employee_kv1, kind="retirement").due_date == D(2047, 3, 31)

    client.force_login(people["canbo_kv1"])
    response = propose(
        client, employee_kv1, reason="Quyết định nghỉ hưu ở tuổi thấp hơn", add={"retirementdecision": [LOWER_AGE]}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not RetirementDecision.objects.exists()  # nothing written before approval
    client.logout()
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, ChangeRequest.objects.get(), "approve").status_code == 302
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPLIED

    decision = RetirementDecision.objects.get(employee=employee_kv1)
    assert decision.history.count() == 1
    run = refresh_changed(as_of=AS_OF)
    assert (run.examined, run.recomputed) == (1, 1)  # the decision's history names the person
    # 2028 on asks 62 − 5 = 57, reached in March 2042.
    item = DueItem.objects.get(employee=employee_kv1, kind="retirement")
    assert item.due_date == D(2042, 3, 31)
    assert item.inputs["statutory"]["moment"] == "2047-03-31"

    page = client.get(reverse("duedates:due-person", args=[employee_kv1.pk])).content.decode()
    assert "Quyết định số 245/QĐ-BTC ngày 20/11/2026: Nghỉ hưu ở tuổi thấp hơn 60 tháng" in page
    assert "31/03/2047" in page  # the statutory moment, beside the moved one
    listed = client.get(reverse("duedates:due-list"), {"kind": "retirement"}).content.decode()
    assert "245/QĐ-BTC" in listed


def test_postponement_over_its_limit_is_refused_before_submission(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    decision = {
        "kind": "postponement",
        "ground": "a",
        "months": "2",
        "legal_basis": "Nghị định 170/2025/NĐ-CP, Điều 61 khoản 3 điểm a",
        "decision_number": "7/QĐ",
        "decision_date": "2026-11-02",
    }
    response = propose(client, employee_kv1, reason="Lùi thời điểm nghỉ hưu", add={"retirementdecision": [decision]})
    assert response.status_code == 200
    assert "Số tháng 2 vượt mức tối đa 1 tháng của loại quyết định này." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_early_retirement_needs_its_date(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    decision = {
        "kind": "early_retirement",
        "legal_basis": "Nghị định 178/2024/NĐ-CP",
        "decision_number": "9/QĐ",
        "decision_date": "2026-11-02",
    }
    response = propose(client, employee_kv1, reason="Nghỉ hưu trước tuổi", add={"retirementdecision": [decision]})
    assert response.status_code == 200
    assert "Quyết định nghỉ hưu trước tuổi phải ghi ngày nghỉ hưu." in response.content.decode()
    assert not ChangeRequest.objects.exists()
