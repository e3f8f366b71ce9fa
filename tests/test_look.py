"""One consistent look (issue #12), on every page of the URL matrix: each page in the site's frame
says where one is (breadcrumbs: Trang chủ › … › the page), every required input's label carries
the required mark (and no label of an optional input does), and no stylesheet the pages link
sets a monospace face on a textarea. tests/browser/test_look.py measures the typeface itself."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tests.url_matrix import fixtures
from tests.url_matrix.checker import build_url, quiet_logs
from tests.url_matrix.expectations import EXPECTATIONS
from tests.url_matrix.patterns import enumerate_patterns
from tests.url_matrix.rules import ROLE_BY_NAME
from tracking.required import MARK

PATTERNS = enumerate_patterns()
scenario = fixtures.scenario  # the matrix's objects, built once for the module
READERS = ("superuser", "officer", "approver", "unit_admin", "inspector")
CONTROLS = ("input", "select", "textarea")  # a radio button's label is its choice's: not checked
MARK_CLASS = "qlcb-required"


def _pages():
    """The pages a GET opens, the Django admin aside (its own look and conventions: required
    labels in bold, its own breadcrumbs, Django's templates)."""
    for key in sorted(EXPECTATIONS):
        if key not in PATTERNS or PATTERNS[key].route.endswith((".xlsx", ".pdf")) or key.startswith("admin:"):
            continue
        cases = [c for c in EXPECTATIONS[key] if "GET" in c.methods]
        if cases:
            yield key, cases


PAGES = dict(_pages())


class Page(HTMLParser):
    """What the checks need of a page: whether it is in the site's frame, its breadcrumb trails
    (the texts of their items, and which is the current one), its labelled controls and the
    marks in its labels."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.framed = False
        self.trails = []  # [[(text, current, href), ...], ...]
        self._in_nav = 0
        self._item = None
        self.required = {}  # control id (or its index) -> required
        self.labels = []  # [{"for": id or None, "controls": [...], "marked": bool}]
        self._labels = []  # open labels
        self._n = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "vf-page":
            self.framed = True
        if tag == "nav" and attrs.get("aria-label") in ("Đường dẫn", "Breadcrumb"):
            self._in_nav += 1
            self.trails.append([])
        elif self._in_nav and tag == "li":
            self._item = ["", attrs.get("aria-current") == "page", None]
        elif self._in_nav and tag == "a" and self._item is not None:
            self._item[2] = attrs.get("href")
        if tag == "label":
            self._labels.append({"for": attrs.get("for"), "controls": [], "marked": False})
        if tag == "span" and MARK_CLASS in (attrs.get("class") or "").split() and self._labels:
            assert attrs.get("aria-hidden") == "true", "the mark is hidden from screen readers"
            self._labels[-1]["marked"] = True
        if tag in CONTROLS and attrs.get("type") not in ("hidden", "submit", "button", "radio"):
            self._n += 1
            name = attrs.get("id") or f"#{self._n}"
            self.required[name] = "required" in attrs
            if self._labels:
                self._labels[-1]["controls"].append(name)

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1
        elif tag == "li" and self._item is not None:
            self.trails[-1].append((" ".join(self._item[0].split()), self._item[1], self._item[2]))
            self._item = None
        elif tag == "label" and self._labels:
            self.labels.append(self._labels.pop())

    def handle_data(self, data):
        if self._item is not None:
            self._item[0] += data


def _client(scenario, who):
    client = Client()
    for name, morsel in scenario.cookies[who.name].items():
        client.cookies[name] = morsel.value
    return client


def problems_of(page: Page) -> list[str]:
    """What is wrong with a page's breadcrumbs and required marks (empty when nothing)."""
    found = []
    if page.framed:
        if len(page.trails) != 1:
            found.append(f"{len(page.trails)} breadcrumb trails (one due)")
        else:
            trail = page.trails[0]
            if not trail or trail[0][0] != "Trang chủ":
                found.append(f"breadcrumbs do not start at Trang chủ: {trail}")
            current = [text for text, is_current, _href in trail if is_current]
            if len(current) != 1 or not trail[-1][1] or not current[0]:
                found.append(f"breadcrumbs do not end at the page, named: {trail}")
            if any(not text for text, _c, _h in trail):
                found.append(f"an empty breadcrumb: {trail}")
    labelled = {c for label in page.labels for c in ([label["for"]] if label["for"] else []) + label["controls"]}
    for control, required in page.required.items():
        if required and control not in labelled:
            found.append(f"required {control} has no visible label")
    for label in page.labels:
        controls = [label["for"]] if label["for"] in page.required else label["controls"]
        required = any(page.required.get(c) for c in controls)
        if controls and required != label["marked"]:
            state = "required, unmarked" if required else "optional, marked"
            found.append(f"label of {controls}: {state}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(PAGES))
def test_page_has_breadcrumbs_and_marks_its_required_fields(key, scenario):
    found, seen = {}, 0
    with quiet_logs():
        for case in PAGES[key]:
            position = "own" if "own" in case.positions else case.positions[0]
            url = build_url(PATTERNS[key], case, scenario, position)
            for role in READERS:
                response = _client(scenario, ROLE_BY_NAME[role]).get(url)
                kind = response.get("Content-Type", "")
                if response.status_code != 200 or not kind.startswith("text/html") or response.streaming:
                    continue
                page = Page(response.content.decode())
                seen += page.framed
                for problem in problems_of(page):
                    found.setdefault(problem, f"{url} as {role}")
    assert not found, f"{key}:\n" + "\n".join(f"  {p}  ({where})" for p, where in sorted(found.items()))


@pytest.mark.django_db
def test_the_pages_are_checked_in_the_frame(scenario):
    """The parametrized test must not pass by seeing no framed page: the main pages are framed."""
    with quiet_logs():
        client = _client(scenario, ROLE_BY_NAME["officer"])
        for path in ("/home/", "/records/", "/units/"):
            page = Page(client.get(path).content.decode())
            assert page.framed and page.trails, path


# --- the test of the test -------------------------------------------------------------------


def test_a_page_without_breadcrumbs_or_with_an_unmarked_required_field_is_reported():
    frame = "<vf-page></vf-page>"
    crumbs = (
        '<nav aria-label="Đường dẫn"><ol><li><a href="/">Trang chủ</a></li>'
        '<li aria-current="page">Nguyễn Văn An</li></ol></nav>'
    )
    good = f'{frame}{crumbs}<label for="id_a">Họ tên{MARK}</label><input id="id_a" required>'
    assert problems_of(Page(good)) == []
    assert problems_of(Page(frame + '<label for="id_a">Họ tên</label><input id="id_a" required>'))
    assert problems_of(Page(good.replace(crumbs, "")))
    no_current = crumbs.replace(' aria-current="page"', "")
    assert problems_of(Page(good.replace(crumbs, no_current)))
    marked_optional = f'<label>Ghi chú{MARK} <textarea name="n"></textarea></label>'
    assert problems_of(Page(marked_optional)) == ["label of ['#1']: optional, marked"]
    # Named only for screen readers: no label on the page to carry the mark.
    unlabelled = '<input name="reason" aria-label="Lý do thu hồi" required>'
    assert problems_of(Page(unlabelled)) == ["required #1 has no visible label"]


# --- stylesheets ----------------------------------------------------------------------------

LINKED = re.compile(r"""<link[^>]+href=["']/static/([^"'?]+\.css)""")


def _rules(css: str):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        yield selector.strip(), body


def monospace_textareas(css: str) -> list[str]:
    return [
        selector
        for selector, body in _rules(css)
        if re.search(r"\btextarea\b", selector) and re.search(r"font(-family)?\s*:[^;]*monospace", body)
    ]


@pytest.mark.django_db
def test_no_stylesheet_sets_monospace_on_a_textarea(scenario):
    html = _client(scenario, ROLE_BY_NAME["officer"]).get("/home/").content.decode()
    linked = set(LINKED.findall(html)) | {p.name for p in Path(settings.BASE_DIR, "static", "qlcb").glob("*.css")}
    assert {"qlcb.css", "error.css", "qlcb/qlcb.css", "viewflow/fonts/roboto/roboto-fontface.css"} <= linked
    for name in linked:
        path = finders.find(name) or finders.find("qlcb/" + name)
        assert path, name
        assert not monospace_textareas(Path(path).read_text(errors="replace")), name
    assert monospace_textareas("form textarea.x, p { color: red; font-family: Consolas, monospace }")
    assert not monospace_textareas(".qlcb-secret { font-family: monospace }")


def test_the_body_and_the_controls_are_given_roboto():
    css = Path(settings.BASE_DIR, "static", "qlcb", "qlcb.css").read_text()
    rules = dict(_rules(css))
    assert re.search(r"font-family:\s*Roboto\b", rules["body"])
    assert re.search(r"font-family:\s*inherit", rules["input, select, textarea, button"])


# --- the inputs a page writes by hand -------------------------------------------------------


@pytest.mark.django_db
def test_the_saved_filter_name_and_the_revoke_reason_have_visible_marked_labels(client, tree, people):
    """The two inputs once named only by aria-label: "Tên bộ lọc" (the employee list with a filter
    to save) and "Lý do thu hồi" (a grant the administrator may revoke) are in a <label> that
    shows their name and the required mark."""
    from tests.conftest import make_user
    from units.models import Role, RoleGrant

    admin = make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN))
    RoleGrant.objects.create(user=people["nobody"], unit=tree["kv1"], role=Role.VIEWER)
    client.force_login(admin)
    from django.urls import reverse

    pages = (
        (reverse("records:employee-list") + "?q=nguyen", "Tên bộ lọc"),
        (reverse("units:grant-list"), "Lý do thu hồi"),
    )
    for path, name in pages:
        html = client.get(path).content.decode()
        page = Page(html)
        assert any(page.required.get(c) for label in page.labels for c in label["controls"]), path
        assert re.search(rf"<label[^>]*>{name}{re.escape(MARK)} <input[^>]* required>", html), path
        assert [p for p in problems_of(page) if "label" in p] == [], path
