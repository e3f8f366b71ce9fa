"""The nightly refresh of due items (config.settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import refresh_changed
from .signals import due_items_refreshed


@shared_task(acks_late=True)
def refresh_due_dates() -> dict:
    """Recompute the due items of the people whose inputs changed since the last run (everyone
    when a rule changed); safe to run twice: a second run finds nothing changed."""
    run = refresh_changed()
    due_items_refreshed.send(sender=type(run), run=run)  # the work the items give is made next
    return {"examined": run.examined, "recomputed": run.recomputed, "full": run.full}
