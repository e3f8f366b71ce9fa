"""The two checks of the matrix: every pattern has an expectation (and every expectation a
pattern), and every declared answer is the real one."""

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from .patterns import Pattern, enumerate_patterns
from .rules import POSITIONS, ROLES


@dataclass(frozen=True)
class Case:
    """How to reach a pattern and what every role must get there.

    `params(scenario, position)` gives the URL's kwargs (a dict), its args (a tuple) or, for a
    pattern without a name, the whole path (a str); `query` the query string; `data` the
    POST body. Each method in `methods` is tried by every role in every one of `positions`,
    and `rule(who, position, method)` says which answers are right."""

    rule: Callable
    methods: tuple = ("GET",)
    positions: tuple = POSITIONS
    params: Callable | None = None
    query: Callable | None = None
    data: Callable | None = None
    note: str = ""


@dataclass(frozen=True)
class Mismatch:
    key: str
    role: str
    position: str | None
    method: str
    url: str
    expected: frozenset
    actual: str
    detail: str = ""

    def __str__(self):
        where = self.position or "-"
        wanted = "|".join(sorted(self.expected))
        extra = f"  ({self.detail})" if self.detail else ""
        outcome = f"expected {wanted:<12} got {self.actual:<12}"
        return f"{self.role:<15} {where:<13} {self.method:<5} {outcome} {self.url}{extra}"


# --- coverage -------------------------------------------------------------------------------


def coverage_problems(expectations: dict, patterns: dict[str, Pattern] | None = None) -> tuple[list, list]:
    """(patterns without an expectation, expectations without a pattern), both sorted.
    `patterns` defaults to those of the URLconf in force (settings.ROOT_URLCONF)."""
    if patterns is None:
        patterns = enumerate_patterns()
    undeclared = sorted(set(patterns) - set(expectations))
    stale = sorted(set(expectations) - set(patterns))
    return undeclared, stale


def describe_coverage(undeclared, stale, patterns) -> str:
    lines = []
    if undeclared:
        lines.append(
            f"{len(undeclared)} URL pattern(s) have no declared expectation in tests/url_matrix/expectations.py:"
        )
        lines += [f"  {key!r}  ({patterns[key].route})" for key in undeclared]
    if stale:
        lines.append(f"{len(stale)} expectation(s) name a URL pattern that no longer exists:")
        lines += [f"  {key!r}" for key in stale]
    return "\n".join(lines)


# --- answers ------------------------------------------------------------------------------


def classify(response) -> str:
    """The answer as the rules name it: the status code, or where a 302 goes."""
    if response.status_code != 302:
        return str(response.status_code)
    path = urlsplit(response["Location"]).path
    if path == resolve_url(settings.LOGIN_URL):
        return "login"
    if path == reverse("admin:login"):
        return "admin_login"
    return "302"


def build_url(pattern: Pattern, case: Case, scenario, position) -> str:
    params = case.params(scenario, position) if case.params else {}
    if isinstance(params, str):
        path = params
    elif pattern.name is None:
        raise AssertionError(f"{pattern.key}: a pattern without a name needs params returning its path")
    elif isinstance(params, (tuple, list)):
        path = reverse(pattern.name, args=params)
    else:
        path = reverse(pattern.name, kwargs=params)
    if case.query:
        path += "?" + urlencode(case.query(scenario, position), doseq=True)
    return path


@contextmanager
def quiet_logs():
    """Thousands of refused requests would fill the security log; the matrix reports them itself."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def ask(scenario, who, method: str, url: str, data: dict | None) -> tuple[str, str]:
    """One request as `who`, rolled back afterwards; (answer, detail of a crash)."""
    client = Client()
    if who.authenticated:
        for name, morsel in scenario.cookies[who.name].items():
            client.cookies[name] = morsel.value
    answer, detail = "", ""
    with transaction.atomic():
        try:
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data or {})
            answer = classify(response)
        except Exception as exc:  # the view crashed: that is an answer too
            answer, detail = "500", f"{type(exc).__name__}: {exc}"[:300]
        transaction.set_rollback(True)
    return answer, detail


def check_pattern(scenario, pattern: Pattern, cases, roles=ROLES) -> list[Mismatch]:
    """Every role, position and method of every case of one pattern; the answers that differ
    from the rules."""
    mismatches = []
    with quiet_logs():
        for case in cases:
            for position in case.positions:
                url = build_url(pattern, case, scenario, position)
                data = case.data(scenario, position) if case.data else None
                for who in roles:
                    for method in case.methods:
                        expected = case.rule(who, position, method)
                        actual, detail = ask(scenario, who, method, url, data)
                        if actual not in expected:
                            mismatches.append(
                                Mismatch(pattern.key, who.name, position, method, url, expected, actual, detail)
                            )
    return mismatches


def describe_mismatches(key, mismatches) -> str:
    header = f"{key}: {len(mismatches)} answer(s) differ from the declared rule"
    return "\n".join([header, *(f"  {m}" for m in mismatches)])
