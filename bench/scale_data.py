"""Ministry-scale data set for the page and cycle benchmarks (issue #9): a unit tree, people with
sub-records and years of profile versions, open approval tasks, an access log, and users with
grants at each level, in a PostgreSQL database whose name contains "bench".

    nice -n 10 .venv/bin/python bench/scale_data.py                 # 100,000 people (≈ 3.1 M history rows)
    nice -n 10 .venv/bin/python bench/scale_data.py --people 2000   # a smoke-size set
    nice -n 10 .venv/bin/python bench/scale_data.py --people 2000 --long-history 1000  # with the full-size long history

Rows are written through the project's bulk path (`tracking.bulk_create_tracked`, and the
tracked history model's `bulk_history_create` for later versions), each history row naming the
loader, the approver and a reason; open tasks are real ChangeRequestFlow processes: a few are
submitted through `workflows.services.submit_change_request`, the rest are copies of their
process, request and task rows, each about another person (with that person's latest version
as the base, so approving one applies it).

Resumable: the table `bench_scale_marker` keeps the parameters and each finished phase (each
phase is one transaction). A rerun with the same parameters migrates (other branches add
migrations: the data survives them) and skips what is done; other parameters drop and
recreate the database.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qlcb_bench_scale"
QUICK_URL = "postgres://postgres@127.0.0.1:5432/qlcb_bench_scale_quick"


def default_url() -> str:
    """BENCH_SCALE_DATABASE_URL, else the smoke run's own database with BENCH_QUICK=1 (as the
    Makefile has it: a script run by hand never lands on the full data set), else the full one."""
    quick = os.environ.get("BENCH_QUICK") == "1"
    return os.environ.get("BENCH_SCALE_DATABASE_URL") or (QUICK_URL if quick else DEFAULT_URL)


PASSWORD = "bench-Mat-khau-2026"  # every bench user's password; the bench database only
MARKER = "bench_scale_marker"
REAL_SUBMISSIONS = 20  # open requests submitted through the service; the others copy their rows
LOADER = "bench-loader"
REASON = "Dữ liệu thử tải quy mô Bộ (issue #9)"
# The accounts the page and cycle benchmarks log in as (username → what it is for).
USERS = {
    "viewer": "xem toàn Bộ (viewer at the ministry root)",
    "officer": "cán bộ tổ chức của một chi cục (officer of one district)",
    "approver": "lãnh đạo của chi cục lớn: hàng đợi ≥ 4.500 việc (approver, big queue)",
    "inbox": "lãnh đạo có 500 việc đã nhận (approver with 500 assigned tasks)",
    "inspector": "thanh tra toàn Bộ (inspector at the root: the whole access log)",
    "province": "xem một tỉnh (viewer of one province)",
}


def sizes(people: int, long_history: int | None = None) -> dict:
    """The data set's parameters, proportional to the ministry's (100,000 people, 5,000 units);
    `long_history` overrides the long-history person's versions (a small set with the full-size
    person, to measure the history page)."""
    return {
        "people": people,
        "units": max(60, people // 20),
        "versions": 25,  # profile versions per person, on top of the first one
        "long_history": long_history or min(1000, max(50, people // 100)),  # one person with this many versions
        "tasks": max(200, people // 5),
        "big_queue": min(4500, max(50, people * 45 // 1000)),
        "inbox": min(500, max(20, people // 200)),
        "access_log": people * 5,
        "format": 2,  # bump when the generator changes what it writes
    }


# --- the database and the marker -----------------------------------------------------------


def admin_url(url: str) -> str:
    return urlparse(url)._replace(path="/postgres").geturl()


def database_name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to use {name!r}: the bench database's name must contain 'bench'.")
    return name


def stored_params(url: str):
    """The parameters the database was generated with, or None (no database, no marker)."""
    import psycopg

    name = database_name(url)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]:
            return None
        row = conn.execute(f"SELECT params FROM {MARKER} WHERE id = 1").fetchone()
        return row[0] if row else None


def prepare_database(url: str, params: dict) -> None:
    """Keep the database when it was made with these parameters; else drop and create it."""
    import psycopg

    name = database_name(url)
    if stored_params(url) == params:
        print(f"Reusing {name} (same parameters).", flush=True)
        return
    print(f"Creating {name} afresh.", flush=True)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE {MARKER} (id int PRIMARY KEY, params jsonb NOT NULL, "
            "phases jsonb NOT NULL DEFAULT '{}', finished timestamptz)"
        )
        conn.execute(f"INSERT INTO {MARKER} (id, params) VALUES (1, %s)", [json.dumps(params)])


def done_phases() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phases FROM {MARKER} WHERE id = 1")
        value = cursor.fetchone()[0]
    return json.loads(value) if isinstance(value, str) else value


def mark_done(phase: str, seconds: float, rows: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MARKER} SET phases = phases || %s::jsonb WHERE id = 1",
            [json.dumps({phase: {"seconds": round(seconds, 1), "rows": rows}})],
        )


def django_setup(url: str) -> None:
    from common import bench_env

    os.environ.update(bench_env(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- phases --------------------------------------------------------------------------------


def loader_context(**extra):
    from django.contrib.auth import get_user_model

    from tracking.context import ChangeContext

    loader = get_user_model().objects.get(username=LOADER)
    return ChangeContext(reason=REASON, proposed_by=loader, approved_by=loader, **extra)


def phase_users(p: dict) -> int:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    hashed = make_password(PASSWORD)  # hashed once: PBKDF2 per user would take minutes
    names = [LOADER] + [f"bench-{key}" for key in USERS]
    User.objects.bulk_create([User(username=name, password=hashed, is_active=True) for name in names])
    return len(names)


def tree_shape(total: int) -> tuple[int, int, int, int]:
    """(provinces, districts per province, sub-units per district, districts with one more)."""
    provinces = min(60, max(3, total // 80))
    districts = max(2, min(16, total // (provinces * 5)))
    subs = max(1, (total - 1 - provinces - provinces * districts) // (provinces * districts))
    extra = total - (1 + provinces + provinces * districts * (1 + subs))
    return provinces, districts, subs, max(0, extra)


def phase_units(p: dict) -> int:
    """The ministry → provinces/departments → districts → teams, as treebeard paths in code order,
    written with bulk_create_tracked (a first history row each)."""
    from tracking.context import tracked_change
    from tracking.models import bulk_create_tracked
    from units.models import Unit

    provinces, districts, subs, extra = tree_shape(p["units"])
    K = Unit.Kind
    rows = []

    def add(parent, index, code, name, kind, children):
        path = Unit._get_path(parent.path if parent else None, parent.depth + 1 if parent else 1, index)
        unit = Unit(path=path, depth=len(path) // Unit.steplen, numchild=children, code=code, name=name, kind=kind)
        rows.append(unit)
        return unit

    root = add(None, 1, "BTC", "Bộ Tài chính", K.MINISTRY, provinces)
    n = 0
    for i in range(1, provinces + 1):
        kind, label = (K.DEPARTMENT, "Vụ") if i % 6 == 0 else (K.AGENCY, "Cục Thuế tỉnh")
        province = add(root, i, f"BTC.{i:03d}", f"{label} {i:02d}", kind, districts)
        for j in range(1, districts + 1):
            n += 1
            teams = subs + (1 if n <= extra else 0)
            district = add(province, j, f"BTC.{i:03d}.{j:03d}", f"Chi cục {i:02d}-{j:02d}", K.SUB_AGENCY, teams)
            for k in range(1, teams + 1):
                add(district, k, f"BTC.{i:03d}.{j:03d}.{k:02d}", f"Đội {i:02d}-{j:02d}-{k:02d}", K.BRANCH, 0)
    for unit in rows[:3]:
        unit.full_clean(validate_unique=False, validate_constraints=False)
    with tracked_change(loader_context()):
        bulk_create_tracked(Unit, rows, validate=False)
    return len(rows)


def leaf_units():
    from units.models import Unit

    return list(Unit.objects.filter(numchild=0).order_by("path"))


def employee_for(facts: dict, unit) -> "Employee":  # noqa: F821
    from records.models import Employee

    rng = facts["rng"]
    return Employee(
        full_name=facts["name"],
        date_of_birth=facts["born"],
        sex=Employee.Sex.MALE if facts["sex"] == "male" else Employee.Sex.FEMALE,
        place_of_birth=facts["place"],
        home_town=facts["place"],
        citizen_id=facts["cccd"],
        citizen_id_issue_date=datetime.date(2021, 1 + rng.randrange(12), 1 + rng.randrange(28)),
        citizen_id_issue_place="Cục Cảnh sát QLHC về TTXH",
        recruitment_date=facts["recruited"],
        recruiting_agency=unit.name,
        main_duties="Quản lý thuế",
        rank_code=facts["rank"],
        salary_step=facts["step"],
        salary_coefficient=facts["coefficient"],
        salary_effective_date=facts["salary_date"],
        qualification=Employee.Qualification.BACHELOR,
        major=rng.choice(["Kinh tế", "Kế toán", "Luật", "Tài chính – Ngân hàng"]),
        state_management=Employee.StateManagement.SPECIALIST,
        employment_status=Employee.EmploymentStatus.CIVIL_SERVANT,
        managing_unit=unit,
        current_address=f"Số 1 đường Láng, {facts['place']}",
    )


VERSIONED_FIELDS = ("current_address", "health_status", "foreign_language")


def version_values(facts: dict, k: int, count: int) -> tuple[dict, datetime.datetime]:
    """Version k (1..count) of a person's profile: a new address, health note and language
    level over the years from recruitment to 2025, and when it was made."""
    start = datetime.datetime.combine(facts["recruited"], datetime.time(9), tzinfo=datetime.UTC)
    span = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC) - start
    when = start + span * k / (count + 1)
    values = {
        "current_address": f"Số {k + 1} phố {facts['place']}, {facts['place']}",
        "health_status": ["Tốt", "Bình thường", "Khá"][k % 3],
        "foreign_language": f"Tiếng Anh {['A2', 'B1', 'B2'][k % 3]}",
    }
    return values, when


def phase_people(p: dict) -> int:
    """People in the leaf units, each with two work periods, a salary row, an evaluation and a
    parent (bulk_create_tracked), then `versions` profile versions over the years (the history
    model's bulk_history_create, with the same who/why columns), the row ending at the last."""
    from django.db import transaction
    from make_file import People

    from records.models import Employee
    from tracking.context import tracked_change

    units = leaf_units()
    people = People("")
    context = loader_context()
    # Committed every COMMIT_EVERY people (the phase is `chunked`, see run_phases), resuming
    # after the last committed chunk: one transaction over 100,000 people left ~1.2 million
    # deferred foreign-key checks to a COMMIT that took 12 minutes on an idle machine and over
    # 40 on a loaded one. The cause was the statistics: taken by run_phases' ANALYZE while the
    # table was empty, they made the planner answer each check's `WHERE id = $1` on
    # records_employee with the (managing_unit_id, sort_key, id) index, a scan of the whole
    # index per check (43 ms at 100,000 rows; 0.05 ms by the primary key). So each chunk is
    # followed by ANALYZE.
    done = Employee.objects.count()
    if done < p["people"] and done % BATCH:
        raise SystemExit(f"{done} people on file, not a whole number of batches: drop {MARKER} and rerun")
    written = done
    started = time.monotonic()
    for chunk in range(done, p["people"], COMMIT_EVERY):
        with transaction.atomic(), tracked_change(context):
            written = _people_chunk(p, people, units, context, chunk, min(chunk + COMMIT_EVERY, p["people"]))
        analyze()
        rate = (written - done) / (time.monotonic() - started)
        print(f"    people {written:,}/{p['people']:,} committed ({rate:,.0f}/s)", flush=True)
    return written


phase_people.chunked = True
BATCH = 1000
COMMIT_EVERY = 10_000


def _people_chunk(p, people, units, context, start, stop) -> int:
    from django.db import models

    from records.models import Employee, Evaluation, FamilyMember, SalaryHistory, WorkHistory
    from tracking.models import bulk_create_tracked

    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop))
        facts = [people.facts(n) for n in numbers]
        employees = [employee_for(f, units[f["n"] % len(units)]) for f in facts]
        for e, f in zip(employees, facts, strict=True):
            e._history_date = datetime.datetime.combine(f["recruited"], datetime.time(8), tzinfo=datetime.UTC)
        if first == 0:
            for e in employees[:5]:
                e.full_clean(validate_unique=False)
        bulk_create_tracked(Employee, employees, validate=False)
        subs = subrecords(facts, employees)
        for model in (WorkHistory, SalaryHistory, Evaluation, FamilyMember):
            bulk_create_tracked(model, subs[model], validate=False)
        counts = [p["long_history"] if first + i == 0 else p["versions"] for i in range(len(employees))]
        add_versions(employees, facts, counts, context)
        # The rows end at their last version, whose history rows add_versions wrote.
        models.QuerySet(model=Employee).bulk_update(employees, list(VERSIONED_FIELDS))
    return stop


