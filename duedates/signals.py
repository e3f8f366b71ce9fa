"""What duedates announces to the layers above (workflows' drafts, notifications)."""

from django.dispatch import Signal

# Sent after a refresh of the stored due items finished (duedates.tasks.refresh_due_dates),
# with `run` (the RefreshRun).
due_items_refreshed = Signal()
