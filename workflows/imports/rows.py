"""What one pass over a file carries: a parsed row, the running outcome, the state of a
sheet that rules across rows need, and the limits and action names they share."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import Sheet, norm

CHUNK = 1000  # rows read, looked up and written together
MAX_ERRORS = 1000  # errors kept on the batch; the total is in the summary

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def other_unit_message():
    """The error for a CCCD whose record another unit manages."""
    return _("Số CCCD này đã có hồ sơ do đơn vị khác quản lý; cần làm thủ tục điều động về đơn vị trước khi nhập.")


@dataclass
class Row:
    number: int
    values: dict  # column key → Python value, for the columns present whose cell parsed
    errors: dict  # column or field key → [messages]
    cccd: str | None = None


@dataclass
class Outcome:
    errors: list = field(default_factory=list)
    errors_total: int = 0
    digest: str = ""
    rows: int = 0
    people: int = 0
    counts: dict = field(default_factory=dict)  # sheet title → {created, updated, unchanged}
    updated_people: list = field(default_factory=list)
    plan: dict | None = None  # what the summary keeps of a clean validation's plan (plan.py)

    @property
    def changes(self) -> int:
        return sum(c[CREATED] + c[UPDATED] for c in self.counts.values())


@dataclass
class SheetState:
    index: dict = field(default_factory=dict)  # employee id → {natural key: (pk, values of EDITABLE_FIELDS)}
    seen: dict = field(default_factory=dict)  # (CCCD, natural key) → row number
    periods: dict = field(default_factory=dict)  # CCCD → [(start, end, organisation, row, pk)]


def natural_key(spec: Sheet, values: dict) -> tuple:
    return tuple(norm(v) if isinstance(v, str) else v for v in (values.get(k) for k in spec.natural_key))
