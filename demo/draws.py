"""Small helpers for drawing demo values: weighted choices, dates, decision numbers."""

from datetime import timedelta

from workdays.calendar import add_months as plus_months

from .reference import REFERENCE_DATE


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def age_on(born, on=REFERENCE_DATE):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def plus_years(day, years):
    return plus_months(day, 12 * years)


def between(rng, first, last):
    """A day in [first, last]; `first` when the range is empty (callers keep it non-empty)."""
    if last <= first:
        return first
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def decision_number(rng, issuer):
    return f"{rng.randint(12, 2980)}/QĐ-{issuer}"


def issuer_of(organisation):
    for marker, issuer in (("Chi cục Thuế", "CCT"), ("Tổng cục Thuế", "TCT"), ("Cục Thuế", "CT"), ("Kho bạc", "KBNN")):
        if marker in organisation:
            return issuer
    return "BTC"
