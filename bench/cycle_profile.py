"""Where an approval cycle's time goes, step by step, in one process (no gunicorn, no HTTP):
bench/cycle.py's 7 requests through Django's test client against the cycle database, each step
timed (best and median of the cycles) and, with --profile, profiled with cProfile.

    .venv/bin/python bench/cycle_profile.py [--cycles 10] [--system ours|bare|both]
        [--profile "propose form"] [--top 40] [--sort cumulative|tottime]

The database is cycle.py's (BENCH_SCALE_DATABASE_URL, or the smoke run's with BENCH_QUICK=1);
the cache is BENCH_CACHE_URL (Redis) as the bench's server has it. CPU figures for finding what
to cut, not figures to compare with the goals (bench/cycle.py makes those).
"""

import argparse
import cProfile
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import print_profile, setup_in_process  # noqa: E402
from scale_data import default_url  # noqa: E402


class InProcessSession:
    """bench.common.Session's interface over django.test.Client (CSRF checked as in a browser)."""

    def __init__(self, user):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=False)
        self.client.force_login(user)
        self.profiler = None

    cpu: list = []  # the process's CPU seconds of each request, in order (all sessions)

    def _timed(self, call):
        started, cpu = time.perf_counter(), time.process_time()
        if self.profiler is not None:
            self.profiler.enable()
        try:
            response = call()
        finally:
            if self.profiler is not None:
                self.profiler.disable()
        InProcessSession.cpu.append(time.process_time() - cpu)
        return response, time.perf_counter() - started

    def get(self, path, **_kw):
        response, seconds = self._timed(lambda: self.client.get(path))
        return response.status_code, response.content, response, path, seconds

    def post_form(self, form, page_url, changes=None, *, follow=True):
        data = {}
        for name, value in form["fields"]:
            if name not in (changes or {}):
                data.setdefault(name, []).append(value)
        for name, value in (changes or {}).items():
            data[name] = [value]
        action = form["action"] or page_url
        body = urlencode(data, doseq=True)  # as a browser (and bench/cycle.py) posts it
        response, seconds = self._timed(
            lambda: self.client.post(action, body, content_type="application/x-www-form-urlencoded")
        )
        return response.status_code, response.content, response, page_url, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--system", default="both", choices=["ours", "bare", "both"])
    parser.add_argument("--profile", default="", help="the step to profile (one of cycle.STEPS), ours only")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump", default="", help="write the profile's stats to this file (pstats)")
    args = parser.parse_args()
    setup_in_process(args.database_url, redis_db=4, settings_module="bench.settings")
    import cycle
    from django.contrib.auth import get_user_model

    people = cycle.prepare_users(1)
    employee, officer_id = people[0]
    User = get_user_model()
    client = cycle.Client.__new__(cycle.Client)
    client.index, client.employee, client.officer_id = 0, employee, officer_id
    client.officer = InProcessSession(User.objects.get(username="bench-cycle-officer-0"))
    client.approver = InProcessSession(User.objects.get(username="bench-cycle-approver-0"))
    client.counter, client.missing = 0, {}
    names = cycle.systems()
    chosen = ["bare", "ours"] if args.system == "both" else [args.system]
    for name in chosen:  # warm-up
        client.cycle(names[name])
    times = {name: {step: [] for step in cycle.STEPS} for name in chosen}
    cpu = {name: {step: [] for step in cycle.STEPS} for name in chosen}
    sql = {name: {} for name in chosen}
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.cycles):
        for name in chosen:
            for session in (client.officer, client.approver):
                session.profiler = None
            InProcessSession.cpu = []
            record = _run(client, names[name], profiler if name == "ours" else None, args.profile)
            for (step, seconds, count), spent in zip(record, InProcessSession.cpu, strict=True):
                times[name][step].append(seconds * 1000)
                cpu[name][step].append(spent * 1000)
                sql[name][step] = count
    for name in chosen:
        total = sum(statistics.median(v) for v in times[name].values())
        total_cpu = sum(statistics.median(v) for v in cpu[name].values())
        print(
            f"\n{name}: median ms per step (best), median CPU ms (this process), SQL; "
            f"sums of medians {total:.0f} ms, CPU {total_cpu:.0f} ms"
        )
        for step in cycle.STEPS:
            values, spent = times[name][step], cpu[name][step]
            print(
                f"  {step:<14} {statistics.median(values):7.1f} ({min(values):6.1f})"
                f"  CPU {statistics.median(spent):6.1f}  {sql[name][step]:>3}"
            )
    if profiler is not None:
        print_profile(profiler, sort=args.sort, top=args.top, dump=args.dump)


def _run(client, system, profiler, profiled_step):
    """One cycle, the profiler on for `profiled_step` only."""
    import cycle

    original = cycle.Client.step

    def step(self, record, name, session, *a, **kw):
        session.profiler = profiler if name == profiled_step else None
        try:
            return original(self, record, name, session, *a, **kw)
        finally:
            session.profiler = None

    cycle.Client.step = step
    try:
        return client.cycle(system)
    finally:
        cycle.Client.step = original


if __name__ == "__main__":
    main()
