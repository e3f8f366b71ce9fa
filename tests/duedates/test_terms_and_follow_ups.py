"""Contract ends, probation ends and inspection follow-ups as the officers meet them: the term
entered through a request (history, then the refresh recomputes it), the due list showing the new
kinds with their reasons within scope (another unit's officer does not see them), the follow-ups
beside the list, the tasks and reminders the nightly sweep gives, and escalation when late."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duedates.models import DueItem
from duedates.services import refresh_changed, refresh_due_items
from inspections.models import FollowUpAction, Inspection, InspectionPlan
from notifications.due_work import sweep_due_work
from notifications.models import Kind, Notification
from notifications.texts import describe
from records.models import Employee, EmploymentContract, Probation
from records.models.employee import today
from tests.conftest import make_employee, setup_context
from tests.workflows.conftest import decide, propose
from workflows.due_work import complete_due_task
from workflows.models import ChangeRequest, DueTask

D = datetime.date
URL = "duedates:due-list"


@pytest.fixture
def terms(tree, loader):
    """In KV1: Đào, a contract worker whose fixed-term contract ends in 40 days; Phúc, a public
    employee (01.003, class A1: 12 months) on probation since 330 days ago, no end on file. In
    KV2: Giang, a contract worker whose contract ends in 20 days."""
    dao = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001185000301",
        full_name="Đỗ Thị Đào",
        sex=Employee.Sex.FEMALE,
        employment_status=Employee.EmploymentStatus.CONTRACT,
    )
    phuc = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001085000302",
        full_name="Vũ Văn Phúc",
        employment_status=Employee.EmploymentStatus.PUBLIC_EMPLOYEE,
    )
    giang = make_employee(
        tree["kv2"],
        loader,
        citizen_id="001185000303",
        full_name="Lý Thị Giang",
        sex=Employee.Sex.FEMALE,
        employment_status=Employee.EmploymentStatus.CONTRACT,
    )
    now = today()
    with setup_context(loader):
        EmploymentContract.objects.create(
            employee=dao,
            kind="fixed_term",
            number="12/HĐLĐ",
            start_date=now - datetime.timedelta(days=325),
            end_date=now + datetime.timedelta(days=40),
        )
        Probation.objects.create(employee=phuc, kind="probation", start_date=now - datetime.timedelta(days=330))
        EmploymentContract.objects.create(
            employee=giang,
            kind="fixed_term",
            start_date=now - datetime.timedelta(days=345),
            end_date=now + datetime.timedelta(days=20),
        )
    refresh_due_items()
    return {"dao": dao, "phuc": phuc, "giang": giang}


@pytest.fixture
def follow_up(tree, loader):
    """KV1's plan inspected KV1 itself; a measure is due in 5 days."""
    with setup_context(loader):
        plan = InspectionPlan.objects.create(unit=tree["kv1"], year=today().year, title="Kiểm tra công tác cán bộ")
        inspection = Inspection.objects.create(
            plan=plan,
            inspected_unit=tree["kv1"],
            scope="Hồ sơ cán bộ",
            start_date=today() - datetime.timedelta(days=60),
            team="Trưởng đoàn: Nguyễn Văn Tra",
        )
        return FollowUpAction.objects.create(
            inspection=inspection,
            description="Bổ sung bản sao văn bằng vào hồ sơ",
            deadline=today() + datetime.timedelta(days=5),
        )


def rows_by_kind(response):
    return {(row["employee"].full_name, row["item"].kind): row for row in response.context["rows"]}


