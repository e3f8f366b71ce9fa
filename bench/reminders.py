"""Benchmark of issue #10 part 6: the daily digest sweep and the nightly due refresh.

    nice -n 10 .venv/bin/python bench/reminders.py                    # 100,000 people
    nice -n 10 .venv/bin/python bench/reminders.py --people 20000     # a smaller file

1. Digest sweep: 300 approvers, one per unit of 300 leaf units, and 20,000 overdue approval tasks
   spread unevenly (1 to 500 per approver). `notifications.services.sweep_digests()` runs here;
   a real Celery worker (prefork, 2 processes, or `--pool solo`) on Redis (database 12 by
   default) makes the digests and sends them to an SMTP sink on 127.0.0.1 (aiosmtpd). Timed from
   the sweep's start until every digest is confirmed (the server accepted it). Budget 30 s.
2. Due refresh (`duedates.services.refresh_changed`, the nightly task's service) over every
   person (each with a salary history row): the first run (nothing stored), a full run after a
   rule row changed (everyone recomputed), and an incremental run after 1 % of the people
   changed. Budget 60 s for 100,000 people.

The data are made with scale_data.py's bulk paths (its units, users, people without the later
profile versions, and its copies of submitted requests), in their own PostgreSQL database
(default `qlcb_remindbench`; the name must contain "bench"), resumable as scale_data.py's is.
The figures go to the generated section of bench/README.md, with the load average around each
measurement.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scale_data  # noqa: E402
from common import LoadSampler, bench_env, free_port, load_average, stamp, write_section  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qlcb_remindbench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/12"
APPROVERS = 300
OVERDUE = 20_000
MOST = 500  # overdue approvals of the busiest approver
SWEEP_BUDGET, REFRESH_BUDGET, FULL_SIZE = 30.0, 60.0, 100_000


def sizes(people: int, overdue: int = OVERDUE) -> dict:
    return {
        "people": people,
        "units": 370,  # scale_data's tree: 301 leaf units, the first 300 get an approver each
        "versions": 0,
        "long_history": 0,
        "approvers": APPROVERS,
        "overdue": overdue,
        "format": 1,
    }


def uneven(total: int, count: int, most: int) -> list[int]:
    """`count` numbers from `most` down to 1 (geometric), summing to `total`."""
    low, high = 0.5, 1.0
    for _ in range(60):
        ratio = (low + high) / 2
        if sum(max(1, round(most * ratio**i)) for i in range(count)) > total:
            high = ratio
        else:
            low = ratio
    counts = [max(1, round(most * low**i)) for i in range(count)]
    i = 1
    while sum(counts) < total:  # the rounding's remainder, to the busy ones (never above `most`)
        if counts[i % count] < most:
            counts[i % count] += 1
        i += 1
    return counts


# --- data ------------------------------------------------------------------------------------


def approver_units():
    return scale_data.leaf_units()[:APPROVERS]


def phase_approvers(p: dict) -> int:
    """An approver with an email in each of the first 300 leaf units, and the loader an officer
    there (only a unit's own officer proposes)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from units.models import Role, RoleGrant

    User = get_user_model()
    hashed = make_password(scale_data.PASSWORD)
    units = approver_units()
    users = User.objects.bulk_create(
        [
            User(username=f"remind-approver-{n:03d}", email=f"duyet{n:03d}@bench.invalid", password=hashed)
            for n in range(len(units))
        ]
    )
    loader = User.objects.get(username=scale_data.LOADER)
    since = datetime.date(2020, 1, 1)
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(user=u, unit=unit, role=Role.APPROVER, valid_from=since)
            for u, unit in zip(users, units, strict=True)
        ]
        + [RoleGrant(user=loader, unit=unit, role=Role.OFFICER, valid_from=since) for unit in units]
    )
    return len(users)


