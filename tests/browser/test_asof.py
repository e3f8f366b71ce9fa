"""A person's file as of a date and two dates compared (oversight.asof_views, tracking.asof) in
Chromium, at desktop and phone widths: the inspector opens the file as it was before a change
(the old value), then compares a date before the change with today (old → new, and the request
that made it). No serious or critical axe violation on either page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from records.models import SUBRECORD_MODELS, Employee
from tests.conftest import make_employee
from tests.oversight.test_asof import backdate
from tests.oversight.test_timeline import approve, propose

from .conftest import fits_the_width
from .test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OLD, NEW = "Kiểm soát nội bộ", "Thanh tra thuế doanh nghiệp"


def day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


@pytest.fixture
def changed(people, tree, loader):
    """KV1's Nguyễn Văn An, on file ten days ago with OLD duties, given NEW duties today by an
    approved request."""
    employee = make_employee(tree["kv1"], loader, citizen_id="001085000001", main_duties=OLD)
    backdate(10, Employee, *SUBRECORD_MODELS)
    request = propose(people["canbo_kv1"], employee, {"main_duties": NEW}, "Phân công lại nhiệm vụ")
    approve(request, people["lanhdao_kv1"])
    assert Employee.objects.get(pk=employee.pk).main_duties == NEW
    return employee, request


def test_inspector_sees_the_file_before_a_change_and_compares_two_dates(browse, people, changed):
    employee, request = changed
    page = browse.login(people["thanhtra_cuc"])
    browse.go("records:employee-detail", employee.pk)
    main = page.locator("main")
    expect(main).to_contain_text(NEW)
    page.locator(f"main a[href='{browse.path('records:employee-asof', employee.pk)}']").click()
    expect(page).to_have_url(browse.url("records:employee-asof", employee.pk))
    form = page.locator("main form.qlcb-search")
    form.locator("[name=at]").fill(day(5))
    browse.shot("a date before the change")
    browse.submit(form.locator("button[type=submit]"))
    expect(page.get_by_role("status")).to_contain_text(f"Hồ sơ tại thời điểm {day(5)}")
    expect(main).to_contain_text(OLD)
    expect(main).not_to_contain_text(NEW)
    browse.shot("the file as it was")
    found = blocking_violations(page, "file as of a date")
    assert fits_the_width(page)

    page.locator(f"main a[href='{browse.path('records:employee-compare', employee.pk)}']").click()
    expect(page).to_have_url(browse.url("records:employee-compare", employee.pk))
    form = page.locator("main form.qlcb-search")
    form.locator("[name=start]").fill(day(5))
    form.locator("[name=end]").fill(day(0))
    browse.submit(form.locator("button[type=submit]"))
    expect(main.locator("h3").first).to_contain_text(f"Khác biệt giữa {day(5)}")
    changed_row = main.locator("table.qlcb-table tr", has=page.locator("td.qlcb-new", has_text=NEW)).first
    expect(changed_row.locator("td.qlcb-old")).to_have_text(OLD)
    expect(main).to_contain_text(f"Yêu cầu #{request.pk}")  # the request that made the change
    expect(main).to_contain_text("Phân công lại nhiệm vụ")  # with its reason
    browse.shot("two dates compared")
    found += blocking_violations(page, "two dates compared")
    assert fits_the_width(page)

    # Between two dates before the change: nothing changed.
    form.locator("[name=start]").fill(day(8))
    form.locator("[name=end]").fill(day(5))
    browse.submit(form.locator("button[type=submit]"))
    expect(main).to_contain_text("Không có thay đổi giữa hai thời điểm.")
    expect(main).not_to_contain_text(f"Yêu cầu #{request.pk}")
    browse.shot("nothing changed before")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