def add_versions(employees: list, facts: list, counts: list[int], context) -> None:
    """Versions 1..count of each person, one bulk of history rows per version number."""
    from records.models import Employee

    for k in range(1, max(counts) + 1):
        chosen = []
        for e, f, count in zip(employees, facts, counts, strict=True):
            if k <= count:
                values, e._history_date = version_values(f, k, count)
                for name, value in values.items():
                    setattr(e, name, value)
                chosen.append(e)
        write_versions(Employee, chosen, context)


def write_versions(model, objs: list, context) -> None:
    """History rows of updates of `objs` (as they are in memory), stamped like bulk_create_tracked's."""
    model.history.bulk_history_create(
        objs,
        update=True,
        batch_size=1000,
        default_user=context.approved_by,
        default_change_reason=context.reason,
        custom_historical_attrs={
            "proposed_by": context.proposed_by,
            "approved_by": context.approved_by,
            "change_request": context.change_request,
            "approved_for": context.acting_for,
        },
    )


def subrecords(facts: list[dict], employees: list) -> dict:
    from records.models import Evaluation, FamilyMember, SalaryHistory, WorkHistory

    out = {WorkHistory: [], SalaryHistory: [], Evaluation: [], FamilyMember: []}
    for f, e in zip(facts, employees, strict=True):
        out[WorkHistory] += [
            WorkHistory(
                employee=e,
                start_date=f["recruited"],
                end_date=f["moved"] - datetime.timedelta(days=1),
                organisation=f"Chi cục Thuế {f['place']}",
                title="Chuyên viên",
            ),
            WorkHistory(employee=e, start_date=f["moved"], organisation=e.managing_unit.name, title="Chuyên viên"),
        ]
        out[SalaryHistory].append(
            SalaryHistory(
                employee=e,
                effective_date=f["salary_date"],
                rank_code=f["rank"],
                salary_step=f["step"],
                salary_coefficient=f["coefficient"],
            )
        )
        out[Evaluation].append(Evaluation(employee=e, year=2024, rating="good"))
        out[FamilyMember].append(
            FamilyMember(
                employee=e,
                relation="Bố",
                full_name=f"{f['name'].split()[0]} Văn Bố",
                birth_year=f["born"].year - 27,
            )
        )
    return out