def phase_overdue(p: dict) -> int:
    """The overdue approvals: in each unit one request submitted through the service (the first
    REAL_SUBMISSIONS units) or a copy of the last one submitted, then copies about other people
    of the unit; all of them made 30 days old."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from django.utils import timezone
    from viewflow.workflow.models import Task

    from records.models import Employee
    from workflows.flows import ChangeRequestFlow

    units = approver_units()
    counts = uneven(p["overdue"], len(units), MOST)
    people = {}
    for pk, unit_id in Employee.objects.values_list("pk", "managing_unit_id").order_by("pk"):
        people.setdefault(unit_id, []).append(pk)
    latest = dict(Employee.history.values_list("id").annotate(m=Max("history_id")))
    loader = get_user_model().objects.get(username=scale_data.LOADER)
    rng = random.Random(10)
    written, started, template = 0, time.monotonic(), None
    for number, (unit, count) in enumerate(zip(units, counts, strict=True)):
        template = scale_data.open_requests(
            number,
            unit,
            count,
            people[unit.pk],
            template,
            latest,
            loader,
            rng,
            "Cập nhật tên gọi khác (thử tải nhắc việc)",
        )
        written += count
    old = timezone.now() - datetime.timedelta(days=30)
    Task.objects.filter(flow_task=ChangeRequestFlow.approve).update(created=old)
    print(f"    overdue {written:,} ({written / (time.monotonic() - started):,.0f}/s)", flush=True)
    return written


PHASES = [
    ("users", scale_data.phase_users),
    ("units", scale_data.phase_units),
    ("people", scale_data.phase_people),
    ("approvers", phase_approvers),
    ("overdue", phase_overdue),
]


def generate(url: str, params: dict) -> dict:
    scale_data.run_phases(PHASES, params)
    return scale_data.done_phases()


# --- the digest sweep ------------------------------------------------------------------------


class Sink:
    """aiosmtpd on 127.0.0.1, counting what it accepted."""

    def __init__(self):
        self.port = free_port()
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        return "250 Message accepted for delivery"

    def __enter__(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def start_worker(env: dict, pool: str):
    log = ROOT / "var" / "bench" / "reminders-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    concurrency = ["--pool=solo"] if pool == "solo" else ["--pool=prefork", "--concurrency=2"]
    args = [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", *concurrency, "--loglevel=INFO"]
    args += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--hostname=remindbench@%h"]
    with log.open("a") as sink:
        worker = subprocess.Popen(args, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while "ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            sys.exit("The Celery worker did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.5)
    return worker


def commits(name: str) -> int:
    """Transactions committed in the bench database so far (pg_stat_database, all sessions)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [name])
        return cursor.fetchone()[0]


def sweep(url: str, env: dict, pool: str, timeout: float) -> dict:
    import redis
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications import services
    from notifications.models import Digest, Notification

    # A rerun starts from no digest (the database is the bench's own).
    Notification.objects.filter(digest__isnull=False).update(digest=None)
    Digest.objects.all().delete()
    redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()
    worker = start_worker(env, pool)
    try:
        time.sleep(2)  # the prefork children settle
        name = scale_data.database_name(url)
        before_commits = commits(name)
        load_before = load_average()
        with LoadSampler() as load, CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            queued = services.sweep_digests()
            swept = time.monotonic() - started
        sampler = LoadSampler()
        with sampler:
            day = timezone.localdate()
            deadline = started + timeout
            done = 0
            while time.monotonic() < deadline:
                done = Digest.objects.filter(day=day, confirmed_at__isnull=False).count()
                if done >= queued:
                    break
                time.sleep(0.1)
            wall = time.monotonic() - started
        time.sleep(1.5)  # the statistics collector catches up
        transactions = commits(name) - before_commits
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {
        "queued": queued,
        "confirmed": done,
        "wall": wall,
        "sweep_call": swept,
        "sweep_sql": len(queries),
        "transactions": transactions,
        "load_before": load_before,
        "load_during": f"{min(load.samples + sampler.samples):.1f}–{max(load.samples + sampler.samples):.1f}",
        "load_after": load_average(),
    }


# --- the due refresh -------------------------------------------------------------------------


def timed(label, call):
    load_before = load_average()
    with LoadSampler() as load:
        started = time.monotonic()
        run = call()
        seconds = time.monotonic() - started
    print(
        f"  {label}: {seconds:.1f} s, examined {run.examined:,}, recomputed {run.recomputed:,} "
        f"(load {load_before:.2f} → {load_average():.2f})",
        flush=True,
    )
    return {
        "label": label,
        "seconds": seconds,
        "examined": run.examined,
        "recomputed": run.recomputed,
        "full": run.full,
        "load_before": load_before,
        "load_during": load.describe(),
        "load_after": load_average(),
    }


