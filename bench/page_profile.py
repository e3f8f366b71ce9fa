"""Where a list page's CPU goes, in one process (no gunicorn, no HTTP): the approver's queue,
the inbox and the employee list (ministry-wide and unit user) through Django's test client
against the bench database, each page's process time per GET (p50, best) and, with --profile,
a cProfile of one page.

    .venv/bin/python bench/page_profile.py [--samples 30] [--page queue|inbox|employees|unit|
        queue-by-person|archive ...] [--profile PAGE [--callees RE | --callers RE]] [--top 40]
        [--sort cumulative|tottime] [--templates] [--save DIR]

The users are bench/scale_data.py's (bench-approver, bench-inbox, bench-viewer, bench-officer);
the cache is BENCH_CACHE_URL (Redis, db 6 by default: a cached user of another database breaks
logins). Opening pages writes access-log rows and sessions, nothing else. CPU figures for finding
what to cut (the same run, the same load), not figures to compare with the goals
(bench/pages.py makes those). --save writes each page's HTML to DIR, to compare before/after;
--templates prints the CPU spent in each template and block (inclusive: a block is inside its
template, an extended template inside the one extending it).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import load_average, setup_in_process  # noqa: E402
from scale_data import default_url  # noqa: E402

# name: (user, url name, query)
PAGES = {
    "queue": ("approver", "changerequest:queue", ""),
    "inbox": ("inbox", "changerequest:inbox", ""),
    "employees": ("viewer", "records:employee-list", ""),
    "unit": ("officer", "records:employee-list", ""),
    # Not measured by default (--page): the same table sorted by a column, the archive.
    "queue-by-person": ("approver", "changerequest:queue", "_orderby=employee_name"),
    "archive": ("approver", "changerequest:archive", ""),
}
DEFAULT_PAGES = ("queue", "inbox", "employees", "unit")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=default_url())
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="default: DEFAULT_PAGES")
    parser.add_argument("--profile", default="", choices=["", *sorted(PAGES)], help="the page to profile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--callees", default="", help="with --profile: print the callees of functions matching this")
    parser.add_argument("--callers", default="", help="with --profile: print the callers of functions matching this")
    parser.add_argument("--save", default="", help="write each page's HTML to this directory")
    parser.add_argument("--templates", action="store_true", help="CPU ms per page in each template (inclusive)")
    args = parser.parse_args()
    setup_in_process(args.database_url, redis_db=6, settings_module="bench.settings")
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    User = get_user_model()
    spent = _time_templates() if args.templates else None
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    print(f"load average {load_average():.2f}")
    for name in args.page or DEFAULT_PAGES:
        who, url_name, query = PAGES[name]
        client = Client()
        client.force_login(User.objects.get(username=f"bench-{who}"))
        url = reverse(url_name) + (f"?{query}" if query else "")
        for _ in range(3):  # warm-up
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        statements = int(client.get(url)["X-Bench-SQL"])
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            Path(args.save, f"{name}.html").write_bytes(response.content)
        cpu = []
        for _ in range(args.samples):
            started = time.process_time()
            if profiler is not None and name == args.profile:
                profiler.enable()
            client.get(url)
            if profiler is not None:
                profiler.disable()
            cpu.append((time.process_time() - started) * 1000)
        print(
            f"{name:<10} CPU ms p50 {statistics.median(cpu):6.1f}  best {min(cpu):6.1f}"
            f"  {len(response.content) / 1024:5.1f} KiB  {statements} SQL"
        )
    print(f"load average {load_average():.2f}")
    if spent:
        pages = args.samples * len(args.page or DEFAULT_PAGES)
        for name, seconds in sorted(spent.items(), key=lambda item: -item[1])[:30]:
            print(f"  {seconds * 1000 / pages:7.2f} ms  {name}")
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
        if args.callees:
            stats.print_callees(args.callees)
        elif args.callers:
            stats.print_callers(args.callers)
        else:
            stats.print_stats(args.top)
        print(out.getvalue())


def _time_templates() -> dict:
    """Each template's rendering time (inclusive of what it includes), summed over the run."""
    from collections import defaultdict

    from django.template.base import Template
    from django.template.loader_tags import BlockNode

    spent = defaultdict(float)
    original = Template._render

    def _render(self, context):
        started = time.process_time()
        try:
            return original(self, context)
        finally:
            spent[self.origin.template_name if self.origin else "?"] += time.process_time() - started

    Template._render = _render
    original_block = BlockNode.render

    def block_render(self, context):
        started = time.process_time()
        try:
            return original_block(self, context)
        finally:
            spent[f"{{% block {self.name} %}}"] += time.process_time() - started

    BlockNode.render = block_render
    return spent


if __name__ == "__main__":
    main()
