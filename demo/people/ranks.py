"""Careers in ranks: the ranks held on the way to a senior rank, who holds which rank where,
the leaders, and the salary table in the database as the demo reads it."""

from dataclasses import dataclass

from django.core.management.base import CommandError

from duedates.models import HoldingPeriod
from duedates.rules import holding_row
from records.models import SalaryRank, SalaryTable
from records.models.salary import coefficients_for, salary_index

from ..reference import REFERENCE_DATE

# --- Ranks ------------------------------------------------------------------------------
# Coefficients, step counts and months per step come from the salary table in the database
# (records/0006, Nghị định 204/2004/NĐ-CP); only career shape is decided here.
CAREER_PATH = {  # the ranks held on the way to a senior rank (nâng ngạch)
    "01.001": ("01.003", "01.002", "01.001"),
    "01.002": ("01.003", "01.002"),
    "06.030": ("06.031", "06.030"),
    "06.037": ("06.038", "06.037"),
}
# A senior rank held by someone too young for it falls back to the matching junior rank.
JUNIOR_RANK = {"01.001": "01.002", "01.002": "01.003", "06.030": "06.031", "06.037": "06.038"}
MIN_AGE_FOR_SCALE = {"A3.1": 45, "A2.1": 34, "A1": 22, "B": 19}
ENTRY_AGE = {"A1": 23, "B": 21}  # typical age at recruitment, by the group of the first rank

# Ranks of ordinary staff by unit: (rank, weight).
STAFF_RANKS = {
    "tax": [("06.038", 55), ("06.037", 15), ("01.003", 15), ("01.004", 15)],
    "treasury": [("06.031", 50), ("06.030", 15), ("01.003", 20), ("01.004", 15)],
    "office": [("01.003", 55), ("01.002", 30), ("01.004", 15)],
}
# Where ordinary staff work: most in the two tax sub-agencies and the treasury branch.
STAFF_UNITS = [
    ("BTC.CT.KV1", 27),
    ("BTC.CT.KV2", 27),
    ("BTC.KBNN.KV1", 22),
    ("BTC.CT", 10),
    ("BTC.TCCB", 8),
    ("BTC.KBNN", 6),
]
# The leaders come first, so even a small --employees keeps every unit headed.
# (unit code, position, rank)
LEADERS = [
    ("BTC.TCCB", "Vụ trưởng", "01.001"),
    ("BTC.TCCB", "Phó Vụ trưởng", "01.002"),
    ("BTC.CT", "Cục trưởng", "01.001"),
    ("BTC.CT", "Phó Cục trưởng", "06.037"),
    ("BTC.CT.KV1", "Chi cục trưởng", "06.037"),
    ("BTC.CT.KV1", "Phó Chi cục trưởng", "06.037"),
    ("BTC.CT.KV1", "Phó Chi cục trưởng", "06.037"),
    ("BTC.CT.KV1", "Đội trưởng", "06.038"),
    ("BTC.CT.KV1", "Đội trưởng", "06.037"),
    ("BTC.CT.KV2", "Chi cục trưởng", "06.037"),
    ("BTC.CT.KV2", "Phó Chi cục trưởng", "06.037"),
    ("BTC.CT.KV2", "Đội trưởng", "06.038"),
    ("BTC.CT.KV2", "Đội trưởng", "06.037"),
    ("BTC.KBNN.KV1", "Giám đốc", "06.030"),
    ("BTC.KBNN.KV1", "Phó Giám đốc", "06.030"),
    ("BTC.KBNN.KV1", "Trưởng phòng", "06.031"),
]


# --- Salary table -----------------------------------------------------------------------
@dataclass(frozen=True)
class RankInfo:
    code: str
    name: str
    group: str
    months_per_step: int
    steps: int


def holding_months(salary_class: str, on=REFERENCE_DATE) -> int:
    """Months at a step for a salary class, from the due engine's rule rows in force on `on`
    (the one source of the holding period)."""
    rows = [row.as_rule() for row in HoldingPeriod.objects.filter(salary_class=salary_class)]
    row = holding_row(rows, salary_class, on)
    if row is None:
        raise CommandError(f"Thiếu thời gian giữ bậc của nhóm ngạch {salary_class} (no holding period).")
    return row.months


class SalaryScales:
    """The ranks the demo uses, as the salary table in the database defines them."""

    def __init__(self):
        table = SalaryTable.objects.filter(effective_from__lte=REFERENCE_DATE).order_by("-effective_from").first()
        if table is None:
            raise CommandError("Chưa có bảng lương (no salary table): chạy migrate trước (run migrate first).")
        needed = {rank for pairs in STAFF_RANKS.values() for rank, _w in pairs}
        needed |= {rank for _u, _p, rank in LEADERS} | {r for path in CAREER_PATH.values() for r in path}
        rows = {r.rank_code: r for r in SalaryRank.objects.filter(table=table, rank_code__in=needed)}
        missing = sorted(needed - set(rows))
        if missing:
            raise CommandError(f"Bảng lương thiếu ngạch (salary table lacks ranks): {', '.join(missing)}")
        self.ranks = {
            code: RankInfo(code, r.rank_name, r.scale_group, holding_months(r.scale_group), len(r.coefficients))
            for code, r in rows.items()
        }
        # Salaries before the oldest table are shown as converted into it (chuyển xếp lương).
        self.first_table_date = min(effective_from for effective_from, _ranks in salary_index())

    def group(self, rank):
        return self.ranks[rank].group

    def coefficient(self, rank, step, on):
        return coefficients_for(rank, max(on, self.first_table_date))[step - 1]

    def step_at_least(self, rank, coefficient, on):
        """On promotion to a new rank: the lowest step paying at least the old coefficient."""
        values = coefficients_for(rank, max(on, self.first_table_date))
        for step, value in enumerate(values, start=1):
            if value >= coefficient:
                return step
        return len(values)
