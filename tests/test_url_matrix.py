"""One place decides, and a matrix proves it (issue #4, part 7).

Every URL pattern of the site has a declared expectation (tests/url_matrix/expectations.py);
every role asks every pattern about objects in its own unit, a child, the parent, a sibling and
another branch of the tree, and gets exactly the answer its rule computes. A pattern without an
expectation fails, so no view ships unchecked; the last tests show the matrix catches both."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.url_matrix.checker import (
    Case,
    check_pattern,
    coverage_problems,
    describe_coverage,
    describe_mismatches,
    quiet_logs,
)
from tests.url_matrix.expectations import EXPECTATIONS, employee
from tests.url_matrix.patterns import enumerate_patterns
from tests.url_matrix.rules import POSITIONS, ROLES, write
from tests.url_matrix.scenario import build_scenario

PATTERNS = enumerate_patterns()


@pytest.fixture(scope="module")
def scenario(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in a savepoint of it and each request in a savepoint of that."""
    media = tmp_path_factory.mktemp("url-matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            with quiet_logs():
                built = build_scenario()
            yield built
            transaction.set_rollback(True)


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
