"""Where a timeline page's time goes, in one process (no gunicorn, no HTTP): bench/pages.py's
timeline pages opened as bench-inspector through Django's test client, N times each, with the
process's CPU ms (median, p95) and the SQL count per page; with --profile, cProfile's top
functions over every timed opening.

    .venv/bin/python bench/timeline_profile.py [--times 20] [--only "page 1"] [--deep]
        [--profile] [--top 40] [--sort cumulative|tottime]

The database is bench/pages.py's (BENCH_SCALE_DATABASE_URL, or the smoke run's with
BENCH_QUICK=1); read only, but for the read-log row each opening writes as the page does. The
cache is Redis db 11 (BENCH_CACHE_URL to change it). CPU figures for finding what to cut, not
figures to compare with the goals (bench/pages.py makes those). --deep adds the page 10,000 rows
deep (200 "next" links followed first: ~1 minute).
"""

import argparse
import cProfile
import re
import statistics
import sys
import time
import urllib.parse
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import load_average, percentile, print_profile, setup_in_process  # noqa: E402
from scale_data import default_url  # noqa: E402

NEXT = re.compile(r'rel="next" href="([^"]+)"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--times", type=int, default=20)
    parser.add_argument("--only", default="", help="the pages whose label contains this")
    parser.add_argument("--deep", action="store_true", help="also the page 10,000 rows deep")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump", default="", help="write the profile's stats to this file (pstats)")
    args = parser.parse_args()
    setup_in_process(args.database_url, redis_db=11)
    import pages
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-inspector"))
    context = pages.data_context({"people": 100_000})
    chosen = []
    for label, user, (kind, name, query), _goal, _sql in pages.PAGES:
        if user != "inspector" or name != "oversight:timeline":
            continue
        if (kind == "rows_deep" and not args.deep) or args.only not in label:
            continue
        url, _note = pages.resolve(
            "filled" if kind in ("rows_deep", "filled_deep") else kind, name, query, context, None
        )
        if kind == "rows_deep":
            url = _deep(client, url, 10_000 // pages.TIMELINE_PER_PAGE)
        elif kind == "filled_deep":
            url = _deep(client, url, 500 // pages.TIMELINE_PER_PAGE)
        chosen.append((label, url))
    parts = _split()
    profiler = cProfile.Profile() if args.profile else None
    print(f"load average before: {load_average():.2f}")
    for label, url in chosen:
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (label, response.status_code)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *a, q=queries: q.append(sql) or execute(sql, *a)):
            response = client.get(url)
        cpu, wall = [], []
        for spent in parts.values():
            spent.clear()
        for _ in range(args.times):
            started, spent = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            response = client.get(url)
            if profiler is not None:
                profiler.disable()
            cpu.append((time.process_time() - spent) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        print(
            f"{label:<40} CPU p50 {statistics.median(cpu):6.1f} p95 {percentile(cpu, 95):6.1f} ms"
            f"  wall p50 {statistics.median(wall):6.1f}  SQL {len(queries):>2}"
            f"  {len(response.content) / 1024:5.1f} KiB"
        )
        print("    of which CPU p50: " + ", ".join(f"{name} {statistics.median(v):.1f}" for name, v in parts.items()))
    print(f"load average after: {load_average():.2f}")
    if profiler is not None:
        print_profile(profiler, sort=args.sort, top=args.top, dump=args.dump)


def _split() -> dict:
    """CPU ms of the page's parts (the list and its entries; describing them; the template),
    measured by wrapping the view's callees."""
    from oversight import timeline, timeline_views

    parts = {"timeline_page": [], "describe_requests": [], "render": []}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            spent = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name].append((time.process_time() - spent) * 1000)

        return wrapper

    timeline_views.timeline_page = timed("timeline_page", timeline_views.timeline_page)
    timeline.describe_requests = timed("describe_requests", timeline.describe_requests)
    timeline_views.render = timed("render", timeline_views.render)
    return parts


def _deep(client, url: str, hops: int) -> str:
    """The page reached by following the "next" link `hops` times (the keyset cursors)."""
    for _ in range(hops):
        found = NEXT.search(client.get(url).content.decode())
        if found is None:
            break
        url = urllib.parse.urljoin(url, unescape(found.group(1)))
    return url


if __name__ == "__main__":
    main()