def phase_grants(p: dict) -> int:
    """Grants at each level; the units are picked by position so every size has them."""
    from django.contrib.auth import get_user_model

    from units.models import Role, RoleGrant, Unit

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="bench-")}
    units = named_units()
    grants = [
        ("bench-viewer", Unit.objects.get_first_root_node(), Role.VIEWER),
        ("bench-officer", units["big"], Role.OFFICER),
        ("bench-approver", units["big"], Role.APPROVER),
        ("bench-inbox", units["inbox"], Role.APPROVER),
        ("bench-inspector", Unit.objects.get_first_root_node(), Role.INSPECTOR),  # reads the whole access log
        ("bench-province", units["province"], Role.VIEWER),
    ]
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=users[name], unit=unit, role=role, valid_from=datetime.date(2020, 1, 1), reason=REASON)
            for name, unit, role in grants
        ]
    )
    return len(grants)


def named_units() -> dict:
    """The units the benchmarks use: the big queue's, the inbox's, the cycle's (three leaf units
    of the first province) and that province."""
    from units.models import Unit

    leaves = leaf_units()
    big = leaves[0]
    return {
        "big": big,
        "inbox": leaves[1],
        "cycle": leaves[2],
        "province": Unit.objects.get(path=big.path[: 2 * Unit.steplen]),
    }


