"""Moved to the tracking package (issue 8: the write guard sits below every app that keeps
tracked records). Kept only so code written against the old path keeps working while branches
merge; import from tracking.context and tracking.models instead."""

from tracking.context import ChangeContext, UntrackedWriteError, current_change, tracked_change  # noqa: F401
from tracking.models import (  # noqa: F401
    TrackedHistory,
    TrackedModel,
    TrackedQuerySet,
    bulk_create_tracked,
    refuse_bulk,
    stamp_history_row,
)
