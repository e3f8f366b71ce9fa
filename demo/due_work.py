"""The demo's due items and the work they give the officers: what the nightly refresh and the
sweep after it would make, made at load time so the first look at `make demo` shows them (a
pre-filled salary-step draft in canbo.kv1's inbox, retirement deadlines, their notifications).
Idempotent, as both services are."""

from collections import Counter

from duedates.services import refresh_changed
from notifications.due_work import sweep_due_work


def ensure_due_work(counts: Counter) -> None:
    run = refresh_changed()
    counts["due_items_recomputed"] = run.recomputed
    swept = sweep_due_work()
    counts["due_tasks"] = swept["created"]