def test_the_due_list_shows_contract_and_probation_ends_with_their_reasons_in_scope(client_for, people, terms):
    response = client_for(people["canbo_kv1"]).get(reverse(URL))
    assert response.status_code == 200
    rows = rows_by_kind(response)
    contract = rows[("Đỗ Thị Đào", DueItem.Kind.CONTRACT_END)]
    assert contract["item"].due_date == today() + datetime.timedelta(days=40)
    assert contract["item"].notice_deadline is not None
    assert contract["item"].notice_deadline <= today() + datetime.timedelta(days=25)
    assert contract["can_act"]
    assert any("Hợp đồng lao động Xác định thời hạn" in line for line in contract["lines"])
    assert any("15 ngày trước ngày kết thúc" in line for line in contract["lines"])
    assert any("Bộ luật Lao động 2019, Điều 45" in line for line in contract["lines"])
    probation = rows[("Vũ Văn Phúc", DueItem.Kind.PROBATION_END)]
    start = today() - datetime.timedelta(days=330)
    assert probation["item"].inputs["length"]["months"] == 12
    assert any("12 tháng 0 ngày với nhóm ngạch A1" in line for line in probation["lines"])
    assert any("Nghị định 115/2020/NĐ-CP, Điều 21" in line for line in probation["lines"])
    assert probation["item"].due_date > start + datetime.timedelta(days=360)
    body = response.content.decode()
    assert "Hết hạn hợp đồng lao động" in body and "Hết thời gian tập sự, thử việc" in body
    # Another unit's officer does not see them; KV2's contract is not KV1's.
    assert ("Lý Thị Giang", DueItem.Kind.CONTRACT_END) not in rows
    other = rows_by_kind(client_for(people["canbo_kv2"]).get(reverse(URL)))
    assert set(other) == {("Lý Thị Giang", DueItem.Kind.CONTRACT_END)} | {
        key for key in other if key[1] not in (DueItem.Kind.CONTRACT_END, DueItem.Kind.PROBATION_END)
    }
    assert not any(name in ("Đỗ Thị Đào", "Vũ Văn Phúc") for name, _kind in other)
    # The kind filter narrows to the new kinds; the upper unit reads both, without acting.
    filtered = client_for(people["lanhdao_cuc"]).get(reverse(URL), {"kind": "contract_end"})
    rows = filtered.context["rows"]
    assert {r["employee"].full_name for r in rows} == {"Đỗ Thị Đào", "Lý Thị Giang"}
    assert not any(r["can_act"] for r in rows)


def test_follow_ups_beside_the_due_list_are_scoped_to_the_responsible_unit(client_for, people, follow_up, loader):
    mine = client_for(people["canbo_kv1"]).get(reverse(URL))
    rows = mine.context["follow_ups"]
    assert [r["action"] for r in rows] == [follow_up]
    assert rows[0]["can_act"] and not rows[0]["late"]
    assert "Bổ sung bản sao văn bằng vào hồ sơ" in mine.content.decode()
    assert client_for(people["canbo_kv2"]).get(reverse(URL)).context["follow_ups"] == []
    assert client_for(people["canbo_kb"]).get(reverse(URL)).context["follow_ups"] == []
    upper = client_for(people["lanhdao_cuc"]).get(reverse(URL)).context["follow_ups"]
    assert [r["action"] for r in upper] == [follow_up] and not upper[0]["can_act"]
    # Only late ones with "overdue": none yet; done ones are not listed.
    assert client_for(people["canbo_kv1"]).get(reverse(URL), {"overdue": "on"}).context["follow_ups"] == []
    with setup_context(loader):
        follow_up.status, follow_up.completed_on = "done", today()
        follow_up.save()
    assert client_for(people["canbo_kv1"]).get(reverse(URL)).context["follow_ups"] == []


