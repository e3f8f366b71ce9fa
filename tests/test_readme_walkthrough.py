"""The README's walk-through, step by step as written, on the demo data and accounts: canbo.kv1
proposes the next salary step as a salary-history row, lanhdao.kv1 approves, tccb.cucthue
approves the second level, and the person's page and salary history show the new step
(issue 8, defect 14). If this test changes, change the README with it."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from records.models import Employee, SalaryHistory
from tests.pages import fill, payload
from units.templatetags.people import person as person_name
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ChangeRequestTask

DEMO_PASSWORD = "Demo@2026!qlcb"  # as the README gives it
REASON = "Nâng bậc lương thường xuyên theo QĐ 88/QĐ-CCT"
DECISION = "88/QĐ-CCT"


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", employees=40, stdout=io.StringIO())


def log_in(client, username):
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def link(page: str, url: str) -> str:
    assert f'href="{url}"' in page, url
    return url


def queue(client) -> set[int]:
    response = client.get(reverse("changerequest:queue"))
    assert response.status_code == 200
    return {task.process.change_request.pk for task in response.context["object_list"]}


def take_and_approve(client, change_request):
    """Open the request from the queue (the take page shows what it changes), take it, approve."""
    task = ChangeRequestTask.objects.get(
        process=change_request.process, flow_task=ChangeRequestFlow.approve, finished__isnull=True
    )
    take = reverse("changerequest:approve:assign", args=[task.process_id, task.pk])
    page = client.get(take).content.decode()
    assert change_request.employee.full_name in page and change_request.reason in page
    assert client.post(take).status_code == 302
    execute = reverse("changerequest:approve:execute", args=[task.process_id, task.pk])
    assert client.post(execute, {"decision": "approve", "comment": ""}).status_code == 302
    change_request.refresh_from_db()
    return change_request


def test_the_readme_walkthrough_works_as_written(client, demo):
    # canbo.kv1: Hồ sơ cán bộ → a person → Đề xuất thay đổi.
    log_in(client, "canbo.kv1")
    home = client.get("/", follow=True).content.decode()
    assert "Hồ sơ cán bộ" in home
    for person in client.get(reverse("records:employee-list")).context["page"]:
        detail = client.get(reverse("records:employee-detail", args=[person.pk])).content.decode()
        url = link(detail, reverse("records:employee-propose", args=[person.pk]))
        page = client.get(url)
        form = page.context["form"]
        salary = next(formset for formset in form.formsets if formset.prefix == "salaryhistory")
        (offered,) = salary.extra_forms
        if offered.initial:  # not at the last step of their rank
            break
    assert "Diễn biến lương" in page.content.decode()
    assert not {"rank_code", "salary_step", "salary_coefficient"} & set(form.root_form.fields)

    # Diễn biến lương: the empty last row is filled with the next step; add the decision number
    # and, when the row has no date (the step is not due yet), the date it takes effect.
    assert offered.initial["rank_code"] == person.rank_code and offered.initial["salary_step"] == person.salary_step + 1
    row = {"decision_number": DECISION}
    if "effective_date" not in offered.initial:
        row["effective_date"] = timezone.localdate().isoformat()
    response = client.post(url, fill(payload(form), form, reason=REASON, add={"salaryhistory": [row]}))
    assert response.status_code == 302, response.content.decode()[:3000]
    change_request = ChangeRequest.objects.get(employee=person)

    # lanhdao.kv1 finds it in Phê duyệt hồ sơ → Hàng chờ; lanhdao.kv2 does not.
    log_in(client, "lanhdao.kv2")
    assert change_request.pk not in queue(client)
    log_in(client, "lanhdao.kv1")
    assert change_request.pk in queue(client)
    change_request = take_and_approve(client, change_request)

    # Salary changes of a Chi cục have a second level: tccb.cucthue approves in turn.
    assert change_request.status == ChangeRequest.Status.SUBMITTED
    assert Employee.objects.get(pk=person.pk).salary_step == person.salary_step  # not yet
    log_in(client, "tccb.cucthue")
    assert change_request.pk in queue(client)
    change_request = take_and_approve(client, change_request)
    assert change_request.status == ChangeRequest.Status.APPLIED

    # The person's page shows the new step, the new row ends their salary history, and
    # Lịch sử thay đổi shows old → new, proposer, approvers, reason and the request.
    log_in(client, "canbo.kv1")
    updated = Employee.objects.get(pk=person.pk)
    latest = SalaryHistory.latest_of(person.pk)
    assert updated.salary_step == latest.salary_step == person.salary_step + 1
    assert (latest.decision_number, latest.effective_date) == (DECISION, updated.salary_effective_date)
    detail = client.get(reverse("records:employee-detail", args=[person.pk])).content.decode()
    assert re.search(rf"Bậc lương.*?{updated.salary_step}\b", detail, re.DOTALL)
    assert DECISION in detail
    history = client.get(link(detail, reverse("records:employee-history", args=[person.pk]))).content.decode()
    old_new = f'<td class="qlcb-old">{person.salary_step}</td><td class="qlcb-new">{updated.salary_step}</td>'
    assert old_new in history
    users = get_user_model().objects
    assert person_name(users.get(username="canbo.kv1")) in history  # proposer
    assert person_name(users.get(username="tccb.cucthue")) in history  # approver of the last level
    assert REASON in history and reverse("changerequest:process_detail", args=[change_request.process_id]) in history

    # A change of another kind (the current address) needs lanhdao.kv1 alone.
    url = reverse("records:employee-propose", args=[person.pk])
    form = client.get(url).context["form"]
    data = fill(payload(form), form, reason="Đổi nơi ở theo đơn", fields={"current_address": "45 Lê Lợi, Hà Nội"})
    assert client.post(url, data).status_code == 302
    address = ChangeRequest.objects.filter(employee=person).latest("pk")
    log_in(client, "lanhdao.kv1")
    assert take_and_approve(client, address).status == ChangeRequest.Status.APPLIED
    assert Employee.objects.get(pk=person.pk).current_address == "45 Lê Lợi, Hà Nội"


def test_the_demo_port_is_a_make_variable():
    """`make demo PORT=8080` serves on 8080 and prints that address."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    dry = subprocess.run(
        ["make", "-n", "serve", "PORT=8080"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "runserver 127.0.0.1:8080" in dry and "http://127.0.0.1:8080/" in dry
    assert "SITE_URL=http://127.0.0.1:8080" in dry
    default = subprocess.run(["make", "-n", "serve"], cwd=root, capture_output=True, text=True, check=True).stdout
    assert "runserver 127.0.0.1:8000" in default
