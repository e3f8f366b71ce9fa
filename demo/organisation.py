"""The demo organisation: the Ministry of Finance unit tree (addresses, founding decisions,
personnel departments), positions with their allowances, who heads each unit, and the
staffing quotas; and how they are written (found by code, by unit and name, by unit, year and
category, so a second run adds nothing)."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import CommandError

from units.models import Position, StaffingQuota, Unit

from .draws import decision_number
from .reference import DEMO_SEED, QUOTA_YEARS, REORGANISATION

TREE_FIELDS = ["path", "depth", "numchild"]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    address: str
    founding_decision_number: str
    founding_decision_date: date
    active_from: date
    city: str  # "hn" or "hcm": where its people live
    group: str  # "tax", "treasury" or "office": which ranks and duties its people have
    issuer: str  # the suffix of the decisions it issues about its people (QĐ-…)
    predecessors: tuple = ()  # where its people worked before (organisations before 2025)
    led_before: tuple = ()  # what its leaders led before the 2025 reorganisation
    is_personnel_department: bool = False  # its parent's personnel department (tổ chức cán bộ)

    def details(self):
        return {
            "address": self.address,
            "founding_decision_number": self.founding_decision_number,
            "founding_decision_date": self.founding_decision_date,
            "active_from": self.active_from,
        }


# Parents before children.
UNITS = [
    UnitSpec(
        "BTC",
        "Bộ Tài chính",
        Unit.Kind.MINISTRY,
        None,
        "28 Trần Hưng Đạo, Hà Nội",
        "Tuyên cáo của Chính phủ lâm thời",
        date(1945, 8, 28),
        date(1945, 8, 28),
        "hn",
        "office",
        "BTC",
    ),
    UnitSpec(
        "BTC.TCCB",
        "Vụ Tổ chức cán bộ",
        Unit.Kind.DEPARTMENT,
        "BTC",
        "28 Trần Hưng Đạo, Hà Nội",
        "65/TC-QĐ",
        date(1988, 5, 12),
        date(1988, 6, 1),
        "hn",
        "office",
        "BTC",
        ("Văn phòng Bộ Tài chính", "Cục Thuế thành phố Hà Nội", "Kho bạc Nhà nước Hà Nội"),
        is_personnel_department=True,
    ),
    UnitSpec(
        "BTC.CT",
        "Cục Thuế",
        Unit.Kind.AGENCY,
        "BTC",
        "123 Lò Đúc, Hà Nội",
        "381/QĐ-BTC",
        date(2025, 2, 26),
        REORGANISATION,
        "hn",
        "tax",
        "CT",
        ("Tổng cục Thuế", "Cục Thuế thành phố Hà Nội"),
        led_before=("Cục Thuế thành phố Hà Nội",),
    ),
    UnitSpec(
        "BTC.CT.KV1",
        "Chi cục Thuế khu vực I",
        Unit.Kind.SUB_AGENCY,
        "BTC.CT",
        "187 Giảng Võ, Hà Nội",
        "12/QĐ-CT",
        date(2025, 2, 28),
        REORGANISATION,
        "hn",
        "tax",
        "CT",
        (
            "Chi cục Thuế quận Ba Đình",
            "Chi cục Thuế quận Đống Đa",
            "Chi cục Thuế quận Cầu Giấy",
            "Cục Thuế thành phố Hà Nội",
        ),
        led_before=("Chi cục Thuế quận Ba Đình", "Chi cục Thuế quận Đống Đa", "Chi cục Thuế quận Cầu Giấy"),
    ),
    UnitSpec(
        "BTC.CT.KV2",
        "Chi cục Thuế khu vực II",
        Unit.Kind.SUB_AGENCY,
        "BTC.CT",
        "140 Nguyễn Thị Minh Khai, Thành phố Hồ Chí Minh",
        "13/QĐ-CT",
        date(2025, 2, 28),
        REORGANISATION,
        "hcm",
        "tax",
        "CT",
        (
            "Chi cục Thuế Quận 1",
            "Chi cục Thuế quận Bình Thạnh",
            "Chi cục Thuế quận Gò Vấp",
            "Cục Thuế Thành phố Hồ Chí Minh",
        ),
        led_before=("Chi cục Thuế Quận 1", "Chi cục Thuế quận Bình Thạnh", "Chi cục Thuế quận Gò Vấp"),
    ),
    # No staff of its own in the demo (the people's draws stay as they were): it is here as
    # the second approval level of the Chi cục's salary changes (policy version 2).
    UnitSpec(
        "BTC.CT.TCCB",
        "Phòng Tổ chức cán bộ Cục Thuế",
        Unit.Kind.DEPARTMENT,
        "BTC.CT",
        "123 Lò Đúc, Hà Nội",
        "14/QĐ-CT",
        date(2025, 2, 28),
        REORGANISATION,
        "hn",
        "office",
        "CT",
        ("Tổng cục Thuế", "Cục Thuế thành phố Hà Nội"),
        is_personnel_department=True,
    ),
    UnitSpec(
        "BTC.KBNN",
        "Kho bạc Nhà nước",
        Unit.Kind.AGENCY,
        "BTC",
        "32 Cát Linh, Hà Nội",
        "07/HĐBT",
        date(1990, 1, 4),
        date(1990, 4, 1),
        "hn",
        "treasury",
        "KBNN",
        ("Kho bạc Nhà nước Hà Nội", "Sở Giao dịch Kho bạc Nhà nước"),
    ),
    UnitSpec(
        "BTC.KBNN.KV1",
        "Kho bạc Nhà nước khu vực I",
        Unit.Kind.BRANCH,
        "BTC.KBNN",
        "10 Lê Lai, Hà Nội",
        "389/QĐ-BTC",
        date(2025, 2, 26),
        REORGANISATION,
        "hn",
        "treasury",
        "KBNN",
        ("Kho bạc Nhà nước Hà Nội", "Kho bạc Nhà nước Ba Đình", "Kho bạc Nhà nước Đống Đa"),
        led_before=("Kho bạc Nhà nước Hà Nội",),
    ),
]
UNIT_SPECS = {spec.code: spec for spec in UNITS}

# (name, posts, leadership, position allowance coefficient). Allowances are close to the
# levels of Thông tư 02/2005/TT-BNV for units of these grades. Posts leave a few vacancies.
LEADERSHIP = True
POSITIONS = {
    "BTC": [("Bộ trưởng", 1, LEADERSHIP, "1.30"), ("Thứ trưởng", 5, LEADERSHIP, "1.10")],
    "BTC.TCCB": [
        ("Vụ trưởng", 1, LEADERSHIP, "1.00"),
        ("Phó Vụ trưởng", 3, LEADERSHIP, "0.80"),
        ("Chuyên viên", 8, False, "0"),
    ],
    "BTC.CT": [
        ("Cục trưởng", 1, LEADERSHIP, "1.00"),
        ("Phó Cục trưởng", 5, LEADERSHIP, "0.80"),
        ("Chuyên viên", 10, False, "0"),
    ],
    "BTC.CT.KV1": [
        ("Chi cục trưởng", 1, LEADERSHIP, "0.70"),
        ("Phó Chi cục trưởng", 3, LEADERSHIP, "0.50"),
        ("Đội trưởng", 6, LEADERSHIP, "0.30"),
        ("Chuyên viên", 25, False, "0"),
    ],
    "BTC.CT.KV2": [
        ("Chi cục trưởng", 1, LEADERSHIP, "0.70"),
        ("Phó Chi cục trưởng", 3, LEADERSHIP, "0.50"),
        ("Đội trưởng", 5, LEADERSHIP, "0.30"),
        ("Chuyên viên", 25, False, "0"),
    ],
    "BTC.CT.TCCB": [
        ("Trưởng phòng", 1, LEADERSHIP, "0.60"),
        ("Phó Trưởng phòng", 2, LEADERSHIP, "0.40"),
        ("Chuyên viên", 6, False, "0"),
    ],
    "BTC.KBNN": [
        ("Tổng Giám đốc", 1, LEADERSHIP, "1.00"),
        ("Phó Tổng Giám đốc", 4, LEADERSHIP, "0.80"),
        ("Chuyên viên", 6, False, "0"),
    ],
    "BTC.KBNN.KV1": [
        ("Giám đốc", 1, LEADERSHIP, "0.70"),
        ("Phó Giám đốc", 3, LEADERSHIP, "0.50"),
        ("Trưởng phòng", 6, LEADERSHIP, "0.40"),
        ("Chuyên viên", 20, False, "0"),
    ],
}
STAFF_POSITION = "Chuyên viên"
ALLOWANCES = {(unit, name): Decimal(a) for unit, rows in POSITIONS.items() for name, _p, _l, a in rows}
# Heads lead the whole unit; deputies and team heads a field of it.
HEADS = {"Vụ trưởng", "Cục trưởng", "Chi cục trưởng", "Giám đốc", "Tổng Giám đốc"}
# The youngest age at which someone is appointed to a position (others: 32).
APPOINTMENT_AGE = {
    "Vụ trưởng": 44,
    "Cục trưởng": 44,
    "Phó Vụ trưởng": 38,
    "Phó Cục trưởng": 38,
    "Chi cục trưởng": 38,
    "Giám đốc": 38,
}
# Leaders at Vụ / Cục level need advanced political theory (cao cấp lý luận chính trị).
SENIOR_LEADERS = {"Vụ trưởng", "Phó Vụ trưởng", "Cục trưởng", "Phó Cục trưởng", "Chi cục trưởng", "Giám đốc"}

# unit → (head who decides on its people since the 2025 reorganisation, before it)
HEAD_TITLES = {
    "BTC": ("Bộ trưởng Bộ Tài chính", "Bộ trưởng Bộ Tài chính"),
    "BTC.TCCB": ("Bộ trưởng Bộ Tài chính", "Bộ trưởng Bộ Tài chính"),
    "BTC.CT": ("Cục trưởng Cục Thuế", "Tổng cục trưởng Tổng cục Thuế"),
    "BTC.CT.KV1": ("Cục trưởng Cục Thuế", "Cục trưởng Cục Thuế thành phố Hà Nội"),
    "BTC.CT.KV2": ("Cục trưởng Cục Thuế", "Cục trưởng Cục Thuế Thành phố Hồ Chí Minh"),
    "BTC.KBNN": ("Giám đốc Kho bạc Nhà nước", "Tổng Giám đốc Kho bạc Nhà nước"),
    "BTC.KBNN.KV1": ("Giám đốc Kho bạc Nhà nước khu vực I", "Giám đốc Kho bạc Nhà nước Hà Nội"),
}

# One unit is a little under its quota in the current year, as real units sometimes are.
UNDER_QUOTA = {("BTC.CT.KV2", StaffingQuota.Category.CIVIL_SERVANT)}


def quota_rows(people):
    """Quotas per unit and category for last year and this year: a little above the headcount
    of the default data set (fixed whatever --employees is), a little higher last year, when
    the ministry had not yet cut as far (tinh giản biên chế)."""
    headcount = Counter((p.unit_code, p.fields["employment_status"]) for p in people)
    rng = random.Random(f"{DEMO_SEED}:quotas")
    rows = []
    for spec in UNITS:
        for category in StaffingQuota.Category.values:
            actual = headcount.get((spec.code, category), 0)
            if not actual:
                continue
            if (spec.code, category) in UNDER_QUOTA:
                current = actual - 2
            else:
                current = actual + rng.randint(1, 1 + actual // 15)
            previous = current + rng.randint(0, 1 + actual // 20)
            for year, approved in ((QUOTA_YEARS[0], previous), (QUOTA_YEARS[1], current)):
                decided = max(date(year - 1, 12, rng.randint(15, 28)), spec.active_from + timedelta(days=10))
                parent = UNIT_SPECS[spec.parent] if spec.parent else spec
                rows.append(
                    {
                        "unit_code": spec.code,
                        "year": year,
                        "category": category,
                        "approved": max(approved, 1),
                        "decision_number": decision_number(rng, parent.issuer),
                        "decision_date": decided,
                    }
                )
    return rows


def ensure_units(counts):
    """The unit tree, parents first; a unit that exists keeps its values and gets only what it lacks."""
    for spec in UNITS:
        unit = Unit.objects.filter(code=spec.code).first()
        if unit is not None:
            parent = Unit.objects.get_parent(unit)
            if (parent.code if parent else None) != spec.parent:
                raise CommandError(
                    f"Đơn vị {spec.code} đã có nhưng nằm dưới {parent.code if parent else '(gốc)'}, "
                    f"không phải {spec.parent or '(gốc)'} "
                    f"(unit {spec.code} exists under a different parent; fix the tree first)."
                )
            # A unit from an older demo gets the details it lacks; edited values stay. The
            # personnel department flag counts as lacking only while the parent has none.
            missing = {name: value for name, value in spec.details().items() if getattr(unit, name) in (None, "")}
            if (
                spec.is_personnel_department
                and not unit.is_personnel_department
                and not Unit.objects.get_children(parent).filter(is_personnel_department=True).exists()
            ):
                missing["is_personnel_department"] = True
            if missing:
                for name, value in missing.items():
                    setattr(unit, name, value)
                unit.full_clean(exclude=TREE_FIELDS)
                unit.save()
                counts["units_filled"] += 1
            continue
        unit = Unit(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            is_personnel_department=spec.is_personnel_department,
            **spec.details(),
        )
        unit.full_clean(exclude=TREE_FIELDS)
        if spec.parent is None:
            Unit.objects.add_root(instance=unit)
        else:
            # Re-read the parent: inserting a sorted sibling may have moved its path.
            Unit.objects.add_child(Unit.objects.get(code=spec.parent), instance=unit)
        counts["units"] += 1
    return {unit.code: unit for unit in Unit.objects.filter(code__in=UNIT_SPECS)}


def ensure_positions(units, counts):
    """Each unit's positions; returns them by (unit code, name)."""
    existing = {
        (p.unit.code, p.name): p for p in Position.objects.filter(unit__in=units.values()).select_related("unit")
    }
    for code, rows in POSITIONS.items():
        for name, posts, leadership, _allowance in rows:
            if (code, name) in existing:
                continue
            position = Position(unit=units[code], name=name, posts=posts, is_leadership=leadership)
            position.full_clean()
            position.save()
            existing[(code, name)] = position
            counts["positions"] += 1
    return existing


def ensure_quotas(units, rows, counts):
    """The quota rows the database lacks (by unit, year and category)."""
    existing = set(StaffingQuota.objects.filter(unit__in=units.values()).values_list("unit__code", "year", "category"))
    for row in rows:
        if (row["unit_code"], row["year"], row["category"]) in existing:
            continue
        quota = StaffingQuota(unit=units[row["unit_code"]], **{k: v for k, v in row.items() if k != "unit_code"})
        quota.full_clean()
        quota.save()
        counts["quotas"] += 1
