"""Reminder and escalation ladders (workflows.escalation): rungs per policy level, counted in
working days, recorded once per waiting and rung, shown on the request's page; the targets see
the request, deciding stays with the level's approvers."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user, setup_context
from tests.workflows.conftest import decide, propose_step
from units.models import Role, Unit
from workflows.escalation import escalate_overdue_approvals, ladder, target_unit
from workflows.models import ChangeRequest, Escalation, EscalationRung
from workflows.permissions import can_approve_change_request, can_view_change_request
from workflows.policy import Level, current_policy
from workflows.selectors import list_change_requests
from workflows.tasks import escalate_overdue_approvals as escalate_task

Target = EscalationRung.Target


def at(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def rungs(db):
    """The unit leader's level: remind its approvers after 2 working days, then take it to the
    parent unit's approvers 3 working days later (5 in all)."""
    policy = current_policy()
    assert policy is not None
    return [
        EscalationRung.objects.create(
            policy=policy, level=Level.UNIT_LEADER, step=1, after_working_days=2, target=Target.LEVEL_APPROVERS
        ),
        EscalationRung.objects.create(
            policy=policy, level=Level.UNIT_LEADER, step=2, after_working_days=3, target=Target.PARENT_APPROVERS
        ),
    ]


@pytest.fixture
def thursday_request(client, people, employee_kv1):
    """KV1's officer proposes a step raise on Thu 10/12/2026 at 10:00."""
    with time_machine.travel(at(2026, 12, 10, 10, 0), tick=False):
        client.force_login(people["canbo_kv1"])
        assert propose_step(client, employee_kv1, 4, "3.33").status_code == 302
        client.logout()
    return ChangeRequest.objects.get(employee=employee_kv1)


def recipients(escalation):
    return sorted(user.username for user in escalation.escalated_to.all())


def test_ladder_adds_each_rung_to_the_one_before(rungs):
    assert [(due, rung.step) for due, rung in ladder(reversed(rungs))] == [(2, 1), (5, 2)]


def test_the_ladder_counts_working_days_and_runs_once(people, rungs, thursday_request):
    # Sat 12/12: 1 working day (Fri 11/12) has passed: nothing yet.
    with time_machine.travel(at(2026, 12, 12, 7, 0), tick=False):
        assert escalate_overdue_approvals() == []
    # Mon 14/12: 2 working days (11/12, 14/12): the level's approver is reminded.
    with time_machine.travel(at(2026, 12, 14, 6, 30), tick=False):
        [reminder] = escalate_overdue_approvals()
        assert escalate_overdue_approvals() == []  # a second run records nothing new
        assert escalate_task.apply().get() == 0  # nor does the Celery task
    assert (reminder.level, reminder.step, reminder.target) == (0, 1, Target.LEVEL_APPROVERS)
    assert reminder.unit.code == "BTC.CT.KV1" and recipients(reminder) == ["lanhdao_kv1"]
    assert "Chờ phê duyệt 2 ngày làm việc ở cấp 1 (Chi cục Thuế khu vực I), quá 2 ngày" in reminder.reason
    # Wed 16/12: 4 working days, the second rung needs 5.
    with time_machine.travel(at(2026, 12, 16, 6, 30), tick=False):
        assert escalate_overdue_approvals() == []
    # Thu 17/12: 5: the Cục's approver (the parent unit's) receives it.
    with time_machine.travel(at(2026, 12, 17, 6, 30), tick=False):
        [escalation] = escalate_overdue_approvals()
        assert escalate_overdue_approvals() == []
    assert (escalation.step, escalation.target) == (2, Target.PARENT_APPROVERS)
    assert recipients(escalation) == ["lanhdao_cuc"]
    assert escalation.at == at(2026, 12, 17, 6, 30)
    assert Escalation.objects.filter(change_request=thursday_request).count() == 2


def test_a_sweep_that_missed_days_records_every_rung_due(people, rungs, thursday_request):
    with time_machine.travel(at(2026, 12, 21, 6, 30), tick=False):
        assert [e.step for e in escalate_overdue_approvals()] == [1, 2]
        assert escalate_overdue_approvals() == []


def test_tet_does_not_count(people, rungs, thursday_request):
    """Waiting since Fri 13/02/2026, the eve of the Tết break (14–22/02): on Mon 23/02 it has
    waited 1 working day, not 10 calendar days; the reminder comes on Tue 24/02. (The task's
    start is moved back rather than the clock: the fixtures' grants start today.)"""
    thursday_request.process.task_set.filter(finished__isnull=True).update(created=at(2026, 2, 13, 15, 0))
    assert escalate_overdue_approvals(now=at(2026, 2, 23, 8, 0)) == []
    assert [e.step for e in escalate_overdue_approvals(now=at(2026, 2, 24, 8, 0))] == [1]
    assert [e.step for e in escalate_overdue_approvals(now=at(2026, 2, 27, 8, 0))] == [2]  # 24, 25, 26, 27


def test_a_decided_level_is_not_escalated(client, people, rungs, thursday_request):
    with time_machine.travel(at(2026, 12, 11, 9, 0), tick=False):
        client.force_login(people["lanhdao_kv1"])
        decide(client, thursday_request, "approve")
    thursday_request.refresh_from_db()
    assert thursday_request.status == ChangeRequest.Status.APPLIED
    with time_machine.travel(at(2026, 12, 31, 6, 30), tick=False):
        assert escalate_overdue_approvals() == []


