"""EXPLAIN ANALYZE of the timeline's page query (first page, 10,000 rows deep), its capped count,
the description of a page and the whole timeline_page, per scope and filter combination, on a
database of your own loaded with bench/timeline_synth.sql (never the shared scale data set):

    DEBUG=1 PYTHONPATH=. DATABASE_URL=postgres://…/DB .venv/bin/python bench/timeline_plans.py [-v] [case]

-v prints the plans; `case` keeps the cases whose label contains it."""

import os
import re
import sys
import time

CASES = [
    ("root inspector", 1, {}),
    ("Cục inspector", 2, {}),
    ("Chi cục inspector", 3, {}),
    ("root + approver", 1, {"approver": "u17"}),
    ("root + salary + half a year", 1, {"category": "salary", "date_from": "01/01/2023", "date_to": "30/06/2023"}),
    ("Cục + field + status (no match)", 2, {"field": "f:records.employee.main_duties", "status": "applied"}),
    ("Chi cục + proposer", 3, {"proposer": "u1031"}),
    ("root + one unit only", 1, {"unit": "C1.1", "only_unit": "on"}),
]


def timed(fn, n=5):
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[-1]


def explain_ms(queryset):
    plan = queryset.explain(analyze=True)
    return float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)), plan


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from oversight.timeline import describe_requests, keys_only, list_timeline, load_requests, timeline_page
    from oversight.timeline_forms import TimelineFilterForm
    from tracking.keyset import after_q, count_up_to
    from workflows.models import ChangeRequest

    verbose = "-v" in sys.argv
    wanted = [a for a in sys.argv[1:] if a != "-v"]
    for label, number, data in CASES:
        if wanted and not any(w in label for w in wanted):
            continue
        user = get_user_model().objects.get(username=f"u{number}")
        form = TimelineFilterForm(data, user=user)
        assert form.is_valid(), form.errors
        filters = form.filters()
        queryset = keys_only(list_timeline(user=user, filters=filters))
        first_ms, first_plan = explain_ms(queryset[:51])
        deep_row = list(queryset.values_list("submitted_at", "id")[9999:10000])
        deep_ms, deep_plan = None, ""
        if deep_row:
            deep_ms, deep_plan = explain_ms(queryset.filter(after_q(["-submitted_at", "-id"], list(deep_row[0])))[:51])
        count = timed(lambda queryset=queryset: count_up_to(queryset), 3)
        full = ChangeRequest.objects.select_related("unit", "employee", "submitted_by")
        rows = load_requests(full, list(queryset[:50]))
        described = timed(lambda user=user, rows=rows: describe_requests(user, rows), 3)
        whole = timed(lambda user=user, filters=filters: timeline_page(user=user, filters=filters, params=QueryDict()))
        deep = f"{deep_ms:7.1f} ms" if deep_ms is not None else "(<10k rows)"
        print(
            f"{label:36s} first {first_ms:7.1f} ms  deep {deep}  count_up_to {count[0]:6.1f} ms  "
            f"describe(50) {described[0]:6.1f} ms  timeline_page p50 {whole[0]:6.1f} max {whole[1]:6.1f} ms"
        )
        if verbose:
            print(first_plan, deep_plan, sep="\n")


if __name__ == "__main__":
    main()
