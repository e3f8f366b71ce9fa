"""A pending approval older than REMINDER_AFTER_DAYS reaches its approver's mailbox through a
real Celery worker on Redis and a real SMTP server, once per day however often the sweep runs."""

import email
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from notifications.models import Digest
from notifications.tasks import send_overdue_approval_digests
from records.models import Employee, SalaryHistory
from tests.conftest import make_employee
from workdays.calendar import working_calendar
from workflows import changesets
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask
from workflows.services import submit_change_request

# Transactional tests flush the database after each test; serialized rollback restores the
# data migrations (salary table, first policy) for the next one.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_overdue_approval_digest_arrives_once_by_smtp(celery_worker_process, smtp_sink, people, tree, loader):
    employee = make_employee(tree["kv1"], loader, citizen_id="001085000099", full_name="Hoàng Văn Em")
    change_request = submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=employee.managing_unit,
        employee=employee,
        submitted_by=people["canbo_kv1"],
        operations=[
            changesets.make_create(
                SalaryHistory,
                {
                    "employee": employee,
                    "effective_date": date(2022, 1, 1),
                    "rank_code": "01.003",
                    "salary_step": 4,
                    "salary_coefficient": "3.33",
                    "decision_number": "15/QĐ-CCT",
                },
            )
        ],
        reason="Nâng bậc lương thường xuyên",
        title=employee.full_name,
    )
    ChangeRequestTask.objects.filter(process=change_request.process, flow_task=ChangeRequestFlow.approve).update(
        # 3 working days old, whatever today is (weekends and holidays do not count).
        created=timezone.make_aware(datetime.combine(working_calendar().age_cutoff(timezone.localdate(), 3), time(12)))
    )

    # The sweep itself runs in the worker; running it twice must still send one digest.
    send_overdue_approval_digests.delay()
    send_overdue_approval_digests.delay()

    messages = smtp_sink.wait_for(1)
    assert messages, "no email arrived; worker log:\n" + celery_worker_process.log_path.read_text()[-4000:]
    # Give a duplicate, if any, time to arrive before counting.
    messages = smtp_sink.wait_for(2, timeout=10)
    assert [m.rcpt_tos for m in messages] == [["lanhdao_kv1@example.test"]]
    parsed = email.message_from_bytes(messages[0].content)
    body = next(
        part.get_payload(decode=True).decode() for part in parsed.walk() if part.get_content_type() == "text/plain"
    )
    assert f"#{change_request.pk} Hoàng Văn Em" in body
    digest = Digest.objects.get()
    assert digest.recipient == people["lanhdao_kv1"] and digest.sent_at is not None
    assert Employee.objects.get(pk=employee.pk).salary_step == 3  # a reminder changes nothing
