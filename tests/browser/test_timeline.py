"""The inspectors' timeline (oversight.timeline_views) in Chromium, at desktop and phone widths:
the Cục Thuế inspector filters by approver and dates, the address keeps the filter and reopens
the same view from a bookmark, the xlsx export is downloaded and shows in the export list and the
access log; Kho bạc's inspector sees none of Cục Thuế's rows. No serious or critical axe
violation on the pages walked through."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from records.models import AccessLog, ExportJob, ExportLog
from tests.conftest import make_employee, make_user
from tests.oversight.test_timeline import approve, propose
from units.models import Role
from workflows.models import ChangeRequest

from .conftest import fits_the_width
from .test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


@pytest.fixture
def changes(people, tree, loader, employee_kv1, employee_kv2):
    """KV1: a change approved by lanhdao_kv1 sent 30 days ago, another sent today; KV2: one
    approved by lanhdao_kv2 today; Kho bạc: one waiting."""
    old = propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Kiểm soát nội bộ"}, "Phân công tháng trước")
    approve(old, people["lanhdao_kv1"])
    ChangeRequest.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=30))
    recent = propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Kiểm tra thuế doanh nghiệp"}, "Giao việc mới")
    approve(recent, people["lanhdao_kv1"])
    kv2 = propose(people["canbo_kv2"], employee_kv2, {"main_duties": "Quản lý nợ thuế"}, "Phân công lại")
    approve(kv2, people["lanhdao_kv2"])
    employee_kb = make_employee(tree["kho_bac"], loader, citizen_id="001085000009", full_name="Lê Văn Kho")
    kb = propose(people["canbo_kb"], employee_kb, {"main_duties": "Kiểm soát chi"}, "Điều chỉnh")
    return {"old": old, "recent": recent, "kv2": kv2, "kb": kb}


def rows(page):
    return page.locator("main table.qlcb-table tbody tr")


def filter_form(page):
    return page.locator("main form.qlcb-search")


def test_inspector_filters_bookmarks_and_exports_the_timeline(browse, people, tree, changes, tmp_path):
    inspector = people["thanhtra_cuc"]
    page = browse.login(inspector)
    browse.go("oversight:timeline")
    expect(page.locator("h1")).to_contain_text("Dòng thời gian thay đổi")
    expect(rows(page)).to_have_count(3)  # the Cục's three requests, not Kho bạc's
    expect(page.locator("main")).not_to_contain_text("Lê Văn Kho")
    browse.shot("the whole timeline")
    found = blocking_violations(page, "timeline")
    wide = [] if fits_the_width(page) else ["timeline"]

    form = filter_form(page)
    form.locator("[name=approver]").fill("lanhdao_kv1")
    form.locator("[name=date_from]").fill(day(10))
    form.locator("[name=date_to]").fill(day(0))
    browse.submit(form.locator("button[type=submit]"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["approver"] == ["lanhdao_kv1"]
    assert query["date_from"] == [day(10)] and query["date_to"] == [day(0)]
    expect(rows(page)).to_have_count(1)  # the old one was sent before the range, KV2's by another approver
    expect(rows(page).first).to_contain_text(f"#{changes['recent'].pk}")
    expect(rows(page).first).to_contain_text("Kiểm tra thuế doanh nghiệp")
    expect(rows(page).first).to_contain_text("lanhdao_kv1")
    browse.shot("filtered by approver and dates")
    wide += [] if fits_the_width(page) else ["timeline filtered"]
    bookmark = page.url

    # The bookmark, opened in another browser: the same filters, the same row.
    page = browse.login(inspector)
    page.goto(bookmark)
    form = filter_form(page)
    expect(form.locator("[name=approver]")).to_have_value("lanhdao_kv1")
    expect(form.locator("[name=date_from]")).to_have_value(day(10))
    expect(form.locator("[name=date_to]")).to_have_value(day(0))
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(f"#{changes['recent'].pk}")
    browse.shot("the bookmark reopened")

    # Xuất Excel: a background job (run at once in tests); its page offers the file.
    browse.submit(page.locator("main form[action$='/timeline/export/'] button[type=submit]"))
    job = ExportJob.objects.get(user=inspector)
    expect(page).to_have_url(browse.url("records:export-detail", job.pk))
    download_link = page.locator(f"main a[href='{browse.path('records:export-download', job.pk)}']")
    expect(download_link).to_be_visible()
    browse.shot("the export's page")
    found += blocking_violations(page, "export page")
    wide += [] if fits_the_width(page) else ["export page"]
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    body = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [row[0] for row in body[1:]] == [changes["recent"].pk]
    assert "Nguyễn Văn An" in body[1] and "Trần Thị Bình" not in str(body)

    # Logged: in the export list, and in the access log as an export with its filters.
    log = ExportLog.objects.get(user=inspector)
    assert log.kind == ExportLog.Kind.TIMELINE and log.row_count == 1
    assert log.parameters["approver"] == "lanhdao_kv1" and log.parameters["date_from"] == day(10)
    page.locator(f"main a[href='{browse.path('records:export-list')}']").last.click()
    expect(page).to_have_url(browse.url("records:export-list"))
    detail = browse.path("records:export-detail", job.pk)
    listed = page.locator("main tbody tr", has=page.locator(f"a[href='{detail}']"))
    expect(listed).to_contain_text("Dòng thời gian")
    expect(listed).to_contain_text("Đã xong")
    browse.shot("my exports")
    found += blocking_violations(page, "export list")
    wide += [] if fits_the_width(page) else ["export list"]
    browse.go("records:access-log")
    entry = page.locator("main tbody tr", has_text="người phê duyệt lanhdao_kv1")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Xuất dữ liệu")
    expect(entry).to_contain_text(f"gửi từ {day(10)} đến {day(0)}")
    browse.shot("the access log")
    found += blocking_violations(page, "access log")
    wide += [] if fits_the_width(page) else ["access log"]
    assert AccessLog.objects.filter(user=inspector, export=log, kind=AccessLog.Kind.EXPORT).count() == 1

    # Kho bạc's inspector: none of Cục Thuế's rows, by the bookmark or without a filter, nor the
    # Cục inspector's file or log entry.
    page = browse.login(make_user("thanhtra_kb", (tree["kho_bac"], Role.INSPECTOR)))
    page.goto(bookmark)
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Không có yêu cầu thay đổi nào khớp")
    browse.shot("Kho bac's inspector, the bookmark")
    browse.go("oversight:timeline")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("Lê Văn Kho")
    main = page.locator("main")
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Kiểm tra thuế doanh nghiệp", "Quản lý nợ thuế"):
        expect(main).not_to_contain_text(name)
    browse.shot("Kho bac's inspector, the timeline")
    found += blocking_violations(page, "timeline of another agency")
    response = page.goto(browse.url("records:export-download", job.pk))
    assert response.status == 404
    browse.go("records:access-log")
    expect(page.locator("main")).not_to_contain_text("người phê duyệt lanhdao_kv1")
    assert re.search(r"/access-log/", page.url)
    assert not wide, f"wider than the window (sideways scrolling): {wide}"
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
