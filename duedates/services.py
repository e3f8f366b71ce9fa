"""Computing and storing due items: the rule rows and the people's inputs read in bulk, the pure
rules of duedates.rules applied, and the DueItem rows of the people whose inputs or rules
changed rewritten, a chunk of people per transaction."""

import datetime
import hashlib
import json
from dataclasses import asdict

from django.db import connection, transaction
from django.utils import timezone

from records.models import (
    Discipline,
    Employee,
    EmploymentContract,
    Evaluation,
    NonCountedPeriod,
    Probation,
    RetirementDecision,
    SalaryHistory,
    SalaryRank,
)
from records.models.employee import today
from tracking.asof import as_of
from tracking.copying import can_copy
from tracking.generations import Generational

from . import rules, term_rules
from .models import RULE_MODELS, DueItem, DueState, RefreshRun, RetirementOverrideLimit

CHUNK = 2000


# One encoder for every row (json.dumps would build one per call): keys sorted, so a hash of
# the text is a hash of the content.
_json = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":")).encode


# The rule rows and the salary classes: read by every page that offers a person's next salary
# step (the change page and its submit), changed by an administrator a few times a year. Kept
# in the cache, renewed by any write to one of those tables (renew_rule_rows, wired in
# duedates.apps), as the salary index is (records.models.salary).
_rule_rows = Generational("duedates-rules", ttl=3600)
_RULE_SOURCES = {model._meta.label for model in RULE_MODELS} | {"records.SalaryTable", "records.SalaryRank"}


def renew_rule_rows(sender, **kwargs) -> None:
    """post_save/post_delete of any model: a write to a rule table or a salary table or rank,
    the real models' or a migration's, renews the kept rows."""
    if sender._meta.label in _RULE_SOURCES:
        _rule_rows.renew([""])


def renew_rule_rows_after_migrate(**kwargs) -> None:
    _rule_rows.renew([""])


def _load_rule_rows():
    rows = {model._meta.label: [r.as_rule() for r in model.objects.order_by("pk")] for model in RULE_MODELS}
    ranks = list(
        SalaryRank.objects.order_by("-table__effective_from").values_list(
            "rank_code", "table__effective_from", "scale_group", "coefficients"
        )
    )
    return rows, ranks


class RuleSet:
    """The rule rows and the salary classes, read once for a refresh (from the cache while no
    row changed); `version` changes whenever any row does (a hash of their content), so a
    changed rule recomputes everyone."""

    def __init__(self, *, as_of: datetime.date):
        self.as_of = as_of
        kept_rows, ranks = _rule_rows.get("", _load_rule_rows)
        rows = {model: kept_rows[model._meta.label] for model in RULE_MODELS}
        from .models import (
            BeyondLastStep,
            EndNotice,
            HoldingPeriod,
            LeadTime,
            ProbationLength,
            RetirementAge,
            StepExtension,
        )

        self.rules = rules.Rules(
            retirement_ages=tuple(rows[RetirementAge]),
            lead_times=tuple(rows[LeadTime]),
            override_limits=tuple(rows[RetirementOverrideLimit]),
            holding_periods=tuple(rows[HoldingPeriod]),
            extensions=tuple(rows[StepExtension]),
            beyond=tuple(rows[BeyondLastStep]),
        )
        self.term_rules = term_rules.TermRules(
            probation_lengths=tuple(rows[ProbationLength]), end_notices=tuple(rows[EndNotice])
        )
        # rank code -> [(table in force from, salary class, number of steps)], newest first
        self.ranks: dict[str, list] = {}
        for code, since, group, coefficients in ranks:
            self.ranks.setdefault(code, []).append((since, group, len(coefficients)))
        tables_in_force = sorted({since for versions in self.ranks.values() for since, _, _ in versions})
        self.table_in_force = max((t for t in tables_in_force if t <= as_of), default=None)
        self.version = hashlib.sha256(
            _json(
                {
                    "rules": {m.__name__: [asdict(r) for r in rows[m]] for m in RULE_MODELS},
                    "ranks": self.ranks,
                    "table_in_force": self.table_in_force,
                }
            ).encode()
        ).hexdigest()

    def rank(self, code: str, on: datetime.date | None):
        """(class, steps): the class from the table in force on `on` (the step's start; the oldest
        table holding the rank when the step predates them all), the steps from the table in
        force today (as_of)."""
        versions = self.ranks.get(code)
        if not versions:
            return None, None
        at_start = next((v for v in versions if on and v[0] <= on), versions[-1])
        now = next((v for v in versions if v[0] <= self.as_of), versions[-1])
        return at_start[1], now[2]


