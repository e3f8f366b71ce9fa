"""Issue 8, defect 12: every refusal of bad input says what is wrong, in Vietnamese (LANGUAGE vi):
tampered or missing formset data, too many rows, a row that is not the page's, an empty
submission, a NUL. Django's Vietnamese catalogue lacks some of these strings, so ours are used."""

import re

import pytest
from django.urls import reverse

from records.models import Training
from tests.conftest import make_user, setup_context
from tests.pages import fill, payload
from tests.workflows.conftest import open_task, propose, task_url
from units.models import Role
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest

# What a browser sends with any form, even an empty one: the CSRF token (the test client does
# not check it, but with it the POST is not empty, as in real use).
EMPTY = {"csrfmiddlewaretoken": "x"}

ENGLISH = re.compile(
    r"Null characters|Please submit|ManagementForm|tampered|This field|Enter a |Select a valid|Ensure this|"
    r"value must|is not one of|You may need|file a bug"
)


def errors_shown(response) -> list[str]:
    """The texts of the error elements of a re-shown form."""
    body = response.content.decode()
    found = re.findall(
        r'<(?:div|ul|p)[^>]*class="[^"]*(?:errorlist|qlcb-errors)[^"]*"[^>]*>(.*?)</(?:div|ul|p)>', body, re.DOTALL
    )
    return [re.sub(r"<[^>]+>", " ", text).strip() for text in found if re.sub(r"<[^>]+>", "", text).strip()]


def assert_vietnamese_refusal(response, *expected):
    assert response.status_code == 200, response.status_code
    shown = errors_shown(response)
    assert shown, "the form was re-shown with no message"
    text = " ".join(shown)
    assert not ENGLISH.search(response.content.decode()), ENGLISH.search(response.content.decode()).group()
    for part in expected:
        assert part in text, (part, text)


@pytest.fixture
def officer(client, people):
    client.force_login(people["canbo_kv1"])
    return client


def propose_page(client, employee):
    url = reverse("records:employee-propose", args=[employee.pk])
    return url, client.get(url).context["form"]


def test_a_missing_formset_management_form_is_explained(officer, employee_kv1):
    url, form = propose_page(officer, employee_kv1)
    data = fill(payload(form), form, reason="Cập nhật")
    del data["training-TOTAL_FORMS"], data["training-INITIAL_FORMS"]
    response = officer.post(url, data)
    assert_vietnamese_refusal(response, "training-TOTAL_FORMS")
    assert not ChangeRequest.objects.exists()


def test_too_many_rows_are_refused_in_vietnamese(officer, employee_kv1):
    url, form = propose_page(officer, employee_kv1)
    data = fill(payload(form), form, reason="Cập nhật")
    data["training-TOTAL_FORMS"] = "5000"
    response = officer.post(url, data)
    assert_vietnamese_refusal(response, "1000")
    assert not ChangeRequest.objects.exists()


def test_a_row_of_another_person_is_refused_with_a_message(officer, people, loader, employee_kv1, employee_kv2):
    with setup_context(loader):
        theirs = Training(
            employee=employee_kv2,
            kind="course",
            name="Khoá của người khác",
            start_date="2020-01-01",
            end_date="2020-02-01",
        )
        theirs.save()
        mine = Training(
            employee=employee_kv1, kind="course", name="Khoá của tôi", start_date="2021-01-01", end_date="2021-02-01"
        )
        mine.save()
    url, form = propose_page(officer, employee_kv1)
    data = fill(payload(form), form, reason="Cập nhật")
    data["training-0-id"] = str(theirs.pk)
    data["training-0-name"] = "Sửa trộm"
    response = officer.post(url, data)
    assert_vietnamese_refusal(response, "tải lại trang")
    assert Training.objects.get(pk=theirs.pk).name == "Khoá của người khác"
    assert not ChangeRequest.objects.exists()


def test_an_empty_change_page_submission_says_what_is_missing(officer, employee_kv1):
    url, _form = propose_page(officer, employee_kv1)
    response = officer.post(url, EMPTY)
    assert_vietnamese_refusal(response)
    assert not ChangeRequest.objects.exists()


def test_an_invalid_submission_always_has_a_summary_at_the_top(officer, employee_kv1):
    url, form = propose_page(officer, employee_kv1)
    response = officer.post(url, fill(payload(form), form, reason="Cập nhật", fields={"height_cm": "abc"}))
    assert_vietnamese_refusal(response, "Chưa gửi được")


def test_a_decision_without_a_choice_says_so(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, foreign_language="Tiếng Anh B2").status_code == 302
    submitted = ChangeRequest.objects.get()
    client.force_login(people["lanhdao_kv1"])
    task = open_task(submitted, ChangeRequestFlow.approve)
    client.post(task_url(task, "assign"))
    response = client.post(task_url(task, "execute"), {"decision": "maybe", "comment": ""})
    assert_vietnamese_refusal(response)


def test_an_empty_import_upload_says_what_is_missing(officer):
    response = officer.post(reverse("records:import-new"), EMPTY)
    assert_vietnamese_refusal(response)


def test_an_empty_delegation_says_what_is_missing(client, people):
    client.force_login(people["lanhdao_kv1"])
    assert_vietnamese_refusal(client.post(reverse("delegations:index"), EMPTY))


def test_an_empty_grant_says_what_is_missing(client, tree):
    client.force_login(make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN)))
    assert_vietnamese_refusal(client.post(reverse("units:grant-new"), EMPTY))


def test_a_policy_edit_without_its_management_form_is_explained(client, tree):
    client.force_login(make_user("quantri_bo", (tree["ministry"], Role.UNIT_ADMIN)))
    response = client.post(reverse("policy:edit"), {"note": "Sửa"})
    assert_vietnamese_refusal(response, "rules-TOTAL_FORMS")


def test_a_transfer_without_a_target_says_what_is_missing(officer, employee_kv1):
    response = officer.post(reverse("records:employee-transfer", args=[employee_kv1.pk]), EMPTY)
    assert_vietnamese_refusal(response)


def test_a_nul_in_a_form_is_refused_in_vietnamese_not_in_english(officer, employee_kv1):
    url, form = propose_page(officer, employee_kv1)
    response = officer.post(url, fill(payload(form), form, reason="Cập nhật\x00"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "ký tự điều khiển không hợp lệ (U+0000)" in body and not ENGLISH.search(body)
