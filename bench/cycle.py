"""Approval-cycle benchmark of issue #9: the same 7 requests (propose form, submit, queue, take
form, take, decision form, decide) against the project's ChangeRequestFlow and against a bare
viewflow 2.4 flow (bench/bareflow), interleaved in one run (bare, ours, bare, ours, …) at 1 and
4 concurrent clients, on one gunicorn serving bench.settings (the project plus /bare/ and a
header with each response's SQL count).

    .venv/bin/python bench/cycle.py [--cycles 20] [--database-url ...]

Prints cycles/s of each, per-step p50/p95 and SQL, and the ratio ours/bare against the goals
(≥ 2× bare's cycles/s, ≤ 40 SQL per cycle). Each step is one request: a POST's redirect is not
followed (the browser's next GET is the next step). The pages' shape is read from their HTML
(the main form, the queue's link to the task), so redesigned pages keep working.
"""

import argparse
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import ROOT, LoadSampler, Server, Session, bench_env, main_form, percentile, stamp, write_section  # noqa: E402
from scale_data import PASSWORD, default_url, named_units  # noqa: E402

STEPS = ["propose form", "submit", "queue", "take form", "take", "decision form", "decide"]
GOAL_RATIO, GOAL_SQL = 2.0, 40


class Failed(RuntimeError):
    pass


class System:
    """One flow under test: where its pages are and what its forms are filled with."""

    def __init__(self, name, prefix, flow_suffix, start_url, queue_url, propose, decide):
        self.name, self.prefix, self.flow_suffix = name, prefix, flow_suffix
        self.start_url, self.queue_url, self.propose, self.decide = start_url, queue_url, propose, decide


def systems() -> dict:
    from django.urls import reverse

    return {
        "bare": System(
            "bare",
            "/bare/",
            "BareFlow",
            lambda employee: reverse("bare:start:execute"),
            reverse("bare:queue"),
            lambda n: {"title": f"Đề xuất thử tải {n}", "text": "Nội dung đề xuất"},
            {"approved": "on", "comment": "Đồng ý"},
        ),
        "ours": System(
            "ours",
            "/changerequest/",
            "ChangeRequestFlow",
            lambda employee: reverse("records:employee-propose", args=[employee]),
            reverse("changerequest:queue"),
            lambda n: {"root-other_names": f"Thử tải {n}", "reason": "Thử tải chu trình phê duyệt"},
            {"decision": "approve", "comment": "Đồng ý"},
        ),
    }


class Client:
    """One simulated pair of people: an officer who proposes and an approver who decides."""

    def __init__(self, base: str, index: int, employee: int, officer_id: int):
        self.index, self.employee, self.officer_id = index, employee, officer_id
        self.officer, self.approver = Session(base), Session(base)
        self.officer.login(f"bench-cycle-officer-{index}", PASSWORD)
        self.approver.login(f"bench-cycle-approver-{index}", PASSWORD)
        self.counter = 0
        self.missing = {}

    def step(self, record, name, session, path, form_changes=None, form_page=None):
        if form_changes is None:
            status, body, headers, url, seconds = session.get(path)
        else:
            status, body, headers, url, seconds = session.post_form(
                form_page[0], form_page[1], form_changes, follow=False
            )
        record.append((name, seconds, int(headers.get("X-Bench-SQL", -1))))
        expected = (302, 303) if form_changes is not None else (200,)
        if status not in expected:
            raise Failed(f"{name}: HTTP {status} at {url}: {body[:300]!r}")
        return body.decode(errors="replace"), headers, url

    def cycle(self, system: System) -> list:
        """One cycle; returns [(step, seconds, sql)]."""
        record = []
        self.counter += 1
        html, _h, url = self.step(record, "propose form", self.officer, system.start_url(self.employee))
        form = main_form(html)
        _b, headers, _u = self.step(record, "submit", self.officer, url, system.propose(self.counter), (form, url))
        process = self.process_of(system, headers.get("Location", ""))
        html, _h, _u = self.step(record, "queue", self.approver, system.queue_url)
        task = self.task_in_queue(system, html, process)
        base = f"{system.prefix}{process}/approve/{task}/"
        html, _h, url = self.step(record, "take form", self.approver, base + "assign/")
        self.step(record, "take", self.approver, url, {}, (main_form(html), url))
        html, _h, url = self.step(record, "decision form", self.approver, base + "execute/")
        self.step(record, "decide", self.approver, url, system.decide, (main_form(html), url))
        return record

    def process_of(self, system: System, location: str) -> int:
        """The new process: from the redirect after submitting, else the officer's newest start task."""
        from viewflow.workflow.models import Task

        found = re.search(rf"{re.escape(system.prefix)}(\d+)/", location)
        if found:
            return int(found.group(1))
        task = Task.objects.filter(
            owner_id=self.officer_id, flow_task_type="START", process__flow_class__endswith=system.flow_suffix
        ).latest("pk")
        return task.process_id

    def task_in_queue(self, system: System, html: str, process: int) -> int:
        """The approval task of `process` as the queue page links it; counted as missing (and
        found in the database) when the queue does not show it."""
        from viewflow.workflow.models import Task
        from viewflow.workflow.status import STATUS

        found = re.search(rf"{re.escape(system.prefix)}{process}/approve/(\d+)/", html)
        if found:
            return int(found.group(1))
        self.missing[system.name] = self.missing.get(system.name, 0) + 1
        return Task.objects.get(process_id=process, flow_task__endswith=".approve", status=STATUS.NEW).pk