def check_retirement_decision(decision: RetirementDecision) -> list[str]:
    """What is wrong with a person's retirement decision against the limit rows in force on its
    date (records.RetirementDecision.clean checks the row's own shape; the limits are rule rows
    here, so a request that adds or edits a decision asks this too: workflows.changesets)."""
    if decision.annulled or decision.kind not in RetirementOverrideLimit.Kind.values:
        return []
    limits = [row.as_rule() for row in RetirementOverrideLimit.objects.filter(kind=decision.kind)]
    problem, _row = rules.decision_problem(
        rules.RetirementDecision(
            decision.pk, decision.kind, months=decision.months, ground=decision.ground, date=decision.decision_date
        ),
        limits,
    )
    return [problem] if problem else []


def _rows(model, when):
    """The rows of `model` now (`when` None), or as they stood at the moment `when` (its
    history: tracking.asof, the version of each row in force at that moment)."""
    return model.objects.all() if when is None else as_of(model, when)


def _among(column: str, employee_ids, span: bool) -> dict:
    """The filter on `column` for these people: their id range when `span` (every person with
    an id from the first to the last is among them: a chunk of everyone, sorted), which spares
    Django and psycopg a list of thousands of parameters; the list otherwise."""
    if span:
        return {f"{column}__gte": employee_ids[0], f"{column}__lte": employee_ids[-1]}
    return {f"{column}__in": employee_ids}


# The file's columns the rules read, and the sub-records: (model, key of the person's inputs,
# columns, order, the rows taken (a filter), the value the rules take from the columns).
_EMPLOYEE_COLUMNS = (
    "date_of_birth",
    "birth_date_precision",
    "sex",
    "employment_status",
    "rank_code",
    "salary_step",
    "salary_effective_date",
    "seniority_allowance_percent",
)


def _retirement_decision(pk, kind, months, retire_from, ground, number, date, basis, annulled):
    return rules.RetirementDecision(
        pk,
        kind,
        months=months,
        retire_from=retire_from,
        ground=ground,
        number=number,
        date=date,
        legal_basis=basis,
        annulled=annulled,
    )


_SUBRECORD_INPUTS = (
    (Discipline, "sanctions", ("id", "form", "effective_from", "annulled"), ("id",), {}, rules.Sanction),
    (Evaluation, "poor_years", ("year",), ("year",), {"rating": Evaluation.Rating.FAILED}, None),  # the year
    (
        NonCountedPeriod,
        "periods",
        ("id", "kind", "start_date", "end_date", "leftover_working_days"),
        ("start_date", "id"),
        {},
        rules.NonCounted,
    ),
    (
        RetirementDecision,
        "retirement_decisions",
        (
            "id",
            "kind",
            "months",
            "retire_from",
            "ground",
            "decision_number",
            "decision_date",
            "legal_basis",
            "annulled",
        ),
        ("decision_date", "id"),
        {},
        _retirement_decision,
    ),
    (
        EmploymentContract,
        "contracts",
        ("id", "kind", "start_date", "end_date"),
        ("start_date", "id"),
        {},
        term_rules.Contract,
    ),
    (
        Probation,
        "probations",
        ("id", "kind", "start_date", "end_date"),
        ("start_date", "id"),
        {},
        term_rules.ProbationTerm,
    ),
)


def _person(row: dict, ruleset: RuleSet) -> dict:
    """A person's inputs from their file's columns (_EMPLOYEE_COLUMNS), sub-records still empty."""
    salary_class, last_step = ruleset.rank(row["rank_code"], row["salary_effective_date"])
    return {
        "born": row["date_of_birth"],
        "precision": row["birth_date_precision"],
        "sex": row["sex"],
        "status": row["employment_status"],
        "rank_code": row["rank_code"],
        "step": row["salary_step"],
        "step_start": row["salary_effective_date"],
        "current_percent": row["seniority_allowance_percent"],
        "salary_class": salary_class,
        "last_step": last_step,
        **{key: [] for _model, key, *_rest in _SUBRECORD_INPUTS},
    }


