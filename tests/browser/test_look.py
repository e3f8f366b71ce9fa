"""One consistent look (issue #12), measured in Chromium at desktop and phone widths: the body
and the textareas are drawn in Roboto (the frame's face, from viewflow's own static files, not
a serif or a monospace fallback), every page shows its breadcrumbs, a required field's label
its mark, and each list fits a 390 px screen without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from .conftest import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FACES = """() => {
  const face = (el) => el ? getComputedStyle(el).fontFamily : null;
  return {body: face(document.body), textarea: face(document.querySelector('textarea')),
          select: face(document.querySelector('main select'))};
}"""
# Once the page's fonts are settled: whether a Roboto face was downloaded and used (a family
# named in CSS with no font behind it would fall back silently).
ROBOTO_LOADED = """() => document.fonts.ready.then(() =>
  [...document.fonts].some((f) => f.family.replace(/["']/g, '') === 'Roboto' && f.status === 'loaded'))"""
# What sticks out on the right: the outermost elements past the window's edge (to name the culprit).
OVERFLOWING = """() => {
  const out = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
  const names = [];
  for (const el of document.querySelectorAll('body *')) {
    if (out(el) && !out(el.parentElement) && names.length < 5) {
      const c = typeof el.className === 'string' ? el.className.trim() : '';
      const cls = c ? '.' + c.split(/\\s+/).join('.') : '';
      names.push(el.tagName.toLowerCase() + cls + ' ' + Math.round(el.getBoundingClientRect().width) + 'px');
    }
  }
  return names;
}"""


def starts_with_roboto(family) -> bool:
    return family is not None and family.replace('"', "").replace("'", "").split(",")[0].strip() == "Roboto"


def check(page, label, *, textarea=False, list_page=False) -> list[str]:
    found = []
    faces = page.evaluate(FACES)
    if not starts_with_roboto(faces["body"]):
        found.append(f"{label}: body in {faces['body']}")
    if textarea and not starts_with_roboto(faces["textarea"]):
        found.append(f"{label}: textarea in {faces['textarea']}")
    if faces["select"] is not None and not starts_with_roboto(faces["select"]):
        found.append(f"{label}: select in {faces['select']}")
    if not page.evaluate(ROBOTO_LOADED):
        found.append(f"{label}: no Roboto face loaded")
    crumbs = page.get_by_role("navigation", name="Đường dẫn")
    if crumbs.count() != 1 or not crumbs.first.is_visible():
        found.append(f"{label}: no breadcrumbs shown")
    elif not crumbs.first.inner_text().startswith("Trang chủ"):
        found.append(f"{label}: breadcrumbs {crumbs.first.inner_text()!r}")
    if list_page and not fits_the_width(page):
        width = page.evaluate("document.documentElement.scrollWidth")
        culprits = ", ".join(page.evaluate(OVERFLOWING))
        found.append(f"{label}: {width} px wide in a {page.viewport_size['width']} px window ({culprits})")
    return found


def test_main_pages_are_in_roboto_with_breadcrumbs(browse, office, width):
    employee = office["employee"]
    found = []
    page = browse.login(office["canbo_kv1"])
    pages = [
        ("home", "home:index", (), {}),
        ("employee list", "records:employee-list", (), {"list_page": True}),
        ("employee page", "records:employee-detail", (employee.pk,), {}),
        ("change page", "records:employee-propose", (employee.pk,), {"textarea": True}),
        ("units", "units:unit-list", (), {"list_page": True}),
        ("inbox", "changerequest:inbox", (), {"list_page": True}),
        ("notifications", "notifications:index", (), {"list_page": True}),
        ("due work", "duedates:due-list", (), {"list_page": True}),
    ]
    for label, name, args, kinds in pages:
        browse.go(name, *args)
        page.wait_for_load_state()
        found += check(page, label, **kinds)
        browse.shot(label)
    assert page.get_by_role("navigation", name="Đường dẫn").inner_text().replace("\n", " ").startswith("Trang chủ")

    # The required mark on the change page: the reason's label, hidden from screen readers.
    browse.go("records:employee-propose", employee.pk)
    mark = page.locator("label[for=id_reason] .qlcb-required")
    expect(mark).to_have_attribute("aria-hidden", "true")
    expect(page.locator("#id_reason")).to_have_attribute("required", "")

    page = browse.login(office["quantri_bo"])
    browse.go("policy:edit")
    found += check(page, "policy editor")
    # An empty row reads as empty: its choices say "— Chưa đặt —", in the muted grey.
    last = page.locator("table.qlcb-rows tbody tr").last
    expect(last.locator("select").first).to_have_value("")
    assert "Chưa đặt" in last.locator("select").first.locator("option:checked").inner_text()
    grey = last.locator("select").first.evaluate("(el) => getComputedStyle(el).color")
    assert grey == "rgb(97, 97, 97)", grey
    browse.shot("policy editor")
    browse.go("units:grant-list")
    found += check(page, "grants", list_page=True)
    assert not found, "\n".join(found)