def phase_tasks(p: dict) -> int:
    """Open approval tasks: one request per unit is submitted through the service (the real
    rows), then copied for other people: `big_queue` in the big queue's unit, `inbox` in the
    inbox unit (assigned to bench-inbox), the rest spread over every leaf unit."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from records.models import Employee
    from units.models import Role, RoleGrant

    inbox_user = get_user_model().objects.get(username="bench-inbox")
    units = named_units()
    leaves = leaf_units()
    people = {}
    for pk, unit_id in Employee.objects.values_list("pk", "managing_unit_id").order_by("pk"):
        people.setdefault(unit_id, []).append(pk)
    latest = dict(Employee.history.values_list("id").annotate(m=Max("history_id")))
    rng = random.Random(9)
    plan = [(units["big"], p["big_queue"]), (units["inbox"], p["inbox"])]
    rest = p["tasks"] - p["big_queue"] - p["inbox"]
    others = [u for u in leaves if u.pk not in (units["big"].pk, units["inbox"].pk, units["cycle"].pk)]
    per_unit = {}
    for i in range(rest):
        unit = others[i % len(others)]
        per_unit[unit.pk] = per_unit.get(unit.pk, 0) + 1
    by_pk = {u.pk: u for u in others}
    plan += [(by_pk[pk], count) for pk, count in per_unit.items()]
    # The loader proposes them: an officer of each unit (only a unit's own officer proposes).
    loader = get_user_model().objects.get(username=LOADER)
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=loader, unit=unit, role=Role.OFFICER, valid_from=datetime.date(2020, 1, 1))
            for unit, _count in plan
        ]
    )
    loader = get_user_model().objects.get(username=LOADER)
    written, template = 0, None
    started = time.monotonic()
    for number, (unit, count) in enumerate(plan):
        template = open_requests(number, unit, count, people[unit.pk], template, latest, loader, rng)
        written += count
        if written % 2000 < count + 1:
            print(f"    tasks {written:,}/{p['tasks']:,} ({written / (time.monotonic() - started):,.0f}/s)", flush=True)
    if p["inbox"]:
        assign_all(units["inbox"], inbox_user)
    return written


def open_requests(number, unit, count, pks, template, latest, loader, rng, reason="Cập nhật tên gọi khác (thử tải)"):
    """`count` open requests about people `pks` of `unit`: the first REAL_SUBMISSIONS units'
    first one submitted through the service, the others copies of the last one submitted.
    Returns the request the next units copy."""
    from records.models import Employee
    from workflows.changesets import make_update
    from workflows.models import ChangeRequest
    from workflows.services import submit_change_request

    if number < REAL_SUBMISSIONS:
        employee = Employee.objects.get(pk=pks[0])
        template = submit_change_request(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=unit,
            submitted_by=loader,
            operations=[make_update(employee, {"other_names": "Tên gọi khác 0"})],
            reason=reason,
            title=f"Cập nhật hồ sơ {employee.full_name}",
            employee=employee,
        )
        count -= 1
    clone_requests(template, unit, [rng.choice(pks) for _ in range(count)], latest)
    return template


def copy_row(obj, **changes):
    """A new unsaved instance with obj's concrete field values (no pk) and `changes`."""
    model = type(obj)
    values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return model(**values)


