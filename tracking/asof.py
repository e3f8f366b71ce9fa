"""Tracked rows as they were at a moment, read from their history: for each row, its newest
version written at or before that moment, unless that version is its deletion. Written once here;
the file of a person, a unit and the reports ask through `as_of` and `compare`.

One query per table whatever the number of rows or versions: the versions matching a filter at
or before the moment, with no later version of the same row at or before it (NOT EXISTS, an
index range on the history's (id, history_date) or its id index)."""

import datetime

from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from .history import MASK, display_value, history_model, show_everything


class _Row(Func):
    """A row value, `(a, b, c)`, of columns, outer references or values."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = models.TextField()  # never read: only compared


class _Compare(Func):
    """`row op row`, a condition (Django 5 filters on a boolean expression)."""

    output_field = models.BooleanField()

    def __init__(self, left, op: str, right):
        super().__init__(left, right)
        self.arg_joiner = f" {op} "
        self.template = "%(expressions)s"


def _later_versions(history, at: datetime.datetime, *, whole: bool = False) -> models.QuerySet:
    """The versions of the outer version's row written after it and at or before `at`.

    For a few rows (a person's, a unit's staff), two row comparisons on (id, history_date,
    history_id): each probe is a range of the history's index on those columns starting at the
    outer version (about one index entry read). Written as `id = outer AND (date > … OR (date =
    … AND history_id > …))`, PostgreSQL probed the id index instead and read every version of
    the row for each version probed (a unit of 26 people as of a year ago, one of them with
    1,001 versions: 1,651 probes of 309 rows, 44–55 ms; 6–17 ms this way; bench/README.md).
    For a reading of `whole` tables (a report over every unit), that equality form, which the
    database joins in bulk (100,000 people: 1.8 s; probing each version, 4.3 s)."""
    if whole:
        return history.objects.filter(id=OuterRef("id"), history_date__lte=at).filter(
            Q(history_date__gt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id"))
        )
    after_outer = _Compare(
        _Row(F("id"), F("history_date"), F("history_id")),
        ">",
        _Row(OuterRef("id"), OuterRef("history_date"), OuterRef("history_id")),
    )
    until = _Compare(
        _Row(F("id"), F("history_date")), "<=", _Row(OuterRef("id"), Value(at, output_field=models.DateTimeField()))
    )
    return history.objects.filter(after_outer, until)


def as_of(model, at: datetime.datetime, lookup: dict | None = None, *, whole: bool = False) -> models.QuerySet:
    """The versions of `model`'s rows in force at `at` (history rows, one per row), limited to
    rows whose version in force matches `lookup` (e.g. {"employee_id": 7}): a row moved out of
    the filter later is there, one moved into it later is not, one deleted before `at` is not.
    `whole`: the reading covers most of the table (a report over everything; _later_versions)."""
    history = history_model(model)
    later = _later_versions(history, at, whole=whole)
    return (
        history.objects.filter(history_date__lte=at, **(lookup or {}))
        .filter(~Exists(later))
        .exclude(history_type="-")
        .order_by("id")
    )


def instances_as_of(model, at: datetime.datetime, lookup: dict | None = None, *, related=()) -> list:
    """The rows of `model` as they were at `at` (model instances built from their versions, each
    with `.version`, its history row), with the `related` foreign keys read in one query each."""
    versions = as_of(model, at, lookup)
    if related:
        versions = versions.prefetch_related(*related)
    rows = []
    for version in versions:
        instance = version.instance
        instance._state.fields_cache.update(version._state.fields_cache)
        instance.version = version
        rows.append(instance)
    return rows


def instances_at(model, moments: list, lookup: dict | None = None, *, related=()) -> list[list]:
    """`instances_as_of` at several moments at once (a comparison's two): one query for all of
    them, whatever the number of moments, rows or versions. One list of rows per moment, in the
    order of `moments`. `lookup` is equalities on columns (e.g. {"employee_id": 7}), held by the
    version in force at each moment, as in `as_of`.

    The rows that ever matched `lookup` have their versions up to the last moment ranked newest
    first once per moment (a window, ROW_NUMBER), and the first of each ranking is read: one pass
    over those versions. Probing "no later version" for each version instead (as `as_of` does)
    made PostgreSQL pick the history's plain id index, reading all the row's versions for each
    one: a person with 1,001 versions compared over a year took 220 ms in that query, about 2 ms
    this way."""
    history = history_model(model)
    lookup = lookup or {}
    latest = max(moments)
    versions = history.objects.filter(
        id__in=history.objects.filter(history_date__lte=latest, **lookup).values("id"),
        history_date__lte=latest,
    )
    first_of_a_ranking = Q(pk__in=[])
    for index, at in enumerate(moments):
        rank = f"_rank_at_{index}"
        versions = versions.annotate(
            **{
                rank: Window(
                    RowNumber(),
                    partition_by=[F("id")],
                    order_by=[
                        Case(When(history_date__lte=at, then=Value(0)), default=Value(1)).asc(),
                        F("history_date").desc(),
                        F("history_id").desc(),
                    ],
                )
            }
        )
        first_of_a_ranking |= Q(**{rank: 1})
    versions = versions.filter(first_of_a_ranking).order_by("id", "history_date", "history_id")
    if related:
        versions = versions.prefetch_related(*related)
    versions = list(versions)
    readings = []
    for at in moments:
        newest = {}
        for version in versions:  # in order: the last one at or before `at` stays
            if version.history_date <= at:
                newest[version.id] = version
        rows = []
        for version in newest.values():
            if version.history_type == "-" or any(getattr(version, k) != v for k, v in lookup.items()):
                continue
            instance = version.instance
            instance._state.fields_cache.update(version._state.fields_cache)
            instance.version = version
            rows.append(instance)
        readings.append(rows)
    return readings


def compare(model, before: list, after: list, *, fields, may_show=show_everything, describe=str) -> list[dict]:
    """What changed in `model`'s rows between two readings (`instances_as_of` at two moments):
    one item per row added, removed or changed, with each changed field old → new (masked where
    `may_show(model, name)` refuses), in the order of the rows' ids."""
    old = {row.pk: row for row in before}
    new = {row.pk: row for row in after}
    shown = may_show(model)
    items = []
    for pk in sorted(old.keys() | new.keys()):
        was, now = old.get(pk), new.get(pk)
        item = {"model": model._meta.verbose_name, "object": describe(now or was), "fields": []}
        if was is None or now is None:
            item["action"] = "added" if was is None else "removed"
            items.append(item)
            continue
        if now.version.history_id == was.version.history_id:
            continue
        for name in fields:
            field = model._meta.get_field(name)
            a, b = getattr(was, field.attname), getattr(now, field.attname)
            if a == b:
                continue
            if not shown or not may_show(model, name):
                item["fields"].append({"field": field.verbose_name, "old": MASK, "new": MASK})
            else:
                item["fields"].append(
                    {
                        "field": field.verbose_name,
                        "old": display_value(field, getattr(was, name)),
                        "new": display_value(field, getattr(now, name)),
                    }
                )
        if item["fields"]:
            item["action"] = "changed"
            items.append(item)
    return items


def between(lookup: dict, start: datetime.datetime, end: datetime.datetime) -> dict:
    """`lookup` narrowed to the versions written after `start` and at or before `end`: a history
    source (tracking.history.list_history) of the changes between two readings."""
    return {**lookup, "history_date__gt": start, "history_date__lte": end}


def moment(day: datetime.date, time: datetime.time | None = None) -> datetime.datetime:
    """The moment a reader means by a day and an optional time, in the site's time zone: the end
    of the day when no time is given (the state after that day's changes), else the end of that
    minute."""
    if time is None:
        naive = datetime.datetime.combine(day, datetime.time.max)
    else:
        naive = datetime.datetime.combine(day, time.replace(second=59, microsecond=999999))
    return timezone.make_aware(naive)
