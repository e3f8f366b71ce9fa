"""The overdue-approval digest: one per approver per day, only overdue items."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Digest
from notifications.services import queue_overdue_approval_digests
from tests.conftest import make_employee
from tests.workflows.conftest import decide, propose, propose_step
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask


def age_approval_task(change_request, days):
    """Make the pending approval task look `days` old (as if submitted then)."""
    task = ChangeRequestTask.objects.get(process=change_request.process, flow_task=ChangeRequestFlow.approve)
    task.created = timezone.now() - timedelta(days=days)
    task.save(update_fields=["created"])


@pytest.fixture
def two_requests(client, people, tree, loader, employee_kv1):
    """An overdue request (3 days) and a fresh one, both in KV1; one overdue in KV2."""
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
    assert f"#{overdue_kv1.pk} " in kv1_mail.body
    assert f"#{fresh_kv1.pk} " not in kv1_mail.body
    assert f"#{overdue_kv2.pk} " not in kv1_mail.body
    assert "yêu cầu đang chờ bạn phê duyệt" in kv1_mail.subject
    html, mimetype = kv1_mail.alternatives[0]
    assert mimetype == "text/html" and overdue_kv1.employee.full_name in html
    # The submitter and upper-unit users are not reminded of approvals that are not theirs.
    assert "canbo_kv1@example.test" not in by_recipient


def test_sweep_run_twice_sends_one_digest(settings, people, two_requests, django_capture_on_commit_callbacks):
    settings.REMINDER_AFTER_DAYS = 2
    with django_capture_on_commit_callbacks(execute=True):
        queue_overdue_approval_digests()
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_overdue_approval_digests() == []
    assert len(mail.outbox) == 2
    assert Digest.objects.count() == 2
    assert all(d.sent_at for d in Digest.objects.all())


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
    assert [m.to[0] for m in mail.outbox] == ["lanhdao_kv2@example.test"]


def test_reminder_threshold_comes_from_settings(settings, people, two_requests, django_capture_on_commit_callbacks):
    settings.REMINDER_AFTER_DAYS = 4  # only the 5-day-old KV2 request is overdue now
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
    overdue = list_overdue_approvals_by_approver(older_than=timezone.timedelta(days=settings.REMINDER_AFTER_DAYS))
    assert [cr.pk for cr in overdue[deputy]] == [cr.pk for cr in overdue[people["lanhdao_kv1"]]]
    assert overdue[deputy]