def clone_requests(template, unit, employee_pks: list, latest: dict) -> None:
    """Copies of a submitted request's rows (process, request, its start and approval tasks and
    the link between them), each about a person of `unit` (a leaf unit, as the template's, so
    its one approval level is the unit's leader), based on that person's latest version."""
    from viewflow.workflow.models import Process, Task

    from records.models import Employee
    from workflows.models import ChangeRequest

    if not employee_pks:
        return
    template.refresh_from_db()
    process = Process.objects.get(pk=template.process_id)
    tasks = list(Task.objects.filter(process=process).order_by("pk"))
    names = dict(Employee.objects.filter(pk__in=set(employee_pks)).values_list("pk", "full_name"))
    processes = Process.objects.bulk_create([copy_row(process) for _ in employee_pks])
    requests = []
    for number, (pk, proc) in enumerate(zip(employee_pks, processes, strict=True), start=1):
        op = dict(template.operations[0], pk=pk, base=latest[pk], values={"other_names": f"Tên gọi khác {number}"})
        op.pop("old", None)  # the template person's row: a copy's pages read its own version
        requests.append(
            copy_row(
                template,
                process_id=proc.pk,
                employee_id=pk,
                operations=[op],
                title=f"Cập nhật hồ sơ {names[pk]}",
                unit_id=unit.pk,
                pending_unit_id=unit.pk,
                levels=[dict(level, unit=unit.pk) for level in template.levels],
            )
        )
    for change_request in requests:
        change_request.derive_fields()  # bulk_create skips save(): the title's search key, its touched
    ChangeRequest.objects.bulk_create(requests)
    links = []
    for proc in processes:
        made = Task.objects.bulk_create([copy_row(t, process_id=proc.pk) for t in tasks])
        links += [Task.previous.through(from_task_id=made[1].pk, to_task_id=made[0].pk)] if len(made) > 1 else []
    Task.previous.through.objects.bulk_create(links)


