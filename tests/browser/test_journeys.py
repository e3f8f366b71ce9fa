"""Each role's main journey through the pages, at desktop and phone widths (conftest.WIDTHS)."""

import re

import pytest
from playwright.sync_api import expect

from records.models import Employee
from units.models import Role, RoleGrant
from workflows.models import ApprovalPolicy, ChangeRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REASON = "Nâng bậc lương thường xuyên theo QĐ 123/QĐ-CCT"


def propose_step(browse, officer, employee, reason=REASON):
    """The officer finds the employee in the list, opens the change page and proposes the next
    salary step (the page pre-fills the step and coefficient; the date and decision are typed)."""
    page = browse.login(officer)
    browse.go("records:employee-list")
    page.locator(f"a[href='{browse.path('records:employee-detail', employee.pk)}']").first.click()
    expect(page.locator("h1")).to_contain_text(employee.full_name)
    page.locator("a[href$='/propose/']").click()
    form = page.locator("form.qlcb-form")
    row = page.locator("[name='salaryhistory-0-effective_date']")
    form.locator("details", has=row).locator("summary").click()  # the salary section opens
    form.locator("[name='salaryhistory-0-effective_date']").fill("2022-01-01")
    form.locator("[name='salaryhistory-0-decision_number']").fill("15/QĐ-CCT")
    form.locator("[name='reason']").fill(reason)
    browse.shot("proposal filled")
    browse.submit(form.locator("button[type=submit]"))
    browse.shot("proposal sent")


def take_from_queue(browse, approver):
    """The approver opens the queue, the request's task, takes it and comes to the decision form."""
    page = browse.login(approver)
    browse.go("changerequest:queue")
    browse.shot(f"queue of {approver.username}")
    page.locator("a[href*='/approve/']").first.click()
    page.locator("button[name=_continue]").click()
    expect(page.locator("input[name=decision]").first).to_be_visible()
    return page


def decide(browse, approver, decision, comment=""):
    page = take_from_queue(browse, approver)
    page.locator(f"input[name=decision][value={decision}]").check()
    if comment:
        page.locator("[name=comment]").fill(comment)
    browse.shot(f"{decision} by {approver.username}")
    browse.submit(page.locator("form.qlcb-form button[type=submit]"))
    browse.shot(f"after {decision}")
    return page


def open_history(browse, employee):
    page = browse.page
    browse.go("records:employee-list")
    page.locator(f"a[href='{browse.path('records:employee-detail', employee.pk)}']").first.click()
    page.locator(f"a[href='{browse.path('records:employee-history', employee.pk)}']").click()
    expect(page).to_have_url(browse.url("records:employee-history", employee.pk))
    return page


def test_officer_proposes_both_levels_approve_history_shows_it(browse, office):
    employee = office["employee"]
    propose_step(browse, office["canbo_kv1"], employee)
    decide(browse, office["lanhdao_kv1"], "approve")
    # The first approval moves the request to the second level: not applied yet.
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.SUBMITTED
    decide(browse, office["truongphong_tccb"], "approve")
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPLIED

    browse.login(office["canbo_kv1"])
    page = open_history(browse, employee)
    browse.shot("history")
    expect(page.locator("td.qlcb-old", has_text=re.compile(r"^3$")).first).to_be_visible()
    expect(page.locator("td.qlcb-new", has_text=re.compile(r"^4$")).first).to_be_visible()
    main = page.locator("main")
    for text in (REASON, "canbo_kv1", "truongphong_tccb"):
        expect(main).to_contain_text(text)


def test_returned_request_is_corrected_and_resubmitted(browse, office):
    propose_step(browse, office["canbo_kv1"], office["employee"])
    decide(browse, office["lanhdao_kv1"], "return", comment="Thiếu ngày quyết định")
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.RETURNED

    page = browse.login(office["canbo_kv1"])
    browse.go("changerequest:inbox")
    browse.shot("inbox with the returned request")
    page.locator("a[href*='/rework/']").first.click()
    expect(page.locator("main")).to_contain_text("Thiếu ngày quyết định")
    form = page.locator("form.qlcb-form")
    row = page.locator("[name='salaryhistory-0-decision_date']")
    form.locator("details", has=row).locator("summary").click()
    row.fill("2021-12-20")
    form.locator("[name='reason']").fill(REASON + " (bổ sung ngày quyết định)")
    browse.shot("corrected")
    browse.submit(form.locator("button[name=_resubmit]"))
    browse.shot("resubmitted")
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.SUBMITTED

    # Back in the first level's queue, and it goes through both levels.
    decide(browse, office["lanhdao_kv1"], "approve")
    decide(browse, office["truongphong_tccb"], "approve")
    change_request = ChangeRequest.objects.get()
    assert change_request.status == ChangeRequest.Status.APPLIED
    assert change_request.reason.endswith("(bổ sung ngày quyết định)")