def test_contract_end_task_and_reminders_reach_the_responsible_officers(client, people, terms, follow_up):
    item = DueItem.objects.get(employee=terms["dao"], kind=DueItem.Kind.CONTRACT_END)
    counts = sweep_due_work(on=today())
    assert counts["follow_ups"] == 1
    task = DueTask.objects.get(employee=terms["dao"])
    assert (task.kind, task.due_date, task.deadline) == (DueTask.Kind.CONTRACT_END, item.due_date, item.notice_deadline)
    assert DueTask.objects.filter(employee=terms["phuc"], kind=DueTask.Kind.PROBATION_END).exists()
    due = Notification.objects.filter(kind=Kind.DUE_WORK)
    assert set(due.filter(params__task_kind="contract_end").values_list("recipient__username", flat=True)) == {
        "canbo_kv1",
        "canbo_kv2",  # Giang's contract, KV2's own
    }
    dao_note = due.get(recipient=people["canbo_kv1"], params__task_kind="contract_end")
    assert "Thông báo hết hạn hợp đồng lao động" in describe(dao_note)
    assert "Đỗ Thị Đào" in describe(dao_note)
    follow = Notification.objects.get(kind=Kind.FOLLOW_UP)
    assert follow.recipient == people["canbo_kv1"]
    assert "sắp đến hạn" in describe(follow) and "Bổ sung bản sao" in describe(follow)
    # Idempotent: a second sweep tells nothing again.
    before = Notification.objects.count()
    sweep_due_work(on=today())
    assert Notification.objects.count() == before
    # The officer marks the notice done on the task's page, with the document that did it;
    # another unit's officer does not find it.
    url = reverse("changerequest:due-task", args=[task.pk])
    client.force_login(people["canbo_kv2"])
    assert client.get(url).status_code == 404
    client.force_login(people["canbo_kv1"])
    page = client.get(url).content.decode()
    assert "Ngày hết hạn hợp đồng" in page and "Thông báo hết hạn hợp đồng lao động" in page
    assert client.post(url, {"reference": "35/TB-CCT"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.reference) == (DueTask.Status.DONE, "35/TB-CCT")
    with pytest.raises(ValidationError):
        complete_due_task(task=task, user=people["canbo_kv1"], reference="36/TB-CCT")


def test_a_late_follow_up_reminds_then_escalates_to_the_leader(people, follow_up):
    late = follow_up.deadline + datetime.timedelta(days=1)
    sweep_due_work(on=late)
    notes = Notification.objects.filter(kind=Kind.FOLLOW_UP)
    assert {(n.recipient.username, n.params["milestone"]) for n in notes} == {("canbo_kv1", "late")}
    # Ten days on (at least 5 working days even across a holiday): the unit's leader is told.
    sweep_due_work(on=follow_up.deadline + datetime.timedelta(days=10))
    assert set(notes.values_list("recipient__username", "params__milestone")) == {
        ("canbo_kv1", "late"),
        ("lanhdao_kv1", "escalated"),
    }
    assert "Báo cáo lãnh đạo" in describe(notes.get(recipient=people["lanhdao_kv1"]))


def test_a_contract_entered_through_a_request_is_recomputed(client, people, loader, tree):
    worker = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001085000310",
        full_name="Trịnh Văn Hợp",
        employment_status=Employee.EmploymentStatus.CONTRACT,
    )
    refresh_changed(as_of=D(2026, 12, 1))
    assert not DueItem.objects.filter(employee=worker, kind=DueItem.Kind.CONTRACT_END).exists()
    client.force_login(people["canbo_kv1"])
    contract = {"kind": "fixed_term", "number": "7/HĐLĐ", "start_date": "2026-01-05", "end_date": "2027-01-04"}
    response = propose(client, worker, reason="Bổ sung hợp đồng lao động", add={"employmentcontract": [contract]})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not EmploymentContract.objects.exists()  # nothing written before approval
    client.logout()
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, ChangeRequest.objects.get(), "approve").status_code == 302
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPLIED
    assert EmploymentContract.objects.get(employee=worker).history.count() == 1
    run = refresh_changed(as_of=D(2026, 12, 1))
    assert run.recomputed == 1
    item = DueItem.objects.get(employee=worker, kind=DueItem.Kind.CONTRACT_END)
    # Ends Monday 04/01/2027; 15 days before is Sunday 20/12/2026 → Friday 18/12/2026.
    assert (item.due_date, item.notice_deadline) == (D(2027, 1, 4), D(2026, 12, 18))


def test_a_fixed_term_contract_needs_its_end(client, people, loader, tree):
    worker = make_employee(
        tree["kv1"], loader, citizen_id="001085000311", employment_status=Employee.EmploymentStatus.CONTRACT
    )
    client.force_login(people["canbo_kv1"])
    contract = {"kind": "fixed_term", "start_date": "2026-01-05"}
    response = propose(client, worker, reason="Bổ sung hợp đồng", add={"employmentcontract": [contract]})
    assert response.status_code == 200
    assert "Hợp đồng xác định thời hạn phải có ngày kết thúc." in response.content.decode()
    assert not ChangeRequest.objects.exists()
