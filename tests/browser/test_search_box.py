"""The search box of the top bar (home.search), at desktop and phone widths (where the box is an
icon that opens it over the whole bar): a name and a unit's name typed without diacritics find
the person, the unit and the request about the person, in their groups; a click on the person
opens their file; someone who may not see the person does not find them. The results page has
no serious or critical axe violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_employee
from tests.oversight.test_timeline import propose

from .conftest import fits_the_width
from .test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def search(browse, words: str):
    """Type `words` in the top bar's box and press Enter: the results page. On a phone the box is
    the search icon: a tap opens it over the whole top bar, wide enough to read what is typed."""
    page = browse.page
    box = page.locator("form.qlcb-topsearch input[name=q]")
    if browse.viewport["width"] <= 600:
        expect(box).not_to_be_visible()  # closed: the icon alone in the bar
        before = page.url
        page.locator("form.qlcb-topsearch button").click()
        expect(box).to_be_focused()
        assert box.bounding_box()["width"] >= browse.viewport["width"] * 0.7
        assert page.url == before  # the tap opened the box, it sent nothing
        box.fill("")
        box.press_sequentially(words)
        browse.shot(f"typing {words!r} on a phone")
    else:
        box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator("h1")).to_contain_text("Tìm kiếm")
    return page


def group(page, key: str):
    return page.locator(f"section[aria-labelledby='group-{key}']")


def test_a_name_and_a_unit_typed_without_diacritics_are_found_and_open(browse, people, tree, loader, employee_kv1):
    other = make_employee(tree["kv2"], loader, citizen_id="001085000077", full_name="Nguyễn Văn Ánh")
    request = propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Kiểm tra thuế"}, "Giao việc mới")

    page = browse.login(people["canbo_kv1"])
    search(browse, "nguyen van an")
    for heading in ("Cán bộ", "Đơn vị", "Yêu cầu thay đổi"):
        expect(page.locator("main h2", has_text=heading)).to_be_visible()
    found = group(page, "people")
    expect(found.get_by_role("link", name="Nguyễn Văn An")).to_be_visible()
    expect(found).not_to_contain_text("Nguyễn Văn Ánh")  # KV2's: not in the officer's scope
    expect(group(page, "requests")).to_contain_text(f"#{request.pk}")  # the request about him
    expect(group(page, "units")).to_contain_text("Không tìm thấy đơn vị nào.")
    browse.shot("a name without diacritics")
    found_violations = blocking_violations(page, "search results")
    assert fits_the_width(page)

    search(browse, "chi cuc thue khu vuc")
    units = group(page, "units")
    expect(units.get_by_role("link", name="Chi cục Thuế khu vực I", exact=True)).to_be_visible()
    expect(units).not_to_contain_text("Chi cục Thuế khu vực II")
    expect(group(page, "people")).to_contain_text("Không tìm thấy cán bộ nào.")
    browse.shot("a unit without diacritics")
    assert fits_the_width(page)

    search(browse, "nguyen van an")
    group(page, "people").get_by_role("link", name="Nguyễn Văn An").click()
    expect(page).to_have_url(browse.url("records:employee-detail", employee_kv1.pk))
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn An")
    browse.shot("the person's file")

    # KV2's officer may not see KV1's people: the name finds only their own Nguyễn Văn Ánh, and
    # neither KV1's person nor the request about him.
    page = browse.login(people["canbo_kv2"])
    search(browse, "nguyen van an")
    found = group(page, "people")
    expect(found.get_by_role("link", name="Nguyễn Văn Ánh")).to_be_visible()
    expect(found.get_by_role("link", name="Nguyễn Văn An", exact=True)).to_have_count(0)
    expect(page.locator(f"main a[href='{browse.path('records:employee-detail', employee_kv1.pk)}']")).to_have_count(0)
    expect(group(page, "requests")).to_contain_text("Không tìm thấy yêu cầu nào.")
    assert other.pk != employee_kv1.pk
    browse.shot("another Chi cuc's officer")

    # Someone with no grant at all finds nobody.
    page = browse.login(people["nobody"])
    search(browse, "nguyen van")
    expect(group(page, "people")).to_contain_text("Không tìm thấy cán bộ nào.")
    browse.shot("no grant, nobody found")
    found_violations += blocking_violations(page, "search results, nothing found")
    assert not found_violations, "serious or critical accessibility violations:\n" + "\n".join(found_violations)
