"""The overdue-approval digest: one per approver per day, only overdue items."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Digest, Notification
from notifications.services import queue_overdue_approval_digests
from tests.conftest import make_employee
from tests.workflows.conftest import decide, propose, propose_step
from workdays.calendar import working_calendar
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask


def age_approval_task(change_request, days):
    """Make the pending approval task `days` working days old (as if submitted at noon on the
    latest day that makes it so: weekends and holidays in between do not count)."""
    task = ChangeRequestTask.objects.get(process=change_request.process, flow_task=ChangeRequestFlow.approve)
    submitted_on = working_calendar().age_cutoff(timezone.localdate(), days)
    task.created = timezone.make_aware(datetime.combine(submitted_on, time(12)))
    task.save(update_fields=["created"])


@pytest.fixture
def two_requests(client, people, tree, loader, employee_kv1):
    """An overdue request (3 working days) and a fresh one, both in KV1; one overdue in KV2."""
    other_kv1 = make_employee(tree["kv1"], loader, citizen_id="001085000011", full_name="Lê Văn Cường")
    employee_kv2 = make_employee(tree["kv2"], loader, citizen_id="001085000012", full_name="Phạm Thị Dung")
    client.force_login(people["canbo_kv1"])
    propose_step(client, employee_kv1, 4, "3.33")
    propose(client, other_kv1, main_duties="Đội phó đội kiểm tra")
    client.force_login(people["canbo_kv2"])
    propose_step(client, employee_kv2, 5, "3.66")
    overdue_kv1, fresh_kv1, overdue_kv2 = ChangeRequest.objects.order_by("pk")
    age_approval_task(overdue_kv1, 3)
    age_approval_task(overdue_kv2, 5)
    # These tests are about the overdue section: the notifications of the submissions (tested in
    # test_centre.py) are set aside, as if an earlier digest had carried them.
    Notification.objects.all().delete()
    return overdue_kv1, fresh_kv1, overdue_kv2


def test_sweep_sends_one_digest_per_approver_listing_only_overdue(
    settings, people, two_requests, django_capture_on_commit_callbacks
):
    settings.REMINDER_AFTER_DAYS = 2
    overdue_kv1, fresh_kv1, overdue_kv2 = two_requests
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"lanhdao_kv1@example.test", "lanhdao_kv2@example.test"}
    kv1_mail = by_recipient["lanhdao_kv1@example.test"]
    # The overdue section lists only overdue requests ("- #pk title"); the fresh one is among the
    # day's notifications (it arrived in the approver's queue), not among the overdue.
    assert f"- #{overdue_kv1.pk} " in kv1_mail.body
    assert f"- #{fresh_kv1.pk} " not in kv1_mail.body
    assert f"#{overdue_kv2.pk} " not in kv1_mail.body
    assert "Thư tổng hợp ngày" in kv1_mail.subject
    assert "yêu cầu thay đổi hồ sơ đang chờ bạn phê duyệt từ 2 ngày làm việc trở lên" in kv1_mail.body
    html, mimetype = kv1_mail.alternatives[0]
    assert mimetype == "text/html" and overdue_kv1.employee.full_name in html
    # The submitter and upper-unit users are not reminded of approvals that are not theirs.
    assert "canbo_kv1@example.test" not in by_recipient


def test_sweep_run_twice_sends_one_digest(settings, people, two_requests, django_capture_on_commit_callbacks):
    settings.REMINDER_AFTER_DAYS = 2
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_overdue_approval_digests() == 0
    assert len(mail.outbox) == 2
    assert Digest.objects.count() == 2
    assert all(d.sent_at and d.confirmed_at for d in Digest.objects.all())


def test_next_day_sends_again(settings, people, two_requests, django_capture_on_commit_callbacks):
    settings.REMINDER_AFTER_DAYS = 2
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests(now=timezone.now() + timedelta(days=1))
    assert len(mail.outbox) == 4


def test_decided_requests_are_not_reminded(settings, client, people, two_requests, django_capture_on_commit_callbacks):
    settings.REMINDER_AFTER_DAYS = 2
    overdue_kv1, _, _ = two_requests
    client.force_login(people["lanhdao_kv1"])
    decide(client, overdue_kv1, "approve")
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()
    # The approver is not reminded; the submitter's digest tells them their request was applied.
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo_kv1@example.test", "lanhdao_kv2@example.test"]
    submitter_mail = next(m for m in mail.outbox if m.to[0] == "canbo_kv1@example.test")
    assert "ngày làm việc trở lên" not in submitter_mail.body
    assert f"Yêu cầu #{overdue_kv1.pk} “{overdue_kv1.title}” đã được ghi vào hồ sơ." in submitter_mail.body


def test_reminder_threshold_comes_from_settings(settings, people, two_requests, django_capture_on_commit_callbacks):
    settings.REMINDER_AFTER_DAYS = 4  # only the 5-working-day-old KV2 request is overdue now
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()
    assert [m.to[0] for m in mail.outbox] == ["lanhdao_kv2@example.test"]


def test_taken_task_reminds_only_its_owner(
    settings, client, tree, people, two_requests, django_capture_on_commit_callbacks
):
    from tests.conftest import make_user
    from units.models import Role
    from workflows.flows import ChangeRequestFlow as Flow

    settings.REMINDER_AFTER_DAYS = 2
    make_user("lanhdao2_kv1", (tree["kv1"], Role.APPROVER))
    overdue_kv1, _, _ = two_requests
    task = ChangeRequestTask.objects.get(process=overdue_kv1.process, flow_task=Flow.approve)
    client.force_login(people["lanhdao_kv1"])
    client.post(f"/changerequest/{task.process_id}/approve/{task.pk}/assign/")
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["lanhdao_kv1@example.test", "lanhdao_kv2@example.test"]


def test_delegate_of_an_absent_approver_is_reminded_too(people, tree, two_requests, settings):
    from django.utils import timezone

    from notifications.selectors import list_overdue_approvals_by_approver
    from tests.conftest import make_user
    from units.models import Role
    from workflows.services import create_delegation

    deputy = make_user("pho_kv1", (tree["kv1"], Role.VIEWER))
    today = timezone.localdate()
    create_delegation(
        delegator=people["lanhdao_kv1"], delegate=deputy, valid_from=today, valid_to=today, reason="Nghỉ phép"
    )
    overdue = list_overdue_approvals_by_approver(working_days=settings.REMINDER_AFTER_DAYS)
    assert [cr.pk for cr in overdue[deputy]] == [cr.pk for cr in overdue[people["lanhdao_kv1"]]]
    assert overdue[deputy]


def test_waiting_time_skips_weekends_and_tet(settings, people, two_requests):
    """Submitted on Fri 13/02/2026, the eve of the Tết break (Sat 14/02 – Sun 22/02): on Mon
    23/02 it has waited 1 working day, not 10 calendar days, so it is not overdue after 2; on
    Tue 24/02 it is. The others wait since 09/02 (Mon): overdue on 23/02 either way."""
    from notifications.selectors import list_overdue_approvals_by_approver

    overdue_kv1, fresh_kv1, overdue_kv2 = two_requests
    local = timezone.get_current_timezone()
    for change_request, created in [
        (overdue_kv1, datetime(2026, 2, 13, 16, 0, tzinfo=local)),
        (fresh_kv1, datetime(2026, 2, 9, 9, 0, tzinfo=local)),
        (overdue_kv2, datetime(2026, 2, 12, 9, 0, tzinfo=local)),
    ]:
        ChangeRequestTask.objects.filter(process=change_request.process, flow_task=ChangeRequestFlow.approve).update(
            created=created
        )
    after_the_break = datetime(2026, 2, 23, 9, 0, tzinfo=local)
    overdue = list_overdue_approvals_by_approver(working_days=2, now=after_the_break)
    assert [cr.pk for cr in overdue[people["lanhdao_kv1"]]] == [fresh_kv1.pk]
    assert [cr.pk for cr in overdue[people["lanhdao_kv2"]]] == [overdue_kv2.pk]  # Thu 12/02: 2 days
    next_day = list_overdue_approvals_by_approver(working_days=2, now=after_the_break + timedelta(days=1))
    assert sorted(cr.pk for cr in next_day[people["lanhdao_kv1"]]) == sorted([overdue_kv1.pk, fresh_kv1.pk])


def test_a_weekend_does_not_make_a_friday_request_overdue(settings, people, two_requests):
    from notifications.selectors import list_overdue_approvals_by_approver

    overdue_kv1, _, _ = two_requests
    local = timezone.get_current_timezone()
    ChangeRequestTask.objects.filter(process=overdue_kv1.process, flow_task=ChangeRequestFlow.approve).update(
        created=datetime(2026, 12, 4, 10, 0, tzinfo=local)  # Friday
    )
    monday = datetime(2026, 12, 7, 17, 0, tzinfo=local)
    assert overdue_kv1 not in list_overdue_approvals_by_approver(working_days=2, now=monday).get(
        people["lanhdao_kv1"], []
    )
    tuesday = monday + timedelta(days=1)
    assert overdue_kv1 in list_overdue_approvals_by_approver(working_days=2, now=tuesday)[people["lanhdao_kv1"]]
