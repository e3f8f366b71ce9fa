"""The browser suite: Playwright's Python package driving the system's Chromium (Debian's
`chromium`; Playwright's own browser download is not used) against pytest-django's live
server. One browser for the session, a fresh context (cookies, storage) per test. Each step's
screenshot goes to var/browser-screenshots/<test>/, wiped when the session starts and kept
after it (a failing test's path is printed). Run by .ci/run; `make test` leaves it out."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "browser-screenshots"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def _unavailable(why: str):
    """In CI a missing browser fails the run; elsewhere the suite is skipped, saying why."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser suite: {why}", pytrace=False)
    pytest.skip(f"browser suite: {why}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements.txt)")
    executable = chromium_path()
    if executable is None:
        _unavailable("no chromium on PATH (Debian: apt-get install chromium; or CHROMIUM=/path)")
    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told otherwise. The test thread only sets up data and
    # reads it back between browser steps, never at the same time.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


class Browse:
    """One test's browsing: each login opens a fresh browser context (its own cookies, as a
    person at their own computer), go to a named URL, take a numbered screenshot."""

    def __init__(self, browser, viewport: dict, base_url: str, folder: Path):
        self.browser = browser
        self.viewport = viewport
        self.base_url = base_url
        self.folder = folder
        self.shots = 0
        self.context = None
        self.page = None
        self.new_context()

    def new_context(self):
        self.close()
        self.context = self.browser.new_context(viewport=self.viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        return self.page

    def close(self):
        if self.context is not None:
            self.context.close()
            self.context = None

    def path(self, name: str, *args) -> str:
        return reverse(name, args=args)

    def url(self, name: str, *args) -> str:
        return self.base_url + reverse(name, args=args)

    def go(self, name: str, *args):
        self.page.goto(self.url(name, *args))
        return self.page

    def shot(self, label: str):
        self.shots += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=self.folder / f"{self.shots:02d}-{slug}.png", full_page=True)

    def submit(self, button):
        """Click a form's button and wait for the page it leads to: Turbo posts the form with
        fetch, so the page's URL changes only once the server has answered (the test thread
        shares the in-memory database with the server: it reads only after that)."""
        before = self.page.url
        button.click()
        self.page.wait_for_url(lambda url: url != before)
        self.page.wait_for_load_state()
        return self.page

    def login(self, user):
        """Through the real login page (two-factor verification is off in the test overlay)."""
        page = self.new_context()
        page.goto(self.url("login"))
        page.locator("input[name=username]").fill(user.username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form [type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page


FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def fits_the_width(page) -> bool:
    """No sideways scrolling: the page is no wider than the window (desktop and 390 px)."""
    return page.evaluate(FITS)


@pytest.fixture(params=list(WIDTHS))
def width(request):
    return request.param


@pytest.fixture
def browse(request, browser, live_server, width):
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    helper = Browse(browser, WIDTHS[width], live_server.url, folder)
    try:
        yield helper
    finally:
        if getattr(request.node, "browser_failed", False):
            try:
                helper.shot("failure")
                (folder / "failure.html").write_text(helper.page.content())
            except Exception:  # the page may be gone; the steps before are kept anyway
                pass
            print(f"\nscreenshots kept: {folder}")
        helper.close()


@pytest.fixture
def office(people, tree, employee_kv1, loader):
    """The tests' tree and people (tests/conftest.py), KV1's employee, the Cục's personnel
    department with its head, a ministry administrator, and a policy sending a salary change
    at a Chi cục to two levels: the Chi cục's leader, then the Cục's personnel department."""
    from tests.conftest import add_personnel_department, make_user
    from units.models import Role
    from workflows.policy import current_policy, save_policy

    department = add_personnel_department(tree, loader)
    admin = make_user("quantri_bo", (tree["ministry"], Role.UNIT_ADMIN))
    rules = [
        {"category": r.category, "unit_kind": r.unit_kind, "levels": r.levels} for r in current_policy().rules.all()
    ]
    rules.append({"category": "salary", "unit_kind": "sub_agency", "levels": ["unit_leader", "parent_personnel"]})
    save_policy(rules=rules, user=admin, note="Hai cấp cho lương ở Chi cục")
    return {
        **people,
        "truongphong_tccb": make_user("truongphong_tccb", (department, Role.APPROVER)),
        "quantri_bo": admin,
        "employee": employee_kv1,
        "tree": tree,
        "personnel": department,
    }
