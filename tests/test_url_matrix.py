"""One place decides, and a matrix proves it (issue #4, part 7).

Every URL pattern of the site has a declared expectation (tests/url_matrix/expectations.py);
every role asks every pattern about objects in its own unit, a child, the parent, a sibling and
another branch of the tree, and gets exactly the answer its rule computes. A pattern without an
expectation fails, so no view ships unchecked; the last tests show the matrix catches both."""

import pytest
from django.test import override_settings

from tests.url_matrix import fixtures
from tests.url_matrix.checker import (
    Case,
    check_pattern,
    coverage_problems,
    describe_coverage,
    describe_mismatches,
    quiet_logs,
)
from tests.url_matrix.controls import crawl
from tests.url_matrix.expectations import EXPECTATIONS, employee
from tests.url_matrix.patterns import enumerate_patterns
from tests.url_matrix.rules import POSITIONS, ROLE_BY_NAME, ROLES, write

PATTERNS = enumerate_patterns()
scenario = fixtures.scenario  # the matrix's objects, built once for the module


def test_every_url_pattern_has_a_declared_expectation():
    undeclared, stale = coverage_problems(EXPECTATIONS, PATTERNS)
    assert not (undeclared or stale), describe_coverage(undeclared, stale, PATTERNS)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(EXPECTATIONS))
def test_url_answers_every_role_as_declared(key, scenario):
    if key not in PATTERNS:
        pytest.fail(f"{key!r} is declared but no URL pattern has that key any more")
    mismatches = check_pattern(scenario, PATTERNS[key], EXPECTATIONS[key])
    assert not mismatches, describe_mismatches(key, mismatches)


@pytest.fixture(scope="module")
def crawls(scenario):
    """Each role's crawl of the site (tests/url_matrix/controls.py), made once and shared."""
    made = {}

    def of(role):
        if role not in made:
            with quiet_logs():
                made[role] = crawl(scenario, ROLE_BY_NAME[role])
        return made[role]

    return of


SIGNED_IN = [who.name for who in ROLES if who.authenticated]
# Pages of the site's apps that are about no object: each must be reachable through the menus
# and buttons by exactly the roles its rule lets in (accounts pages and downloads aside).
APP_PAGES = sorted(
    key
    for key, cases in EXPECTATIONS.items()
    if key.split(":")[0] in ("home", "records", "units", "changerequest", "policy", "delegations")
    and key.count(":") == 1
    and any(
        case.positions == (None,) and "GET" in case.methods and case.query is None and case.params is None
        for case in cases
    )
    and not PATTERNS[key].route.endswith((".xlsx", ".pdf"))
    and key != "changerequest:task_list"  # viewflow's list behind its dashboard, not in its menus
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_control_shown_leads_where_the_user_may_go(role, crawls):
    """Menus and buttons ask the rule that guards their page (issue 8, defect 11): crawling
    from every page a role reaches, no link or form shown answers 403 or 404."""
    refused = crawls(role).refused
    assert not refused, f"{role}: {len(refused)} control(s) shown but refused:\n" + "\n".join(
        f"  {answer}  {control}" for control, answer in refused
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_page_a_role_may_open_is_reachable_from_the_menus(role, crawls):
    """The converse: a page the rules let a role open is offered to it somewhere (the grants
    page had no menu entry)."""
    who = ROLE_BY_NAME[role]
    missing = []
    for key in APP_PAGES:
        path = PATTERNS[key].route
        case = next(c for c in EXPECTATIONS[key] if c.positions == (None,) and "GET" in c.methods)
        allowed = "200" in case.rule(who, None, "GET")
        if allowed and "/" + path not in crawls(role).reached:
            missing.append(key)
    assert not missing, f"{role} may open, but finds no link to: {missing}"


# --- the test of the test -------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.url_matrix.fake_urls")
def test_a_view_added_without_an_expectation_fails_the_coverage_check():
    baseline, _stale = coverage_problems(EXPECTATIONS, PATTERNS)
    undeclared, stale = coverage_problems(EXPECTATIONS)  # the same call the coverage test makes
    assert sorted(set(undeclared) - set(baseline)) == ["matrix-unchecked-write", "matrix-undeclared"]
    assert stale == _stale
    message = describe_coverage(undeclared, stale, enumerate_patterns())
    assert "'matrix-undeclared'  (matrix-probe/undeclared/)" in message


def test_an_expectation_whose_view_is_gone_fails_the_coverage_check():
    baseline = coverage_problems(EXPECTATIONS, PATTERNS)
    undeclared, stale = coverage_problems({**EXPECTATIONS, "records:employee-delete": []}, PATTERNS)
    assert undeclared == baseline[0]
    assert sorted(set(stale) - set(baseline[1])) == ["records:employee-delete"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.url_matrix.fake_urls")
def test_a_view_answering_against_its_rule_is_reported(scenario):
    """A write page that answers 200 to everyone, declared as a write: every role that may not
    write there is reported, and only those."""
    pattern = enumerate_patterns()["matrix-unchecked-write"]
    mismatches = check_pattern(scenario, pattern, [Case(write, ("GET",), params=employee)])
    reported = {(m.role, m.position) for m in mismatches}
    assert ("officer", "own") not in reported  # the one user the rule lets write there
    assert ("viewer", "own") in reported  # read-only: 403 due, 200 given
    assert ("officer", "child") in reported  # upper unit on a child's record: 403 due
    assert ("officer", "sibling") in reported  # out of scope: 404 due
    assert ("anonymous", "own") in reported  # the login page due
    assert all(m.actual == "200" for m in mismatches)
    refused = [(who, p) for who in ROLES for p in POSITIONS if "200" not in write(who, p, "GET")]
    assert len(mismatches) == len(refused)