def person_inputs(employee_ids, ruleset: RuleSet, *, when=None, span: bool = False) -> dict[int, dict]:
    """The inputs of the rules for a chunk of people: seven queries, whatever the chunk's size.
    With `when` (an aware datetime), the file as it stood then, read from its history (by "id":
    on a history queryset "pk" and "pk__in" name the history row's own key). `span`: the ids
    are sorted and every person between the first and the last (see _among)."""
    people = {}
    if span and not employee_ids:
        return people
    for row in _rows(Employee, when).filter(**_among("id", employee_ids, span)).values("id", *_EMPLOYEE_COLUMNS):
        people[row["id"]] = _person(row, ruleset)
    found = list(people)  # as of a past moment, only those on file then
    # A range may also hold someone added since the people were read: their sub-records are
    # skipped (they are computed by the next run, as everyone never computed is).
    among = _among("employee_id", employee_ids, True) if span else {"employee_id__in": found}
    none = {key: [] for _model, key, *_rest in _SUBRECORD_INPUTS}
    for model, key, columns, order, where, build in _SUBRECORD_INPUTS:
        for row in _rows(model, when).filter(**among, **where).order_by(*order).values_list("employee_id", *columns):
            people.get(row[0], none)[key].append(build(*row[1:]) if build else row[1])
    return people


def person_inputs_of(employee, rows_of, ruleset: RuleSet) -> dict:
    """person_inputs of one person from rows a page has read already: `employee` as on file and
    `rows_of(model)`, their rows of a sub-record model (all of them, in any order); the same
    rows taken, in the same order (NULLs last, as PostgreSQL sorts them), no query."""
    person = _person({name: getattr(employee, name) for name in _EMPLOYEE_COLUMNS}, ruleset)
    for model, key, columns, order, where, build in _SUBRECORD_INPUTS:
        rows = [r for r in rows_of(model) if all(getattr(r, f) == v for f, v in where.items())]
        rows.sort(key=lambda r: tuple((getattr(r, f) is None, getattr(r, f)) for f in order))
        for r in rows:
            values = [getattr(r, column) for column in columns]
            person[key].append(build(*values) if build else values[0])
    return person


def compute_all(person: dict, ruleset: RuleSet) -> list[rules.Result]:
    """Every result for one person as of the rule set's day: the retirement and salary rules
    (the person's retirement decisions in force that day), then the terms'."""
    return rules.compute(person, ruleset.rules, on=ruleset.as_of) + term_rules.compute(person, ruleset.term_rules)


_DATACLASS_INPUTS = ("sanctions", "periods", "retirement_decisions", "contracts", "probations")


def inputs_hash(person: dict, ruleset: RuleSet) -> str:
    # A sub-record's fields as a dict: vars() gives asdict()'s dict (their fields are plain
    # values), without its deep copy; so the hashes stored before stay valid.
    data = {k: ([vars(x) for x in v] if k in _DATACLASS_INPUTS else v) for k, v in person.items()}
    return hashlib.sha256(_json([ruleset.version, data]).encode()).hexdigest()


# The columns of a DueItem row as the refresh writes them (item_values gives them in this order).
ITEM_COLUMNS = (
    "employee_id",
    "kind",
    "about",
    "due_date",
    "pension_start",
    "notice_deadline",
    "decision_deadline",
    "reason",
    "inputs",
    "rule_ids",
    "rule_version",
    "computed_at",
)
STATE_COLUMNS = ("employee_id", "inputs_hash", "computed_at")
JSON_COLUMNS = ("inputs", "rule_ids")


def item_values(employee_id: int, result: rules.Result, rule_version: str, now) -> tuple:
    """One due item's column values in ITEM_COLUMNS order, the JSON ones as JSON text (dates as
    ISO strings): every input and rule that produced it, as stored."""
    deadlines = result.deadlines
    return (
        employee_id,
        result.kind,
        result.about,
        result.due_date,
        deadlines.get("pension_start"),
        deadlines.get("notice"),
        deadlines.get("decision"),
        result.reason[:255],
        _json(result.inputs),
        _json(result.rule_ids),
        rule_version,
        now,
    )


def _item(values: tuple) -> DueItem:
    fields = dict(zip(ITEM_COLUMNS, values, strict=True))
    for name in JSON_COLUMNS:
        fields[name] = json.loads(fields[name])
    return DueItem(**fields)


def build_item(employee_id: int, result: rules.Result, ruleset: RuleSet, now) -> DueItem:
    """An unsaved DueItem, the same row the refresh stores."""
    return _item(item_values(employee_id, result, ruleset.version, now))


