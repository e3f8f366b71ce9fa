"""A system administrator cancels a request's process from its page: the request ends
`cancelled` with who and why in its history, its tasks are cancelled, the submitter is told, and
nothing waits on it any more (no queue task, no overdue reminder). The cancellation is one
transaction: without a reason, nothing changes."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from notifications.models import Kind, Notification
from notifications.texts import describe
from records.models import Employee
from tests.conftest import make_user
from units.models import Role
from workflows.models import ChangeRequest, ChangeRequestTask
from workflows.selectors import list_approvable_change_requests

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(tree):
    """A system administrator; the approval app is for users with a grant, so one to read KV1."""
    user = make_user("quantri", (tree["kv1"], Role.VIEWER))
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def cancel_url(change_request):
    return reverse("changerequest:process_cancel", args=[change_request.process_id])


def test_cancelling_ends_the_request_with_its_reason_and_tells_the_submitter(client, people, submitted, root):
    client.force_login(root)
    page = client.get(cancel_url(submitted))
    assert page.status_code == 200 and "Lý do huỷ" in page.content.decode()
    response = client.post(cancel_url(submitted), {"_cancel_process": "1", "reason": "Lập nhầm đơn vị"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.CANCELLED
    assert (submitted.decided_by, submitted.decision_comment, submitted.pending_unit) == (root, "Lập nhầm đơn vị", None)
    assert submitted.process.status == STATUS.CANCELED
    tasks = ChangeRequestTask.objects.filter(process=submitted.process)
    assert not tasks.exclude(status__in=(STATUS.CANCELED, STATUS.DONE)).exists()
    assert tasks.filter(status=STATUS.CANCELED).exists()
    last = submitted.history.order_by("-history_id").first()
    assert (last.status, last.history_user, last.history_change_reason) == ("cancelled", root, "Lập nhầm đơn vị")
    (note,) = Notification.objects.filter(kind=Kind.CANCELLED)
    assert note.recipient == people["canbo_kv1"] and "Lập nhầm đơn vị" in describe(note)
    assert not list_approvable_change_requests(user=people["lanhdao_kv1"]).filter(pk=submitted.pk).exists()
    assert Employee.objects.get(pk=submitted.employee_id).salary_step == 3


def test_without_a_reason_nothing_is_cancelled(client, submitted, root):
    client.force_login(root)
    response = client.post(cancel_url(submitted), {"_cancel_process": "1", "reason": "  "})
    assert response.status_code == 400 and "Phải nêu lý do" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.SUBMITTED and submitted.process.status == STATUS.NEW
    assert not Notification.objects.filter(kind=Kind.CANCELLED).exists()


def test_only_a_system_administrator_may_cancel(client, people, submitted):
    for who in ("canbo_kv1", "lanhdao_kv1"):
        client.force_login(people[who])
        assert client.post(cancel_url(submitted), {"_cancel_process": "1", "reason": "x"}).status_code in (403, 404)
    submitted.refresh_from_db()
    assert submitted.status == ChangeRequest.Status.SUBMITTED


def test_an_ended_request_cannot_be_cancelled(client, submitted, root):
    client.force_login(root)
    client.post(cancel_url(submitted), {"_cancel_process": "1", "reason": "Lập nhầm"})
    response = client.post(cancel_url(submitted), {"_cancel_process": "1", "reason": "Lần nữa"})
    assert response.status_code == 400 and "không huỷ được nữa" in response.content.decode()
    assert Notification.objects.filter(kind=Kind.CANCELLED).count() == 1
