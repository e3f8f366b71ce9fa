"""Issue 10 in the demo: the loader refreshes the due items and makes the officers' work, so
canbo.kv1 finds a pre-filled salary-step draft in the inbox, which goes through both approval
levels of policy version 2 and ends the person's salary history; loading again adds none."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from records.models import SalaryHistory
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask, DueTask


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def approve_as(client, username, change_request):
    client.force_login(get_user_model().objects.get(username=username))
    task = ChangeRequestTask.objects.get(
        process=change_request.process, flow_task=ChangeRequestFlow.approve, finished__isnull=True
    )
    args = [task.process_id, task.pk]
    assert client.post(reverse("changerequest:approve:assign", args=args)).status_code == 302
    response = client.post(reverse("changerequest:approve:execute", args=args), {"decision": "approve"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_canbo_kv1_finds_a_salary_step_draft_and_it_reaches_the_salary_history(client):
    output = load()
    assert re.search(r"due drafts and deadline tasks created\): [1-9]", output)
    officer = get_user_model().objects.get(username="canbo.kv1")
    client.force_login(officer)
    inbox = client.get(reverse("changerequest:inbox")).content.decode()
    drafts = DueTask.objects.filter(
        kind=DueTask.Kind.SALARY_STEP, status=DueTask.Status.OPEN, employee__managing_unit__code="BTC.CT.KV1"
    ).order_by("deadline", "pk")
    draft = drafts.first()
    assert draft is not None and reverse("changerequest:due-task", args=[draft.pk]) in inbox

    before = DueTask.objects.count()
    assert "due drafts and deadline tasks created): 0" in load()
    assert DueTask.objects.count() == before

    response = client.post(
        reverse("changerequest:due-task", args=[draft.pk]),
        {"decision_number": "88/QĐ-CCTKV1", "effective_date": draft.due_date.isoformat(), "reason": "Đến hạn"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change_request = ChangeRequest.objects.get(due_tasks=draft)
    approve_as(client, "lanhdao.kv1", change_request)
    change_request.refresh_from_db()
    if change_request.status == ChangeRequest.Status.SUBMITTED:  # policy v2: the tax agency's personnel office
        approve_as(client, "tccb.cucthue", change_request)
        change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPLIED
    last = SalaryHistory.objects.filter(employee=draft.employee).order_by("effective_date", "pk").last()
    assert (last.salary_step, str(last.salary_coefficient), last.effective_date) == (
        draft.values["salary_step"],
        draft.values["salary_coefficient"],
        draft.due_date,
    )
    assert last.decision_number == "88/QĐ-CCTKV1" and last.history.last().change_request == change_request