def test_a_level_with_no_ladder_is_not_escalated(people, thursday_request):
    with time_machine.travel(at(2026, 12, 31, 6, 30), tick=False):
        assert escalate_overdue_approvals() == []


def test_the_escalation_shows_on_the_request_page_and_in_its_history(client, people, rungs, thursday_request):
    with time_machine.travel(at(2026, 12, 14, 6, 30), tick=False):
        escalate_overdue_approvals()
    with time_machine.travel(at(2026, 12, 17, 6, 30), tick=False):
        escalate_overdue_approvals()
        client.force_login(people["lanhdao_cuc"])
        page = client.get(reverse("changerequest:process_detail", args=[thursday_request.process_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhắc, chuyển cấp do quá hạn" in html
    assert "17/12/2026 06:30" in html
    # The summary beside the steps: when, which level, to whom, why.
    assert "Người phê duyệt của đơn vị cấp trên: lanhdao_cuc." in html
    assert "Chờ phê duyệt 5 ngày làm việc ở cấp 1 (Chi cục Thuế khu vực I), quá 5 ngày" in html
    # The history (the steps table) lists steps and escalations in the order they happened.
    history = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = history.split("<tr")[1:]
    assert len(rows) == 4, history  # submitted, the pending approval, two escalations
    assert "Gửi đề xuất" in rows[0]
    assert "qlcb-escalation" in rows[2] and "14/12/2026 06:30" in rows[2] and "lanhdao_kv1" in rows[2]
    assert "qlcb-escalation" in rows[3] and "17/12/2026 06:30" in rows[3] and "lanhdao_cuc" in rows[3]


def test_an_escalation_target_sees_the_request_but_does_not_decide_it(people, thursday_request):
    """Someone outside the request's units to whom it was escalated sees it (its page and the
    request lists); approving stays with the level's approvers and their delegates."""
    outsider = people["nobody"]
    assert not can_view_change_request(outsider, thursday_request)
    escalation = Escalation.objects.create(
        change_request=thursday_request,
        task=thursday_request.process.task_set.get(flow_task_type="HUMAN", finished__isnull=True),
        level=0,
        unit=thursday_request.pending_unit,
        step=1,
        target=Target.LEADER,
        at=timezone.now(),
        reason="Thử",
    )
    escalation.escalated_to.set([outsider])
    assert can_view_change_request(outsider, thursday_request)
    assert list_change_requests(user=outsider).filter(pk=thursday_request.pk).exists()
    assert not can_approve_change_request(outsider, thursday_request)
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    assert not can_view_change_request(outsider, thursday_request)


def test_targets_are_derived_from_the_tree(tree, loader):
    with setup_context(loader):
        department = Unit.objects.add_child(
            Unit.objects.get(pk=tree["cuc"].pk),
            {"code": "BTC.CT.TCCB", "name": "Phòng TCCB", "kind": Unit.Kind.DEPARTMENT, "is_personnel_department": 1},
        )
    make_user("truongphong", (department, Role.APPROVER))
    # A personnel department's leader is the leadership of the unit it belongs to.
    assert target_unit(Target.LEVEL_APPROVERS, department) == department
    assert target_unit(Target.LEADER, department) == tree["cuc"]
    assert target_unit(Target.PARENT_APPROVERS, department) == tree["ministry"]
    # Any other unit leads itself.
    assert target_unit(Target.LEADER, tree["kv1"]) == tree["kv1"]
    assert target_unit(Target.PARENT_APPROVERS, tree["kv1"]) == tree["cuc"]
    assert target_unit(Target.PARENT_APPROVERS, tree["ministry"]) is None


def test_the_queue_shows_working_days_waited(client, people, thursday_request):
    """Submitted Thu 10/12/2026: on Mon 14/12 it has waited 2 working days (Fri 11, Mon 14),
    not 4 calendar days."""
    with time_machine.travel(at(2026, 12, 14, 9, 0), tick=False):
        client.force_login(people["lanhdao_kv1"])
        page = client.get(reverse("changerequest:queue"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Số ngày làm việc đã chờ" in html
        [task] = page.context["object_list"]
        assert page.context["view"].waiting_days(task) == 2
        row = html[html.index(f"#{task.process_id}/{task.pk}") :]
        cells = row[: row.index("</tr>")]
        assert '>10/12/2026 10:00 (3 ngày)</td><td class="vf-list__table-cell-text">2</td>' in cells, (
            cells
        )  # after "waiting since"


def test_a_new_policy_version_keeps_the_ladders(people, rungs):
    from workflows.policy import save_policy

    first = current_policy()
    rules = [{"category": r.category, "unit_kind": r.unit_kind, "levels": r.levels} for r in first.rules.all()]
    second = save_policy(rules=rules, user=people["lanhdao_cuc"], note="Phiên bản mới")
    assert second.version == first.version + 1
    assert [(r.level, r.step, r.after_working_days, r.target) for r in second.escalation_rungs.order_by("step")] == [
        (Level.UNIT_LEADER, 1, 2, Target.LEVEL_APPROVERS),
        (Level.UNIT_LEADER, 2, 3, Target.PARENT_APPROVERS),
    ]
