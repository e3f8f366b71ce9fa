"""Computing and storing due items: the rule rows and the people's inputs read in bulk, the pure
rules of duedates.rules applied, and the DueItem rows of the people whose inputs or rules
changed rewritten, a chunk of people per transaction."""

import datetime
import hashlib
import json
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from records.models import (
    Discipline,
    Employee,
    EmploymentContract,
    Evaluation,
    NonCountedPeriod,
    Probation,
    SalaryHistory,
    SalaryRank,
)
from records.models.employee import today

from . import rules, term_rules
from .models import RULE_MODELS, DueItem, DueState, RefreshRun

CHUNK = 2000


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


class RuleSet:
    """The rule rows and the salary classes, read once for a refresh; `version` changes whenever
    any row does (a hash of their content), so a changed rule recomputes everyone."""

    def __init__(self, *, as_of: datetime.date):
        self.as_of = as_of
        rows = {model: [r.as_rule() for r in model.objects.order_by("pk")] for model in RULE_MODELS}
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
            holding_periods=tuple(rows[HoldingPeriod]),
            extensions=tuple(rows[StepExtension]),
            beyond=tuple(rows[BeyondLastStep]),
        )
        self.term_rules = term_rules.TermRules(
            probation_lengths=tuple(rows[ProbationLength]), end_notices=tuple(rows[EndNotice])
        )
        # rank code -> [(table in force from, salary class, number of steps)], newest first
        self.ranks: dict[str, list] = {}
        for code, since, group, coefficients in SalaryRank.objects.order_by("-table__effective_from").values_list(
            "rank_code", "table__effective_from", "scale_group", "coefficients"
        ):
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


def _rows(model, when):
    """The rows of `model` now (`when` None), or as they stood at the moment `when` (its
    history: simple_history's as_of, the latest version of each row at that moment)."""
    return model.objects.all() if when is None else model.history.as_of(when)


def person_inputs(employee_ids, ruleset: RuleSet, *, when=None) -> dict[int, dict]:
    """The inputs of the rules for a chunk of people: six queries, whatever the chunk's size.
    With `when` (an aware datetime), the file as it stood then, read from its history (by "id":
    on a history queryset "pk" and "pk__in" name the history row's own key)."""
    people = {}
    for row in (
        _rows(Employee, when)
        .filter(id__in=employee_ids)
        .values(
            "id",
            "date_of_birth",
            "birth_date_precision",
            "sex",
            "employment_status",
            "rank_code",
            "salary_step",
            "salary_effective_date",
            "seniority_allowance_percent",
        )
    ):
        salary_class, last_step = ruleset.rank(row["rank_code"], row["salary_effective_date"])
        people[row["id"]] = {
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
            "sanctions": [],
            "poor_years": [],
            "periods": [],
            "contracts": [],
            "probations": [],
        }
    found = list(people)  # as of a past moment, only those on file then
    for d in (
        _rows(Discipline, when)
        .filter(employee_id__in=found)
        .order_by("id")
        .values("id", "employee_id", "form", "effective_from", "annulled")
    ):
        people[d["employee_id"]]["sanctions"].append(
            rules.Sanction(d["id"], d["form"], d["effective_from"], d["annulled"])
        )
    for employee_id, year in (
        _rows(Evaluation, when)
        .filter(employee_id__in=found, rating=Evaluation.Rating.FAILED)
        .order_by("year")
        .values_list("employee_id", "year")
    ):
        people[employee_id]["poor_years"].append(year)
    for p in (
        _rows(NonCountedPeriod, when)
        .filter(employee_id__in=found)
        .order_by("start_date", "id")
        .values("id", "employee_id", "kind", "start_date", "end_date", "leftover_working_days")
    ):
        people[p["employee_id"]]["periods"].append(
            rules.NonCounted(p["id"], p["kind"], p["start_date"], p["end_date"], p["leftover_working_days"])
        )
    for c in (
        _rows(EmploymentContract, when)
        .filter(employee_id__in=found)
        .order_by("start_date", "id")
        .values("id", "employee_id", "kind", "start_date", "end_date")
    ):
        people[c["employee_id"]]["contracts"].append(
            term_rules.Contract(c["id"], c["kind"], c["start_date"], c["end_date"])
        )
    for p in (
        _rows(Probation, when)
        .filter(employee_id__in=found)
        .order_by("start_date", "id")
        .values("id", "employee_id", "kind", "start_date", "end_date")
    ):
        people[p["employee_id"]]["probations"].append(
            term_rules.ProbationTerm(p["id"], p["kind"], p["start_date"], p["end_date"])
        )
    return people


def compute_all(person: dict, ruleset: RuleSet) -> list[rules.Result]:
    """Every result for one person: the retirement and salary rules, then the terms'."""
    return rules.compute(person, ruleset.rules) + term_rules.compute(person, ruleset.term_rules)


_LIST_INPUTS = ("sanctions", "periods", "contracts", "probations")


def inputs_hash(person: dict, ruleset: RuleSet) -> str:
    data = {k: ([asdict(x) for x in v] if k in _LIST_INPUTS else v) for k, v in person.items()}
    return hashlib.sha256(_json([ruleset.version, data]).encode()).hexdigest()


def build_item(employee_id: int, result: rules.Result, ruleset: RuleSet, now) -> DueItem:
    deadlines = result.deadlines
    inputs = json.loads(_json(result.inputs))
    return DueItem(
        employee_id=employee_id,
        kind=result.kind,
        about=result.about,
        due_date=result.due_date,
        pension_start=deadlines.get("pension_start"),
        notice_deadline=deadlines.get("notice"),
        decision_deadline=deadlines.get("decision"),
        reason=result.reason[:255],
        inputs=inputs,
        rule_ids=result.rule_ids,
        rule_version=ruleset.version,
        computed_at=now,
    )


def refresh_due_items(*, employee_ids=None, as_of: datetime.date | None = None, chunk_size: int = CHUNK) -> dict:
    """Recompute the due items of `employee_ids` (everyone when None) whose inputs or rules
    changed since they were last computed; the others are left as they are. Idempotent: a second
    run with nothing changed writes nothing. Returns {"examined": n, "recomputed": m}."""
    ruleset = RuleSet(as_of=as_of or today())
    if employee_ids is None:
        ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(employee_ids))
    examined = recomputed = 0
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        people = person_inputs(chunk, ruleset)
        stored = dict(DueState.objects.filter(employee_id__in=chunk).values_list("employee_id", "inputs_hash"))
        hashes = {pk: inputs_hash(person, ruleset) for pk, person in people.items()}
        changed = [pk for pk, h in hashes.items() if stored.get(pk) != h]
        examined += len(people)
        if not changed:
            continue
        now = timezone.now()
        items = [build_item(pk, result, ruleset, now) for pk in changed for result in compute_all(people[pk], ruleset)]
        with transaction.atomic():
            DueItem.objects.filter(employee_id__in=changed).delete()
            DueState.objects.filter(employee_id__in=changed).delete()
            DueItem.objects.bulk_create(items, batch_size=1000)
            DueState.objects.bulk_create(
                [DueState(employee_id=pk, inputs_hash=hashes[pk], computed_at=now) for pk in changed], batch_size=1000
            )
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
