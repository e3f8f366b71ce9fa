"""The home page in Chromium, at desktop and phone widths: signing in lands on it; the officer
sees their request waiting; the approver sees it in the queue and the charts, drawn inside the
page's width (no sideways scrolling at 390 px), without an axe violation."""

import pytest
from playwright.sync_api import expect

from .conftest import fits_the_width
from .test_accessibility import blocking_violations
from .test_journeys import propose_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_signing_in_lands_on_the_home_page_with_work_and_charts(browse, office):
    propose_step(browse, office["canbo_kv1"], office["employee"])
    page = browse.login(office["canbo_kv1"])
    expect(page).to_have_url(browse.url("home:index"))
    expect(page.locator("h1")).to_contain_text("Trang chủ")
    expect(page.get_by_text("Chờ phê duyệt cấp 1: Chi cục Thuế khu vực I")).to_be_visible()
    browse.shot("officer home")
    found = blocking_violations(page, "officer home")

    page = browse.login(office["lanhdao_kv1"])
    expect(page).to_have_url(browse.url("home:index"))
    expect(page.get_by_text("Yêu cầu chờ tôi phê duyệt")).to_be_visible()
    charts = page.locator("svg.qlcb-chart__svg")
    expect(charts).to_have_count(5)
    box = charts.first.bounding_box()
    assert box["width"] > 200 and box["height"] > 100  # drawn, at the width of its card
    assert fits_the_width(page)
    browse.shot("approver home")
    found += blocking_violations(page, "approver home")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
