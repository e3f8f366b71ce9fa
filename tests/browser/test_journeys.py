"""Each role's main journey through the pages, at desktop and phone widths (conftest.WIDTHS)."""

import re

import pytest
from playwright.sync_api import expect

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
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
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
    page.locator("form.qlcb-form button[type=submit]").click()
    page.wait_for_load_state()
    browse.shot(f"after {decision}")
    return page


def test_officer_proposes_both_levels_approve_history_shows_it(browse, office):
    employee = office["employee"]
    propose_step(browse, office["canbo_kv1"], employee)
    decide(browse, office["lanhdao_kv1"], "approve")
    decide(browse, office["truongphong_tccb"], "approve")

    page = browse.login(office["thanhtra_cuc"])
    browse.go("records:employee-detail", employee.pk)
    page.locator("a[href$='/history/']").click()
    expect(page.locator("td.qlcb-new").first).to_be_visible()
    browse.shot("history")
    content = page.locator("main, body").first
    expect(content).to_contain_text(REASON)
    expect(content).to_contain_text("canbo_kv1")
    expect(content).to_contain_text("truongphong_tccb")
