"""The change context: who proposed, who approved (and for whom), why, and which change request
a write to a tracked record belongs to. Only services open one (an approved request, a loader)."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


class UntrackedWriteError(RuntimeError):
    """A tracked record was about to change outside an approved change request."""


@dataclass(frozen=True)
class ChangeContext:
    reason: str
    proposed_by: Any = None
    approved_by: Any = None
    change_request: Any = None
    acting_for: Any = None  # the approver on whose behalf approved_by acted (a delegation)

    def __post_init__(self):
        if not self.reason or not self.reason.strip():
            raise ValueError("A tracked change needs a reason.")
        if self.approved_by is None:
            raise ValueError("A tracked change needs the user who approved or performed it.")


_current: ContextVar[ChangeContext | None] = ContextVar("tracked_change", default=None)


@contextmanager
def tracked_change(context: ChangeContext):
    """Allow writes to tracked models for the duration, stamped with `context`."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def current_change() -> ChangeContext | None:
    return _current.get()
