"""No English on a page served in Vietnamese (issue #12): every page of the URL matrix, opened
by representative roles on the objects of their own unit, shows no word of an English UI
(tests/url_matrix/english.py) in its text or its spoken and hover attributes, no word in the
old-style spelling (xóa for xoá), and no browser date picker (dd/mm/yyyy text boxes instead)."""

import re

import pytest

from tests.url_matrix import fixtures
from tests.url_matrix.checker import build_url, quiet_logs
from tests.url_matrix.english import english_on, old_spellings_on
from tests.url_matrix.expectations import EXPECTATIONS
from tests.url_matrix.patterns import enumerate_patterns
from tests.url_matrix.rules import ROLE_BY_NAME

PATTERNS = enumerate_patterns()
DATE_PICKER = re.compile(r"<input[^>]*type=[\"']?date[\"'\s>]")
scenario = fixtures.scenario  # the matrix's objects, built once for the module

# Who looks: someone signed out, the superuser (the admin), and the roles whose pages differ.
READERS = ("anonymous", "superuser", "officer", "approver", "unit_admin")
# Texts that may hold an English word: (where, pattern searched in each text), each with its reason.
ALLOWED = (
    # The language switch names each language in itself.
    ("/", re.compile(r"^English$")),
    # viewflow's technical reference of a task ("<changerequest.Approve/22> - NEW"), the name of
    # the row in the Django admin: a code, as a URL is.
    ("/admin/", re.compile(r"<[\w.]+/\d+>")),
    # axes names its records in English ("Access Log for ghost @ ...") and heads its status
    # column with the method's name; neither is marked for translation in axes.
    ("/admin/axes/", re.compile(r"Access (Log|Attempt|Failure) for |^Status$")),
    # viewflow's own admin of processes and tasks: headers made from attribute names and the
    # nodes' names (str(node)), not marked for translation in viewflow; the site's pages show
    # the nodes' Vietnamese titles.
    (
        "/admin/viewflow/",
        re.compile(
            r"^(Brief|Owner permission content type:|Owner permission obj pk:|Submit|Approve|Route Decision"
            r"|Queue Import|Wait Import|Apply|Check Applied|Rework|Route Resubmission|End|Rejected|Withdrawn)$"
        ),
    ),
    # Django's admin password form appends this warning unmarked for translation.
    ("/admin/auth/user/", re.compile(r"^If disabled, the current password for this user will be lost\.$")),
)
# Texts that may hold the old-style spelling: people's names as registered (Thủy, Thùy).
ALLOWED_SPELLING = ()


def _pages():
    """(key, url builder) of each page of the matrix that a GET opens."""
    for key in sorted(EXPECTATIONS):
        if key not in PATTERNS or PATTERNS[key].route.endswith((".xlsx", ".pdf")):
            continue
        cases = [c for c in EXPECTATIONS[key] if "GET" in c.methods]
        if cases:
            yield key, cases


PAGES = dict(_pages())


def _client(scenario, who):
    from django.test import Client

    client = Client()
    if who.authenticated:
        for name, morsel in scenario.cookies[who.name].items():
            client.cookies[name] = morsel.value
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(PAGES))
def test_page_shows_no_english_in_vietnamese(key, scenario):
    found = {}
    with quiet_logs():
        for case in PAGES[key]:
            position = "own" if "own" in case.positions else case.positions[0]
            url = build_url(PATTERNS[key], case, scenario, position)
            for role in READERS:
                response = _client(scenario, ROLE_BY_NAME[role]).get(url)
                kind = response.get("Content-Type", "")
                if response.status_code not in (200, 403, 404) or not kind.startswith("text/html"):
                    continue
                if response.streaming:
                    continue
                assert response["Content-Language"] == "vi"
                html = response.content.decode()
                allowed = [pattern for where, pattern in ALLOWED if url.startswith(where)]
                for word, text in english_on(html, allowed):
                    found.setdefault((word, text), url + " as " + role)
                for word, text in old_spellings_on(html, ALLOWED_SPELLING):
                    found.setdefault((word, text), url + " as " + role)
                if DATE_PICKER.search(html):  # the browser's picker shows mm/dd/yyyy on an English Windows
                    found.setdefault(('type="date"', "a date box of the browser's locale"), url + " as " + role)
    assert not found, f"{key}: English (or the old-style spelling) on the page:\n" + "\n".join(
        f"  {word!r} in {text!r}  ({where})" for (word, text), where in sorted(found.items())
    )