def assign_all(unit, user) -> None:
    """The inbox unit's open approval tasks, assigned to `user` as the queue's "assign" does."""
    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.models import ChangeRequest

    processes = ChangeRequest.objects.filter(unit=unit).values("process_id")
    Task.objects.filter(process_id__in=processes, status=STATUS.NEW, flow_task_type="HUMAN").update(
        owner=user, status=STATUS.ASSIGNED, assigned=timezone.now()
    )


APPLIED_EVERY = 100  # people of the data set per applied change request (issue #11's timeline of changes)


def phase_applied(p: dict) -> int:
    """Applied changes for the inspectors' timeline (issue #11): in the big queue's unit, the
    officer proposes and the approver approves `people` // APPLIED_EVERY changes of the unit's
    people in turn (a unit has about twenty), through the services a page calls, so each has
    its decision, its history rows (old and new values) and its notifications. A phase of its
    own, after the others, so a data set made before it only runs this one; the requests it
    adds are applied at once, so the queue's figure does not move."""
    from django.contrib.auth import get_user_model

    from records.models import Employee
    from workflows.changesets import make_update
    from workflows.models import ChangeRequest
    from workflows.services import decide_change_request, submit_change_request

    users = get_user_model().objects.in_bulk(["bench-officer", "bench-approver"], field_name="username")
    unit = named_units()["big"]
    count = max(10, p["people"] // APPLIED_EVERY)
    people = list(Employee.objects.filter(managing_unit=unit).order_by("pk").values_list("pk", flat=True))
    started = time.monotonic()
    for number in range(1, count + 1):
        employee = Employee.objects.get(pk=people[number % len(people)])  # its latest version is the base
        field = ("other_names", "main_duties")[number % 2]
        change_request = submit_change_request(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=unit,
            submitted_by=users["bench-officer"],
            operations=[make_update(employee, {field: f"Thay đổi thử tải {number}"})],
            reason="Cập nhật hồ sơ (thử tải dòng thời gian)",
            title=f"Cập nhật hồ sơ {employee.full_name}",
            employee=employee,
        )
        decide_change_request(change_request=change_request, user=users["bench-approver"], decision="approve")
        if number % 200 == 0:
            print(f"    applied {number:,}/{count:,} ({number / (time.monotonic() - started):,.0f}/s)", flush=True)
    return ChangeRequest.objects.filter(unit=unit, status=ChangeRequest.Status.APPLIED).count()


def phase_access_log(p: dict) -> int:
    """Reads of files by the bench users over two years, as the access log writes them."""
    from django.contrib.auth import get_user_model

    from records.models import AccessLog, Employee

    users = list(get_user_model().objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    employees = list(Employee.objects.values_list("pk", "full_name"))
    rng = random.Random(5)
    start = datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    step = datetime.timedelta(days=730) / p["access_log"]
    written, batch = 0, 5000
    while written < p["access_log"]:
        rows = []
        for i in range(written, min(written + batch, p["access_log"])):
            pk, name = rng.choice(employees)
            rows.append(
                AccessLog(
                    user_id=rng.choice(users),
                    at=start + step * i,
                    kind=AccessLog.Kind.VIEW,
                    employee_id=pk,
                    employee_name=name,
                    path=f"/records/employees/{pk}/",
                    ip_address="10.0.0.1",
                )
            )
        AccessLog.objects.bulk_create(rows)
        written += len(rows)
    return written


PHASES = [
    ("users", phase_users),
    ("units", phase_units),
    ("grants", phase_grants),
    ("people", phase_people),
    ("tasks", phase_tasks),
    ("access_log", phase_access_log),
    ("applied", phase_applied),
]


def generate(url: str, params: dict) -> dict:
    """Create or reuse the data set; returns the marker's phases (seconds and rows of each)."""
    prepare_database(url, params)
    django_setup(url)
    from django.db import connection

    run_phases(PHASES, params)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MARKER} SET finished = coalesce(finished, now()) WHERE id = 1")
    return done_phases()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_phases(phases: list, params: dict) -> None:
    """Migrate, then each phase not done yet, one transaction each, marked done in it."""
    from django.core.management import call_command
    from django.db import transaction

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"  migrate {time.monotonic() - started:.1f} s", flush=True)
    done = done_phases()
    for name, phase in phases:
        if name in done:
            continue
        started = time.monotonic()
        if getattr(phase, "chunked", False):  # commits as it goes and resumes by itself
            rows = phase(params)
            with transaction.atomic():
                mark_done(name, time.monotonic() - started, rows)
        else:
            with transaction.atomic():
                rows = phase(params)
                mark_done(name, time.monotonic() - started, rows)
        analyze()  # the next phase's queries need the new rows' statistics
        print(f"  {name:<12} {rows:>10,} rows {time.monotonic() - started:8.1f} s", flush=True)


