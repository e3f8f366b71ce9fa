"""Every control a page shows leads somewhere the user may go (issue 8, defect 11).

As each role, starting from the site's index and the pages about the scenario's objects in
every position, follow every link and every form of every page reached, breadth first: a
link must answer with a page or a redirect (never 403 or 404, which mean the control was
shown to someone its rule refuses), and a form must accept the user's submission (the page
again with errors, or a redirect), never refuse it."""

from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.test import Client
from django.urls import reverse

from .checker import classify

# Not controls of the site's pages: the admin (a site of its own), static files, the session.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
REFUSALS = {"403", "404", "405", "login", "admin_login", "500"}


@dataclass(frozen=True)
class Control:
    page: str  # where it is shown
    method: str  # GET for a link or a search form, POST for a button that acts
    url: str
    data: tuple = ()  # a form's fields as the page fills them: (name, value) pairs

    def __str__(self):
        return f"{self.method} {self.url}  (shown on {self.page})"


class _Controls(HTMLParser):
    """The links (<a href>) and forms (action, method, pre-filled fields) of one page."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found: list[Control] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(Control(self.page, "GET", urljoin(self.page, attrs["href"])))
        elif tag == "form":
            method = (attrs.get("method") or "get").upper()
            self._form = {"method": method, "url": urljoin(self.page, attrs.get("action") or self.page), "data": []}
        elif self._form is not None and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if tag == "input" and attrs.get("type") not in ("submit", "button", "image"):
                self._form["data"].append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            form, self._form = self._form, None
            self.found.append(Control(self.page, form["method"], form["url"], tuple(form["data"])))


def controls_of(page: str, html: str) -> list[Control]:
    parser = _Controls(page)
    parser.feed(html)
    return [c for c in parser.found if _followed(c.url)]


def _followed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return False
    return not parts.path.startswith(SKIPPED_PREFIXES)


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _ask(client, method, url, data=()):
    with transaction.atomic():
        try:
            response = client.get(url) if method == "GET" else client.post(url, dict(data))
            answer = classify(response)
            html = response.content.decode(errors="replace") if answer == "200" and _is_html(response) else ""
        except Exception as exc:  # a crash is an answer too
            answer, html = "500", f"{type(exc).__name__}: {exc}"
        transaction.set_rollback(True)
    return answer, html


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and not response.streaming


def entry_pages(scenario) -> list[str]:
    """Where a user starts: the index, every app's index, and each object page in every position."""
    urls = ["/", reverse("records:employee-list"), reverse("units:unit-list"), reverse("records:import-list")]
    for position in scenario.units:
        urls += [
            reverse("records:employee-detail", args=[scenario.employees[position].pk]),
            reverse("units:unit-detail", args=[scenario.units[position].pk]),
            reverse("inspections:plan-detail", args=[scenario.plans[position].pk]),
            reverse("records:import-detail", args=[scenario.invalid_batches[position].pk]),
        ]
        requests = scenario.requests[position].values()
        urls += [reverse("changerequest:process_detail", args=[r.process_id]) for r in requests]
    return urls


@dataclass
class Crawl:
    refused: list  # (control, answer): shown to the user, but refusing them
    reached: set  # the paths of pages offered to the user by a link that answered with the page


def crawl(scenario, who, *, limit: int = 600) -> Crawl:
    """Every page `who` reaches from the entry pages, and every control shown to them there that
    refuses them, with its answer."""
    client = Client()
    for name, morsel in scenario.cookies[who.name].items():
        client.cookies[name] = morsel.value
    walk = _Walk(client)
    queue = deque((None, url) for url in entry_pages(scenario))
    while queue and len(walk.seen) < limit:
        via, url = queue.popleft()
        if _local(url) not in walk.seen:
            queue.extend(walk.visit(_local(url), via))
    return Crawl(walk.refused, walk.linked & walk.shown)


class _Walk:
    """One user's walk: pages seen (and shown), links offered, forms pressed, refusals met."""

    def __init__(self, client):
        self.client = client
        self.seen, self.shown, self.linked, self.pressed = set(), set(), set(), set()
        self.refused = []

    def visit(self, url, via) -> list:
        """Open a page reached through `via` (None for an entry page); press its forms; return
        its links still to follow, as (control, url)."""
        self.seen.add(url)
        answer, html = _ask(self.client, "GET", url)
        if via is not None and answer in REFUSALS:
            self.refused.append((via, answer))
        if answer == "200":
            self.shown.add(urlsplit(url).path)
        links = []
        for control in controls_of(url, html):
            if control.method == "GET":
                self.linked.add(urlsplit(control.url).path)
                links.append((control, control.url))
            else:
                self.press(control)
        return links

    def press(self, control):
        key = (control.method, _local(control.url), control.data)
        if key in self.pressed:
            return
        self.pressed.add(key)
        answer, _html = _ask(self.client, control.method, _local(control.url), control.data)
        if answer in REFUSALS:
            self.refused.append((control, answer))