def prepare_users(clients: int) -> list[tuple[int, int]]:
    """bench-cycle-officer-i and bench-cycle-approver-i with grants on the cycle unit; client i
    changes the i-th person of that unit. Returns [(employee pk, officer pk)]."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from records.models import Employee
    from units.models import Role, RoleGrant

    User = get_user_model()
    unit = named_units()["cycle"]
    hashed = make_password(PASSWORD)
    people = list(Employee.objects.filter(managing_unit=unit).order_by("pk").values_list("pk", flat=True)[:clients])
    out = []
    for i in range(clients):
        for role in (Role.OFFICER, Role.APPROVER):
            user, created = User.objects.get_or_create(
                username=f"bench-cycle-{role}-{i}", defaults={"password": hashed}
            )
            if created:
                RoleGrant.objects.create(user=user, unit=unit, role=role, reason="Thử tải chu trình phê duyệt")
        out.append((people[i], User.objects.get(username=f"bench-cycle-officer-{i}").pk))
    return out


def run_round(base: str, people: list, clients: int, cycles: int, names: dict) -> dict:
    """`clients` threads, each running warm-up then `cycles` × (bare, ours); records by system."""
    from django.db import connection

    results = {name: [] for name in names}
    errors = []
    lock = threading.Lock()

    def work(index):
        try:
            client = Client(base, index, *people[index])
            for system in names.values():
                client.cycle(system)  # warm-up
            for _ in range(cycles):
                for name, system in names.items():
                    started = time.monotonic()
                    record = client.cycle(system)
                    with lock:
                        results[name].append((time.monotonic() - started, record))
            results.setdefault("missing", []).append(client.missing)
        except Exception as exc:  # reported after the round
            errors.append(f"client {index}: {exc}")
        finally:
            connection.close()

    with LoadSampler() as load:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        sys.exit("\n".join(errors))
    return summarise(results, clients, load.describe())


def summarise(results: dict, clients: int, load: str) -> dict:
    missing = {}
    for per_client in results.pop("missing", []):
        for name, count in per_client.items():
            missing[name] = missing.get(name, 0) + count
    out = {"clients": clients, "load": load, "missing_in_queue": missing}
    for name, cycles in results.items():
        durations = [d for d, _r in cycles]
        steps = {}
        for step in STEPS:
            times = [s * 1000 for _d, r in cycles for n, s, _q in r if n == step]
            sql = [q for _d, r in cycles for n, _s, q in r if n == step]
            steps[step] = {"p50": percentile(times, 50), "p95": percentile(times, 95), "sql": max(sql)}
        out[name] = {
            "cycles": len(cycles),
            "cycles_per_second": clients * len(cycles) / sum(durations),
            "sql_per_cycle": sum(s["sql"] for s in steps.values()),
            "steps": steps,
        }
    out["ratio"] = out["ours"]["cycles_per_second"] / out["bare"]["cycles_per_second"]
    return out


def print_round(r: dict) -> None:
    ok_ratio = "✓" if r["ratio"] >= GOAL_RATIO else "✗"
    ok_sql = "✓" if r["ours"]["sql_per_cycle"] <= GOAL_SQL else "✗"
    missing = ", ".join(f"{name} {r['missing_in_queue'].get(name, 0)}" for name in ("bare", "ours"))
    print(f"\n  {r['clients']} client(s), load {r['load']}, own task missing from the queue page: {missing}")
    print(f"  {'step':<14} {'bare p50/p95 ms':>18} {'SQL':>4}   {'ours p50/p95 ms':>18} {'SQL':>4}")
    for step in STEPS:
        b, o = r["bare"]["steps"][step], r["ours"]["steps"][step]
        print(
            f"  {step:<14} {b['p50']:8.0f} /{b['p95']:7.0f} {b['sql']:>4}"
            f"   {o['p50']:8.0f} /{o['p95']:7.0f} {o['sql']:>4}"
        )
    print(
        f"  cycles/s: bare {r['bare']['cycles_per_second']:.2f}, ours {r['ours']['cycles_per_second']:.2f}; "
        f"ratio ours/bare {r['ratio']:.2f}× {ok_ratio} (goal ≥ {GOAL_RATIO}×); "
        f"SQL/cycle: bare {r['bare']['sql_per_cycle']}, ours {r['ours']['sql_per_cycle']} {ok_sql} (goal ≤ {GOAL_SQL})",
        flush=True,
    )


def report(rounds: list[dict]) -> str:
    lines = [
        f"### Approval cycle (bench/cycle.py), {stamp()}",
        "",
        "7 requests per cycle, bare viewflow and ours interleaved in one run on one gunicorn; "
        "SQL counted by a bench-only middleware (X-Bench-SQL).",
        "",
        "| clients | bare cycles/s | ours cycles/s | ratio (goal ≥ 2×) | SQL/cycle bare | SQL/cycle ours (goal ≤ 40) "
        "| missing in queue | load |",
        "|---:|---:|---:|---|---:|---|---:|---|",
    ]
    for r in rounds:
        ok_ratio = "✓" if r["ratio"] >= GOAL_RATIO else "✗"
        ok_sql = "✓" if r["ours"]["sql_per_cycle"] <= GOAL_SQL else "✗"
        lines.append(
            f"| {r['clients']} | {r['bare']['cycles_per_second']:.2f} | {r['ours']['cycles_per_second']:.2f} "
            f"| {r['ratio']:.2f}× {ok_ratio} | {r['bare']['sql_per_cycle']} | {r['ours']['sql_per_cycle']} {ok_sql} "
            f"| bare {r['missing_in_queue'].get('bare', 0)}, ours {r['missing_in_queue'].get('ours', 0)} "
            f"| {r['load']} |"
        )
    lines += [
        "",
        "Per step (p50 / p95 ms, SQL), bare → ours:",
        "",
        "| step | " + " | ".join(f"{r['clients']} client(s)" for r in rounds) + " |",
        "|---|" + "---|" * len(rounds),
    ]
    for step in STEPS:
        cells = []
        for r in rounds:
            b, o = r["bare"]["steps"][step], r["ours"]["steps"][step]
            cells.append(f"{b['p50']:.0f}/{b['p95']:.0f} ms, {b['sql']} → {o['p50']:.0f}/{o['p95']:.0f} ms, {o['sql']}")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--cycles", type=int, default=int(os.environ.get("BENCH_CYCLES", 20)))
    parser.add_argument("--clients", default="1,4")
    args = parser.parse_args()
    env = bench_env(args.database_url)
    os.environ.update(env, DJANGO_SETTINGS_MODULE="bench.settings")
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)  # the bare flow's tables
    counts = [int(c) for c in args.clients.split(",")]
    people = prepare_users(max(counts))
    names = systems()
    rounds = []
    with Server(env, settings="bench.settings") as server:
        for clients in counts:
            cycles = max(1, args.cycles // clients)
            print(f"Cycle: {clients} client(s) × {cycles} cycles of each, interleaved", flush=True)
            result = run_round(server.base, people, clients, cycles, names)
            print_round(result)
            rounds.append(result)
    out = ROOT / "var" / "bench" / "cycle.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rounds, indent=2, ensure_ascii=False))
    write_section("cycle", report(rounds))


if __name__ == "__main__":
    main()