def count_history() -> int:
    from django.apps import apps
    from django.db import connection

    tables = [m._meta.db_table for m in apps.get_models() if m.__name__.startswith("Historical")]
    with connection.cursor() as cursor:
        cursor.execute(" + ".join(f"(SELECT count(*) FROM {t})" for t in tables).join(["SELECT ", ""]))
        return cursor.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=int(os.environ.get("BENCH_PEOPLE", 100_000)))
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--long-history", type=int, default=None, help="versions of the long-history person")
    args = parser.parse_args()
    params = sizes(args.people, args.long_history)
    print(f"Scale data: {params}", flush=True)
    started = time.monotonic()
    phases = generate(args.database_url, params)
    history = count_history()
    print(f"Done in {time.monotonic() - started:.1f} s; history rows: {history:,}; phases: {phases}")
    write_data_section(params, phases, history)


def write_data_section(params: dict, phases: dict, history: int) -> None:
    from common import stamp, write_section

    from records.models import Employee

    rows = "\n".join(f"| {name} | {v['rows']:,} | {v['seconds']} s |" for name, v in phases.items())
    longest = Employee.history.values("id").order_by("id").first()
    write_section(
        "data",
        f"""### Data set (bench/scale_data.py), checked {stamp()}

{params["people"]:,} people in {params["units"]:,} units, **{history:,} history rows**, {params["tasks"]:,} open
approval tasks ({params["big_queue"]:,} in bench-approver's queue, {params["inbox"]:,} in bench-inbox's inbox),
{params["access_log"]:,} access-log rows; the first person (id {longest and longest["id"]}) has
{params["long_history"] + 1:,} versions. Generated once (seconds of each phase, under the load of the day):

| phase | rows | time |
|---|---:|---:|
{rows}""",
    )


if __name__ == "__main__":
    main()
