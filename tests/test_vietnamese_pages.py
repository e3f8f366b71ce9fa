"""No English on a page served in Vietnamese (issue #12): every page of the URL matrix, opened
by representative roles on the objects of their own unit, shows no word of an English UI
(tests/url_matrix/english.py) in its text or its spoken and hover attributes."""

import pytest

from tests.url_matrix import fixtures
from tests.url_matrix.checker import build_url, quiet_logs
from tests.url_matrix.english import english_on
from tests.url_matrix.expectations import EXPECTATIONS
from tests.url_matrix.patterns import enumerate_patterns
from tests.url_matrix.rules import ROLE_BY_NAME

PATTERNS = enumerate_patterns()
scenario = fixtures.scenario  # the matrix's objects, built once for the module

# Who looks: someone signed out, the superuser (the admin), and the roles whose pages differ.
READERS = ("anonymous", "superuser", "officer", "approver", "unit_admin")
# Texts that are English on purpose, each with its reason.
ALLOWED = frozenset(
    {
        "English",  # the language switch names each language in itself
    }
)


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
                for word, text in english_on(response.content.decode(), ALLOWED):
                    found.setdefault((word, text), url + " as " + role)
    assert not found, f"{key}: English on the page:\n" + "\n".join(
        f"  {word!r} in {text!r}  ({where})" for (word, text), where in sorted(found.items())
    )