def test_rejected_request_is_seen_by_its_submitter(browse, office):
    propose_step(browse, office["canbo_kv1"], office["employee"])
    decide(browse, office["lanhdao_kv1"], "reject", comment="Chưa đủ thời gian giữ bậc")

    page = browse.login(office["canbo_kv1"])
    page.locator("a.qlcb-bell").click()
    expect(page).to_have_url(re.compile(r"/notifications/"))
    notice = page.locator("main a", has_text="Chưa đủ thời gian giữ bậc").first
    expect(notice).to_be_visible()
    browse.shot("notification")
    notice.click()
    expect(page.locator("main")).to_contain_text("Chưa đủ thời gian giữ bậc")
    browse.shot("the rejected request")
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.REJECTED
    assert Employee.objects.get(pk=office["employee"].pk).salary_step == 3


def test_viewer_cannot_change_anything(browse, office):
    employee = office["employee"]
    page = browse.login(office["xem_cuc"])
    browse.go("records:employee-list")
    page.locator(f"a[href='{browse.path('records:employee-detail', employee.pk)}']").first.click()
    expect(page.locator("h1")).to_contain_text(employee.full_name)
    browse.shot("employee page, read only")
    for action in ("propose", "transfer"):
        expect(page.locator(f"main a[href$='/{action}/']")).to_have_count(0)
    response = page.goto(browse.url("records:employee-propose", employee.pk))
    assert response.status == 403
    browse.shot("change page refused")
    response = page.goto(browse.url("changerequest:queue"))
    assert response.status in (403, 404) or not page.locator("a[href*='/approve/']").count()
    assert not ChangeRequest.objects.exists()


def test_administrator_edits_the_policy_and_grants_a_role(browse, office):
    page = browse.login(office["quantri_bo"])
    browse.go("policy:index")
    page.locator(f"main a[href='{browse.path('policy:edit')}']").click()
    row = page.locator("[name='rules-INITIAL_FORMS']").get_attribute("value")
    page.locator(f"[name='rules-{row}-category']").select_option("salary")
    page.locator(f"[name='rules-{row}-unit_kind']").select_option("agency")
    page.locator(f"[name='rules-{row}-level_1']").select_option("unit_leader")
    page.locator("[name=note]").fill("Quyết định 20/QĐ-BTC")
    browse.shot("policy edited")
    page.locator("form.qlcb-form button[type=submit]").click()
    expect(page).to_have_url(browse.url("policy:index"))
    browse.shot("policy issued")
    policy = ApprovalPolicy.objects.order_by("-version").first()
    assert policy.note == "Quyết định 20/QĐ-BTC" and policy.created_by == office["quantri_bo"]
    assert policy.rules.filter(category="salary", unit_kind="agency", levels=["unit_leader"]).exists()

    browse.go("units:grant-list")
    page.locator(f"main a[href='{browse.path('units:grant-new')}']").click()
    page.locator("[name=user]").select_option(str(office["nobody"].pk))
    page.locator("[name=unit]").select_option(str(office["tree"]["kv1"].pk))
    page.locator("[name=role]").select_option(Role.VIEWER)
    page.locator("[name=reason]").fill("QĐ 12/QĐ-CT phân công")
    browse.shot("grant filled")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(browse.url("units:grant-list"))
    browse.shot("granted")
    grant = RoleGrant.objects.get(user=office["nobody"])
    assert grant.granted_by == office["quantri_bo"] and grant.role == Role.VIEWER

    # The grant works on the newcomer's next login.
    page = browse.login(office["nobody"])
    browse.go("records:employee-detail", office["employee"].pk)
    expect(page.locator("h1")).to_contain_text(office["employee"].full_name)


def test_inspector_browses_the_history(browse, office):
    page = browse.login(office["thanhtra_cuc"])
    open_history(browse, office["employee"])
    browse.shot("history")
    expect(page.locator("main")).to_contain_text("Dữ liệu kiểm thử")  # the loader's reason
    browse.go("records:employee-detail", office["employee"].pk)
    expect(page.locator("main a[href$='/propose/']")).to_have_count(0)
    response = page.goto(browse.url("records:employee-propose", office["employee"].pk))
    assert response.status == 403


def test_switching_language(browse, office):
    page = browse.login(office["canbo_kv1"])
    browse.go("records:employee-list")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(browse.url("records:employee-list"))
    browse.shot("in English")
    # Kept on the account: another browser, the next login, still English.
    page = browse.login(office["canbo_kv1"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("select[name=language]").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    browse.shot("back in Vietnamese")
