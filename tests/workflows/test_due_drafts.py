"""Issue 10: a due salary step becomes a pre-filled draft in the inbox of the officers who may
propose for the person; the officer completes the decision and submits it into the ordinary
approval flow, which writes the salary-history row. Made once per due item and date, however
often the refresh and the sweep run."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duedates.models import DueItem, DueState
from duedates.services import refresh_due_items
from notifications.due_work import sweep_due_work
from notifications.models import Kind, Notification
from records.models import Employee, SalaryHistory
from records.models.employee import today
from records.permissions import can_propose_change, list_officers_for_employee
from tests.conftest import make_employee, make_user, setup_context
from units.models import Role
from workflows import due_work, services
from workflows.models import ChangeRequest, Decision, DueTask

from .conftest import decide

D = datetime.date
STEP_SINCE = D(2023, 3, 14)  # 01.003 (A1: 36 months) at step 3 since then: step 4 due 14/03/2026


@pytest.fixture
def due_person(tree, loader):
    return make_employee(
        tree["kv1"], loader, citizen_id="001085000101", full_name="Lê Văn Đến", salary_effective_date=STEP_SINCE
    )


def refresh_and_sweep():
    refresh_due_items(as_of=today())
    return sweep_due_work()


def draft_of(employee):
    return DueTask.objects.get(employee=employee, kind=DueTask.Kind.SALARY_STEP)


def due_url(task):
    return reverse("changerequest:due-task", args=[task.pk])


def submit_draft(client, task, **fields):
    data = {"decision_number": "45/QĐ-CCT", "effective_date": "2026-03-14", "reason": "Đến hạn nâng bậc", **fields}
    return client.post(due_url(task), data)


def test_a_due_salary_step_is_a_prefilled_draft_in_the_officers_inbox(client, people, due_person):
    refresh_and_sweep()
    draft = draft_of(due_person)
    assert draft.status == DueTask.Status.OPEN
    assert draft.due_date == draft.deadline == D(2026, 3, 14)
    assert draft.values["rank_code"] == "01.003"
    assert draft.values["salary_step"] == 4
    assert Decimal(draft.values["salary_coefficient"]) == Decimal("3.33")  # the table in force on 14/03/2026
    client.force_login(people["canbo_kv1"])
    inbox = client.get(reverse("changerequest:inbox")).content.decode()
    assert due_url(draft) in inbox and "Lê Văn Đến" in inbox
    page = client.get(due_url(draft)).content.decode()
    assert "3,33" in page and "14/03/2026" in page  # the decimal comma


def test_an_officer_of_another_unit_gets_no_draft_and_no_notification(client, people, due_person):
    refresh_and_sweep()
    draft = draft_of(due_person)
    # Those who do not see the person: 404; those who see but may not propose (upper units,
    # the approver): 403, as on the person's change page.
    for outsider, status in (("canbo_kv2", 404), ("canbo_kb", 404), ("lanhdao_kv1", 403), ("xem_cuc", 403)):
        client.force_login(people[outsider])
        assert due_url(draft) not in client.get(reverse("changerequest:inbox")).content.decode()
        assert client.get(due_url(draft)).status_code == status, outsider
        assert submit_draft(client, draft).status_code == status, outsider
    assert not Notification.objects.filter(recipient__in=[people["canbo_kv2"], people["lanhdao_kv1"]]).exists()
    assert not ChangeRequest.objects.exists()


def test_submitting_the_draft_goes_through_approval_and_writes_the_salary_history_row(client, people, due_person):
    refresh_and_sweep()
    draft = draft_of(due_person)
    client.force_login(people["canbo_kv1"])
    response = submit_draft(client, draft, decision_date="2026-03-10")
    assert response.status_code == 302, response.content.decode()[:2000]
    change_request = ChangeRequest.objects.get()
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.SUBMITTED and draft.change_request == change_request
    assert change_request.status == ChangeRequest.Status.SUBMITTED
    assert change_request.submitted_by == people["canbo_kv1"]

    client.force_login(people["lanhdao_kv1"])
    assert decide(client, change_request, "approve").status_code == 302
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPLIED
    row = SalaryHistory.objects.get(employee=due_person)
    assert (row.rank_code, row.salary_step, row.salary_coefficient, row.effective_date) == (
        "01.003",
        4,
        Decimal("3.33"),
        D(2026, 3, 14),
    )
    assert row.decision_number == "45/QĐ-CCT" and row.decision_date == D(2026, 3, 10)
    version = row.history.get()
    assert version.change_request == change_request
    assert version.approved_by == people["lanhdao_kv1"] and version.proposed_by == people["canbo_kv1"]
    assert "Đến hạn nâng bậc" in version.history_change_reason
    employee = Employee.objects.get(pk=due_person.pk)
    assert (employee.salary_step, employee.salary_effective_date) == (4, D(2026, 3, 14))

    # The next refresh sees the step applied: the draft is done, the new step's date is years away.
    counts = refresh_and_sweep()
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.DONE and counts["done"] == 1
    assert DueItem.objects.get(employee=due_person, kind="salary_step").due_date == D(2029, 3, 14)
    assert DueTask.objects.filter(employee=due_person, kind=DueTask.Kind.SALARY_STEP).count() == 1


def test_a_draft_without_a_decision_number_is_refused_in_vietnamese_and_nothing_is_written(client, people, due_person):
    refresh_and_sweep()
    draft = draft_of(due_person)
    client.force_login(people["canbo_kv1"])
    response = submit_draft(client, draft, decision_number="  ")
    assert response.status_code == 200
    assert "Phải nhập số quyết định." in response.content.decode()
    response = submit_draft(client, draft, effective_date="")
    assert "Phải nhập ngày hưởng." in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert not SalaryHistory.objects.filter(employee=due_person).exists()
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.OPEN and draft.change_request is None


def test_a_draft_refused_by_the_records_rules_leaves_the_draft_open(people, due_person):
    """A date the salary table refuses (more than a year ahead) is refused by the service's dry
    run: no request, the draft still open."""
    refresh_and_sweep()
    draft = draft_of(due_person)
    with pytest.raises(services.ValidationError):
        due_work.submit_due_draft(
            task=draft,
            user=people["canbo_kv1"],
            decision_number="1/QĐ",
            decision_date=None,
            effective_date=today() + datetime.timedelta(days=800),
            reason="Thử",
        )
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.OPEN and not ChangeRequest.objects.exists()


def test_refreshing_and_sweeping_twice_makes_one_draft_and_one_notification(people, due_person):
    first = refresh_and_sweep()
    second = refresh_and_sweep()
    assert first["created"] >= 1 and second["created"] == 0
    assert DueTask.objects.filter(employee=due_person, kind=DueTask.Kind.SALARY_STEP).count() == 1
    draft = draft_of(due_person)
    told = Notification.objects.filter(kind=Kind.DUE_WORK, target_key=f"workflows.duetask:{draft.pk}")
    assert list(told.values_list("recipient__username", flat=True)) == ["canbo_kv1"]
    # The due items rewritten (a rule change recomputes everyone): still the same draft.
    DueItem.objects.filter(employee=due_person).delete()
    refresh_due_items(as_of=today(), employee_ids=[due_person.pk])
    refresh_and_sweep()
    assert DueTask.objects.get(employee=due_person, kind=DueTask.Kind.SALARY_STEP).pk == draft.pk
    assert told.count() == 1


def test_a_draft_whose_due_item_went_away_is_obsolete(people, due_person, loader):
    refresh_and_sweep()
    draft = draft_of(due_person)
    with setup_context(loader):  # the step was raised outside the draft (an earlier decision on file)
        SalaryHistory.objects.create(
            employee=due_person,
            effective_date=D(2026, 1, 1),
            rank_code="01.003",
            salary_step=4,
            salary_coefficient=Decimal("3.33"),
            decision_number="9/QĐ",
        )
        due_person.salary_step, due_person.salary_coefficient = 4, Decimal("3.33")
        due_person.salary_effective_date = D(2026, 1, 1)
        due_person.save()
    refresh_and_sweep()
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.OBSOLETE
    assert not due_work.list_due_tasks(user=people["canbo_kv1"]).filter(pk=draft.pk).exists()


def test_a_draft_whose_request_was_rejected_is_open_again(people, due_person):
    refresh_and_sweep()
    draft = draft_of(due_person)
    change_request = due_work.submit_due_draft(
        task=draft,
        user=people["canbo_kv1"],
        decision_number="45/QĐ-CCT",
        decision_date=None,
        effective_date=D(2026, 3, 14),
        reason="Đến hạn",
    )
    services.decide_change_request(
        change_request=change_request, user=people["lanhdao_kv1"], decision=Decision.REJECT, comment="Chưa đủ hồ sơ"
    )
    assert refresh_and_sweep()["reopened"] == 1
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.OPEN and draft.change_request is None


def test_the_officers_who_get_the_work_are_those_who_may_propose(tree, people, due_person):
    """Both forms of the one rule agree, over every account of the fixtures and a new officer."""
    make_user("canbo_kv1_b", (tree["kv1"], Role.OFFICER))
    gone = make_user("canbo_kv1_off", (tree["kv1"], Role.OFFICER))
    gone.is_active = False
    gone.save()
    officers = set(list_officers_for_employee(due_person).values_list("username", flat=True))
    assert officers == {"canbo_kv1", "canbo_kv1_b"}
    for user in get_user_model().objects.filter(is_active=True):
        assert can_propose_change(user, due_person) == (user.username in officers), user.username


def test_the_officers_inbox_takes_the_same_queries_whatever_the_number_of_due_tasks(client, people, tree, loader):
    client.force_login(people["canbo_kv1"])

    def inbox_queries():
        client.get(reverse("changerequest:inbox"))  # warm: sessions, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("changerequest:inbox"))
        assert response.status_code == 200
        return len(queries), response.content.decode().count("/changerequest/due/")

    def grow(start, stop):
        for n in range(start, stop):
            make_employee(
                tree["kv1"],
                loader,
                citizen_id=f"0010850004{n:02d}",
                full_name=f"Người {n}",
                salary_effective_date=STEP_SINCE,
            )
        refresh_and_sweep()

    grow(0, 2)
    few, shown = inbox_queries()
    assert shown == 2
    grow(2, 8)
    more, shown = inbox_queries()
    assert (more, shown) == (few, 8)


def test_a_draft_made_obsolete_reopens_when_its_due_item_comes_back(people, due_person):
    refresh_and_sweep()
    draft = draft_of(due_person)
    DueItem.objects.filter(employee=due_person).delete()  # as if the step had moved away
    assert sweep_due_work()["obsolete"] == 1
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.OBSOLETE
    DueState.objects.filter(employee=due_person).delete()  # recomputed: the same date again
    refresh_and_sweep()
    draft.refresh_from_db()
    assert draft.status == DueTask.Status.OPEN and draft.closed_at is None
    assert DueTask.objects.filter(employee=due_person, kind=DueTask.Kind.SALARY_STEP).count() == 1