def change_one_percent(p: dict) -> int:
    """1 % of the people get a new salary step (effective today): a history row each, stamped as
    the loader's bulk writes are, and the rows brought to it (scale_data.write_versions)."""
    from django.db import models
    from django.utils import timezone

    from records.models import Employee
    from tracking.context import tracked_change

    ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    chosen = list(Employee.objects.filter(pk__in=ids[:: max(1, len(ids) // max(1, len(ids) // 100))]))
    now = timezone.now()
    for e in chosen:
        e.salary_step = (e.salary_step or 1) + 1
        e.salary_effective_date = now.date()
        e._history_date = now
    context = scale_data.loader_context()
    with tracked_change(context):
        scale_data.write_versions(Employee, chosen, context)
        models.QuerySet(model=Employee).bulk_update(chosen, ["salary_step", "salary_effective_date"])
    return len(chosen)


def refresh(p: dict) -> list[dict]:
    from duedates.models import DueItem, DueState, LeadTime, RefreshRun
    from duedates.services import refresh_changed

    DueItem.objects.all().delete()
    DueState.objects.all().delete()
    RefreshRun.objects.all().delete()
    rows = [timed("first run (nothing stored)", refresh_changed)]
    rule = LeadTime.objects.order_by("pk").first()
    rule.months += 1  # a rule row changed: everyone recomputed
    rule.save()
    try:
        rows.append(timed("full run (a rule row changed)", refresh_changed))
    finally:
        rule.months -= 1
        rule.save()
    rows.append(timed("full run (the rule changed back)", refresh_changed))
    changed = change_one_percent(p)
    rows.append(timed(f"incremental run ({changed:,} people changed, 1 %)", refresh_changed))
    rows.append(timed("incremental run (nothing changed)", refresh_changed))
    return rows


# --- report ----------------------------------------------------------------------------------


def report(params: dict, phases: dict, digest: dict | None, runs: list[dict], pool: str) -> None:
    people = params["people"]
    lines = [f"### Reminders (bench/reminders.py), {stamp()}", ""]
    lines.append(
        "Generated once (scale_data's bulk paths; seconds of each phase): "
        + ", ".join(f"{k} {v['rows']:,} rows in {v['seconds']} s" for k, v in phases.items())
        + "."
    )
    if digest:
        rate = digest["confirmed"] / digest["wall"] if digest["wall"] else 0
        ok = "✓" if digest["confirmed"] >= digest["queued"] and digest["wall"] <= SWEEP_BUDGET else "✗"
        lines += [
            "",
            f"Digest sweep: {APPROVERS} approvers in {APPROVERS} units, {params['overdue']:,} overdue approvals "
            f"(1 to {MOST} per approver); worker pool {pool}; Redis; SMTP sink on 127.0.0.1.",
            "",
            "| digests queued | confirmed | wall (sweep → last confirmed) | budget | digests/s | sweep call | "
            "SQL of the sweep call | transactions per digest (all processes) | load before → after (during) |",
            "|---:|---:|---:|---|---:|---:|---:|---:|---|",
            f"| {digest['queued']} | {digest['confirmed']} | **{digest['wall']:.1f} s** | ≤ {SWEEP_BUDGET:.0f} s {ok} "
            f"| {rate:.1f} | {digest['sweep_call']:.1f} s | {digest['sweep_sql']} "
            f"| {digest['transactions'] / max(1, digest['confirmed']):.1f} "
            f"| {digest['load_before']:.2f} → {digest['load_after']:.2f} ({digest['load_during']}) |",
        ]
    if runs:
        lines += [
            "",
            f"Due refresh (`duedates.services.refresh_changed`) over {people:,} people, each with a salary history "
            f"row; budget {REFRESH_BUDGET:.0f} s for {FULL_SIZE:,} people (scaled linearly when smaller).",
            "",
            "| run | time | examined | recomputed | per 1,000 people on file | at 100,000 (linear) | budget | "
            "load before → after (during) |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for r in runs:
            per = r["seconds"] / max(1, people) * 1000  # per 1,000 people on file, changed or not
            full = r["seconds"] * FULL_SIZE / max(1, people)
            ok = "✓" if full <= REFRESH_BUDGET else "✗"
            lines.append(
                f"| {r['label']} | **{r['seconds']:.1f} s** | {r['examined']:,} | {r['recomputed']:,} | {per:.2f} s "
                f"| {full:.0f} s | {ok} | {r['load_before']:.2f} → {r['load_after']:.2f} ({r['load_during']}) |"
            )
    write_section(f"reminders-{people}", "\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=int(os.environ.get("REMIND_PEOPLE", FULL_SIZE)))
    parser.add_argument("--database-url", default=os.environ.get("REMIND_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--broker-url", default=os.environ.get("REMIND_BROKER_URL", DEFAULT_BROKER))
    parser.add_argument("--overdue", type=int, default=OVERDUE, help="overdue approvals (a smoke run: fewer)")
    parser.add_argument("--pool", choices=["prefork", "solo"], default="prefork")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for every digest")
    parser.add_argument("--skip", choices=["sweep", "refresh"], action="append", default=[])
    args = parser.parse_args()
    if "bench" not in scale_data.database_name(args.database_url):
        sys.exit("The database name must contain 'bench'.")
    params = sizes(args.people, args.overdue)
    print(f"Reminders bench: {params}", flush=True)
    scale_data.prepare_database(args.database_url, params)
    with Sink() as sink:
        env = bench_env(
            args.database_url,
            CELERY_TASK_ALWAYS_EAGER="0",
            CELERY_BROKER_URL=args.broker_url,
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
            DIGEST_HOUR="0",
        )
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        phases = generate(args.database_url, params)
        digest = None
        if "sweep" not in args.skip:
            print(f"Digest sweep (load {load_average():.2f})…", flush=True)
            digest = sweep(args.database_url, env, args.pool, args.timeout)
            print(
                f"  {digest['confirmed']}/{digest['queued']} digests confirmed in {digest['wall']:.1f} s "
                f"(budget {SWEEP_BUDGET:.0f} s), {digest['confirmed'] / digest['wall']:.1f} digests/s; "
                f"sweep call {digest['sweep_call']:.1f} s, {digest['sweep_sql']} SQL; "
                f"{digest['transactions'] / max(1, digest['confirmed']):.1f} transactions per digest; "
                f"sink accepted {sink.accepted}; load {digest['load_before']:.2f} → {digest['load_after']:.2f}",
                flush=True,
            )
        runs = []
        if "refresh" not in args.skip:
            print(f"Due refresh over {args.people:,} people (load {load_average():.2f})…", flush=True)
            runs = refresh(params)
    report(params, phases, digest, runs, args.pool)


if __name__ == "__main__":
    main()
