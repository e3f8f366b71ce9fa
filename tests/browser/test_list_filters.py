"""The employee list's filters and saved filters (records.list_filters, accounts.SavedFilter) in
Chromium, at desktop and phone widths: a unit with its subtree, sex and age band; the filter
saved under a name, reopened from the saved list, deleted. No serious or critical axe violation
on the list with its saved filters open."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import SavedFilter
from records.models import Employee
from tests.conftest import make_employee

from .conftest import fits_the_width
from .test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "Nữ 30–39 tuổi, Cục Thuế"


def born(years_ago: int) -> datetime.date:
    """A birth date `years_ago` years and half a year back: that age, whatever today's date."""
    return timezone.localdate() - datetime.timedelta(days=round(365.25 * years_ago + 180))


@pytest.fixture
def staff(tree, loader, employee_kv1):
    """Besides KV1's Nguyễn Văn An (a man of 40–49): women of 30–39 in KV1 and in KV2, a woman
    of 40–49 in KV1, a woman of 30–39 in Kho bạc (outside the Cục)."""
    female = Employee.Sex.FEMALE
    rows = {
        "dung": (tree["kv1"], "Phạm Thị Dung", 34),
        "em": (tree["kv2"], "Hoàng Thị Em", 36),
        "giang": (tree["kv1"], "Vũ Thị Giang", 45),
        "kho": (tree["kho_bac"], "Lê Thị Kho", 33),
    }
    made = {}
    for n, (key, (unit, name, age)) in enumerate(rows.items()):
        birth = born(age)
        code = ("1" if birth.year < 2000 else "3") + f"{birth.year % 100:02d}"  # a woman's CCCD: century and sex, year
        made[key] = make_employee(
            unit, loader, citizen_id=f"001{code}0001{n:02d}", full_name=name, sex=female, date_of_birth=birth
        )
    return {**made, "an": employee_kv1}


def names(page) -> list[str]:
    return page.locator("main table.qlcb-table tbody tr td:first-child a").all_inner_texts()


def test_filter_by_unit_sex_and_age_saved_reopened_and_deleted(browse, people, tree, staff):
    viewer = people["xem_cuc"]  # reads the Cục and both Chi cục
    page = browse.login(viewer)
    browse.go("records:employee-list")
    expect(page.locator("main table.qlcb-table tbody tr")).to_have_count(4)  # the Cục's four, not Kho bạc's
    form = page.locator("main form.qlcb-filters")
    form.locator("select[name=unit]").select_option(label="Cục Thuế")
    form.locator("select[name=sex]").select_option(Employee.Sex.FEMALE)
    form.locator("select[name=age]").select_option("30-39")
    browse.shot("filters chosen")
    browse.submit(form.locator("button[type=submit]"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"unit": [str(tree["cuc"].pk)], "sex": ["female"], "age": ["30-39"], "sort": ["name"]}
    # The Cục with its subtree: both Chi cục's women of 30–39, in Vietnamese order (Dung < Em).
    expect(page.locator("main table.qlcb-table tbody tr")).to_have_count(2)
    assert names(page) == ["Phạm Thị Dung", "Hoàng Thị Em"]
    filtered = page.url

    saved = page.locator("main details.qlcb-saved-filters")
    expect(saved.get_by_text("Chưa có bộ lọc nào được lưu.")).to_be_hidden()  # closed while none is saved
    saved.locator("summary").click()
    saved.get_by_label("Tên bộ lọc").fill(NAME)  # its visible label, with the required mark
    browse.shot("naming the filter")
    saved.locator("button[type=submit]", has_text="Lưu bộ lọc hiện tại").click()
    expect(page.locator("vf-snackbar")).to_contain_text("Đã lưu bộ lọc.")
    expect(saved.get_by_role("link", name=NAME)).to_be_visible()
    assert SavedFilter.objects.get(user=viewer).name == NAME
    assert parse_qs(urlsplit(page.url).query) == parse_qs(urlsplit(filtered).query)  # still filtered
    browse.shot("saved")

    # Another day: the list unfiltered, the saved filter reopened from its list.
    page = browse.login(viewer)
    browse.go("records:employee-list")
    expect(page.locator("main table.qlcb-table tbody tr")).to_have_count(4)
    saved = page.locator("main details.qlcb-saved-filters")
    expect(saved).to_have_attribute("open", "")  # open as soon as one is saved
    found = blocking_violations(page, "employee list with saved filters")
    browse.shot("the saved filter listed")
    saved.get_by_role("link", name=NAME).click()
    page.wait_for_url(lambda url: "sex=female" in url)
    assert parse_qs(urlsplit(page.url).query) == parse_qs(urlsplit(filtered).query)
    assert names(page) == ["Phạm Thị Dung", "Hoàng Thị Em"]
    form = page.locator("main form.qlcb-filters")
    expect(form.locator("select[name=unit]")).to_have_value(str(tree["cuc"].pk))
    expect(form.locator("select[name=sex]")).to_have_value("female")
    expect(form.locator("select[name=age]")).to_have_value("30-39")
    browse.shot("the saved filter reopened")
    found += blocking_violations(page, "employee list filtered")
    assert fits_the_width(page)

    # Deleted: gone from the saved list and from the database.
    saved.get_by_role("button", name=f"Xoá bộ lọc {NAME}").click()
    expect(page.locator("vf-snackbar")).to_contain_text("Đã xoá bộ lọc.")
    expect(saved.get_by_role("link", name=NAME)).to_have_count(0)
    assert not SavedFilter.objects.filter(user=viewer).exists()
    browse.shot("deleted")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