def _replace(employee_ids: list, items, states: list[tuple]) -> None:
    """The due items and states of `employee_ids` replaced by `items` (an iterable, consumed
    here) and `states` (column values in ITEM_COLUMNS and STATE_COLUMNS order), in the caller's
    transaction.

    These rows are derived (no history, nothing refers to them), so they are deleted by SQL
    rather than through the ORM's collector, which loads every row first to send post_delete
    (records' salary-index receiver listens to every model). On PostgreSQL the new rows go in
    with COPY, given the JSON as text: bulk_create would prepare each value in Python and quote
    the JSON strings into arrays (UNNEST), most of a full refresh's time. `items` must not query
    the database while it is consumed (a connection in COPY answers nothing else).

    The DELETE also gives the ids' range: with stale statistics (just after a bulk load, or
    without autovacuum) the planner reckons a list of 2,000 ids matches the whole table and
    scans all of it for every chunk; a range it looks up in the index."""
    if connection.vendor == "postgresql":
        among, ids = "= ANY(%s)", [employee_ids]
    else:
        among, ids = f"IN ({', '.join(['%s'] * len(employee_ids))})", list(employee_ids)
    where = f"employee_id BETWEEN %s AND %s AND employee_id {among}"
    params = [min(employee_ids), max(employee_ids), *ids]
    with connection.cursor() as cursor:
        for model in (DueItem, DueState):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {where}", params)
    if can_copy(connection):
        for model, columns, rows in ((DueItem, ITEM_COLUMNS, items), (DueState, STATE_COLUMNS, states)):
            quote = connection.ops.quote_name
            sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(c).column) for c in columns)
            )
            with connection.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    DueItem.objects.bulk_create([_item(values) for values in items], batch_size=1000)
    DueState.objects.bulk_create(
        [DueState(**dict(zip(STATE_COLUMNS, values, strict=True))) for values in states], batch_size=1000
    )


def refresh_due_items(*, employee_ids=None, as_of: datetime.date | None = None, chunk_size: int = CHUNK) -> dict:
    """Recompute the due items of `employee_ids` (everyone when None) whose inputs or rules
    changed since they were last computed; the others are left as they are. Idempotent: a second
    run with nothing changed writes nothing. Returns {"examined": n, "recomputed": m}."""
    ruleset = RuleSet(as_of=as_of or today())
    span = employee_ids is None  # each chunk of everyone is an id range
    if employee_ids is None:
        ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(employee_ids))
    examined = recomputed = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        people = person_inputs(chunk, ruleset, span=span)
        stored = dict(
            DueState.objects.filter(**_among("employee_id", chunk, span)).values_list("employee_id", "inputs_hash")
        )
        hashes = {pk: inputs_hash(person, ruleset) for pk, person in people.items()}
        changed = [pk for pk, h in hashes.items() if stored.get(pk) != h]
        examined += len(people)
        if not changed:
            continue
        now = timezone.now()
        # Computed before any write: the rules may read the database (the working-day calendar,
        # the first time it is asked), which a connection busy with a COPY cannot answer.
        results = [(pk, result) for pk in changed for result in compute_all(people[pk], ruleset)]
        items = [item_values(pk, result, ruleset.version, now) for pk, result in results]
        with transaction.atomic():
            _replace(changed, items, [(pk, hashes[pk], now) for pk in changed])
        recomputed += len(changed)
    return {"examined": examined, "recomputed": recomputed}


# The tracked tables whose history shows a change of a person's inputs (the profile, which also
# follows the salary history, and the sub-records the rules read).
_INPUT_HISTORIES = (
    (Employee, "id"),
    (SalaryHistory, "employee_id"),
    (Discipline, "employee_id"),
    (Evaluation, "employee_id"),
    (NonCountedPeriod, "employee_id"),
    (RetirementDecision, "employee_id"),
    (EmploymentContract, "employee_id"),
    (Probation, "employee_id"),
)


def changed_since(when) -> set[int]:
    """The people whose inputs may have changed since `when`: a history row written since then on
    their profile or one of the sub-records the rules read, or never computed."""
    ids: set[int] = set()
    for model, column in _INPUT_HISTORIES:
        ids.update(model.history.filter(history_date__gte=when).values_list(column, flat=True).distinct())
    ids.update(Employee.objects.filter(due_state__isnull=True).values_list("pk", flat=True))
    return ids


def refresh_changed(*, as_of: datetime.date | None = None) -> RefreshRun:
    """The nightly refresh. Everyone when the rules (or the salary classes, or the salary table in
    force) changed since the last finished run, or there is none; otherwise only the people
    changed_since() that run's start. Each of them is then recomputed only when the hash of their
    inputs differs from the stored one."""
    as_of = as_of or today()
    started = timezone.now()
    version = RuleSet(as_of=as_of).version
    last = RefreshRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    full = last is None or last.rule_version != version
    ids = None if full else changed_since(last.started_at)
    counts = refresh_due_items(employee_ids=ids, as_of=as_of)
    return RefreshRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        rule_version=version,
        full=full,
        **counts,
    )
