"""The timeline's page query for the scopes of a few units: the walk over (submitted_at, id)
(`paginate` of list_timeline, as before) against the ranges per unit (`paginate_union`, now),
EXPLAIN ANALYZE planning + execution p50 / p95 and the index pages read, then the whole
timeline_page in process (SQL and Python, no HTTP), on a database of your own loaded with
bench/timeline_synth.sql (never the shared scale data set):

    DEBUG=1 PYTHONPATH=. DATABASE_URL=postgres://…/DB .venv/bin/python bench/timeline_union.py [runs]

Prints the load average before and after (the figures mean little at a high load)."""

import os
import re
import sys
import time

CASES = [
    ("Chi cục inspector (25 units)", 3, {}),
    ("Cục inspector, unit = a Chi cục", 2, {"unit": "C1.1"}),
    ("root inspector, one Chi cục only", 1, {"unit": "C1.1", "only_unit": "on"}),
    ("root inspector, one Đội only", 1, {"unit": "C1.1.3", "only_unit": "on"}),
    ("Chi cục inspector, half a year", 3, {"date_from": "01/01/2023", "date_to": "30/06/2023"}),
    # a row filter: the bounded scan's window of SCAN_LIMIT requests (a tenth are "rejected")
    ("Chi cục inspector, status rejected", 3, {"status": "rejected"}),
    ("Cục inspector, a Chi cục, rejected", 2, {"unit": "C1.1", "status": "rejected"}),
]


def percentiles(times):
    times = sorted(times)
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]


def explained(connection, sql, params, runs):
    times, buffers = [], 0
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, SUMMARY ON) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            planning = float(re.search(r"Planning Time: ([\d.]+)", plan).group(1))
            execution = float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))
            times.append(planning + execution)
            buffers = int(re.search(r"Buffers: shared hit=(\d+)", plan).group(1))
    return (*percentiles(times), buffers)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from oversight.timeline import SCAN_LIMIT, keys_only, list_timeline, row_filters_q, timeline_page
    from oversight.timeline_forms import TimelineFilterForm

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print("load average", os.getloadavg())
    for label, number, data in CASES:
        user = get_user_model().objects.get(username=f"u{number}")
        form = TimelineFilterForm(data, user=user)
        assert form.is_valid(), form.errors
        filters = form.filters()
        if row_filters_q(filters):  # the bounded scan's window, as paginate_bounded reads it
            walk = keys_only(list_timeline(user=user, filters=filters, row_filters=False))
            walk = walk.values_list("submitted_at", "id", "pk")[:SCAN_LIMIT]
        else:
            walk = keys_only(list_timeline(user=user, filters=filters))[:51]
        walk_sql, walk_params = walk.query.sql_with_params()
        with CaptureQueriesContext(connection) as queries:
            timeline_page(user=user, filters=filters, params=QueryDict())
        union = [q["sql"] for q in queries.captured_queries if "LATERAL" in q["sql"] or "UNION ALL" in q["sql"]]
        w50, w95, wbuf = explained(connection, walk_sql, walk_params, runs)
        line = f"{label:34s} walk {w50:6.1f} / {w95:6.1f} ms {wbuf:6d} pages"
        if union:
            u50, u95, ubuf = explained(connection, union[0], (), runs)
            line += f"   ranges {u50:5.1f} / {u95:5.1f} ms {ubuf:5d} pages"
        pages = []
        for _ in range(runs):
            started = time.perf_counter()
            timeline_page(user=user, filters=filters, params=QueryDict())
            pages.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(pages)
        print(line + f"   timeline_page {p50:5.1f} / {p95:5.1f} ms")
    print("load average", os.getloadavg())


if __name__ == "__main__":
    main()
