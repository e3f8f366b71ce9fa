"""Load the demo data set: the Ministry of Finance unit tree (addresses, founding decisions,
staffing quotas, positions, personnel departments), ~200 employees with a complete personnel
file (form 2C and every sub-record), two years of inspection work, one demo account per role
plus a superuser, and version 2 of the approval policy (a second level for the Chi cục's
salary changes).

Idempotent: units are found by code, positions by unit and name, quotas by unit, year and
category, employees by CCCD, plans by unit, year and title, inspections by plan and unit,
follow-ups by inspection and text, grants by user, unit and role; an employee's sub-records of
one kind are added only while the employee has none of that kind; the policy is added only
while version 1 is the newest. Everything comes from fixed seeds and a fixed reference
date, and person i does not depend on --employees, so a larger N later only adds people.
All tracked rows are written in one tracked change naming the demo admin and the demo reason,
so every history row says who and why; grants and the policy name the admin too. Addresses and
decision numbers are illustrative.
"""

import calendar
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from records.models import (
    Commendation,
    Discipline,
    Employee,
    Evaluation,
    FamilyMember,
    FollowUpAction,
    Inspection,
    InspectionPlan,
    SalaryHistory,
    SalaryRank,
    SalaryTable,
    Training,
    WorkHistory,
)
from records.models.salary import coefficients_for, salary_index, salary_index_held
from records.services import load_initial_employees
from records.tracking import ChangeContext, bulk_create_tracked, tracked_change
from units.models import Position, Role, RoleGrant, StaffingQuota, Unit
from workflows.models import ApprovalPolicy
from workflows.policy import Category, Level, save_policy

DEMO_REASON = "Nạp dữ liệu mẫu ban đầu (demo)"
GRANT_REASON = "Dữ liệu mẫu (demo)"
DEMO_PASSWORD = "Demo@2026!qlcb"
DEMO_EMAIL_DOMAIN = "demo.qlcb.local"
DEMO_SEED = 20260101
ADMIN_USERNAME = "admin"
DEFAULT_EMPLOYEES = 200

# Ages, salary steps and every date are computed against a fixed day, so the data set does
# not depend on the day the command runs; the day must not be in the future when it runs.
REFERENCE_DATE = date(2026, 7, 1)
QUOTA_YEARS = (REFERENCE_DATE.year - 1, REFERENCE_DATE.year)  # last year and this year
EVALUATION_YEARS = tuple(range(REFERENCE_DATE.year - 3, REFERENCE_DATE.year))  # the last 3 closed years
INSPECTION_YEARS = (REFERENCE_DATE.year - 1, REFERENCE_DATE.year)
REORGANISATION = date(2025, 3, 1)  # the 2025 reorganisation of the tax and treasury systems
TREE_FIELDS = ["path", "depth", "numchild"]


# --- Units ------------------------------------------------------------------------------
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
        "BTC", "Bộ Tài chính", Unit.Kind.MINISTRY, None, "28 Trần Hưng Đạo, Hà Nội",
        "Tuyên cáo của Chính phủ lâm thời", date(1945, 8, 28), date(1945, 8, 28), "hn", "office", "BTC",
    ),
    UnitSpec(
        "BTC.TCCB", "Vụ Tổ chức cán bộ", Unit.Kind.DEPARTMENT, "BTC", "28 Trần Hưng Đạo, Hà Nội",
        "65/TC-QĐ", date(1988, 5, 12), date(1988, 6, 1), "hn", "office", "BTC",
        ("Văn phòng Bộ Tài chính", "Cục Thuế thành phố Hà Nội", "Kho bạc Nhà nước Hà Nội"),
        is_personnel_department=True,
    ),
    UnitSpec(
        "BTC.CT", "Cục Thuế", Unit.Kind.AGENCY, "BTC", "123 Lò Đúc, Hà Nội",
        "381/QĐ-BTC", date(2025, 2, 26), REORGANISATION, "hn", "tax", "CT",
        ("Tổng cục Thuế", "Cục Thuế thành phố Hà Nội"),
        led_before=("Cục Thuế thành phố Hà Nội",),
    ),
    UnitSpec(
        "BTC.CT.KV1", "Chi cục Thuế khu vực I", Unit.Kind.SUB_AGENCY, "BTC.CT", "187 Giảng Võ, Hà Nội",
        "12/QĐ-CT", date(2025, 2, 28), REORGANISATION, "hn", "tax", "CT",
        ("Chi cục Thuế quận Ba Đình", "Chi cục Thuế quận Đống Đa", "Chi cục Thuế quận Cầu Giấy", "Cục Thuế thành phố Hà Nội"),
        led_before=("Chi cục Thuế quận Ba Đình", "Chi cục Thuế quận Đống Đa", "Chi cục Thuế quận Cầu Giấy"),
    ),
    UnitSpec(
        "BTC.CT.KV2", "Chi cục Thuế khu vực II", Unit.Kind.SUB_AGENCY, "BTC.CT",
        "140 Nguyễn Thị Minh Khai, Thành phố Hồ Chí Minh",
        "13/QĐ-CT", date(2025, 2, 28), REORGANISATION, "hcm", "tax", "CT",
        ("Chi cục Thuế Quận 1", "Chi cục Thuế quận Bình Thạnh", "Chi cục Thuế quận Gò Vấp", "Cục Thuế Thành phố Hồ Chí Minh"),
        led_before=("Chi cục Thuế Quận 1", "Chi cục Thuế quận Bình Thạnh", "Chi cục Thuế quận Gò Vấp"),
    ),
    # No staff of its own in the demo (the people's draws stay as they were): it is here as
    # the second approval level of the Chi cục's salary changes (policy version 2).
    UnitSpec(
        "BTC.CT.TCCB", "Phòng Tổ chức cán bộ Cục Thuế", Unit.Kind.DEPARTMENT, "BTC.CT", "123 Lò Đúc, Hà Nội",
        "14/QĐ-CT", date(2025, 2, 28), REORGANISATION, "hn", "office", "CT",
        ("Tổng cục Thuế", "Cục Thuế thành phố Hà Nội"),
        is_personnel_department=True,
    ),
    UnitSpec(
        "BTC.KBNN", "Kho bạc Nhà nước", Unit.Kind.AGENCY, "BTC", "32 Cát Linh, Hà Nội",
        "07/HĐBT", date(1990, 1, 4), date(1990, 4, 1), "hn", "treasury", "KBNN",
        ("Kho bạc Nhà nước Hà Nội", "Sở Giao dịch Kho bạc Nhà nước"),
    ),
    UnitSpec(
        "BTC.KBNN.KV1", "Kho bạc Nhà nước khu vực I", Unit.Kind.BRANCH, "BTC.KBNN", "10 Lê Lai, Hà Nội",
        "389/QĐ-BTC", date(2025, 2, 26), REORGANISATION, "hn", "treasury", "KBNN",
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
        ("Vụ trưởng", 1, LEADERSHIP, "1.00"), ("Phó Vụ trưởng", 3, LEADERSHIP, "0.80"),
        ("Chuyên viên", 8, False, "0"),
    ],
    "BTC.CT": [
        ("Cục trưởng", 1, LEADERSHIP, "1.00"), ("Phó Cục trưởng", 5, LEADERSHIP, "0.80"),
        ("Chuyên viên", 10, False, "0"),
    ],
    "BTC.CT.KV1": [
        ("Chi cục trưởng", 1, LEADERSHIP, "0.70"), ("Phó Chi cục trưởng", 3, LEADERSHIP, "0.50"),
        ("Đội trưởng", 6, LEADERSHIP, "0.30"), ("Chuyên viên", 25, False, "0"),
    ],
    "BTC.CT.KV2": [
        ("Chi cục trưởng", 1, LEADERSHIP, "0.70"), ("Phó Chi cục trưởng", 3, LEADERSHIP, "0.50"),
        ("Đội trưởng", 5, LEADERSHIP, "0.30"), ("Chuyên viên", 25, False, "0"),
    ],
    "BTC.CT.TCCB": [
        ("Trưởng phòng", 1, LEADERSHIP, "0.60"), ("Phó Trưởng phòng", 2, LEADERSHIP, "0.40"),
        ("Chuyên viên", 6, False, "0"),
    ],
    "BTC.KBNN": [
        ("Tổng Giám đốc", 1, LEADERSHIP, "1.00"), ("Phó Tổng Giám đốc", 4, LEADERSHIP, "0.80"),
        ("Chuyên viên", 6, False, "0"),
    ],
    "BTC.KBNN.KV1": [
        ("Giám đốc", 1, LEADERSHIP, "0.70"), ("Phó Giám đốc", 3, LEADERSHIP, "0.50"),
        ("Trưởng phòng", 6, LEADERSHIP, "0.40"), ("Chuyên viên", 20, False, "0"),
    ],
}
STAFF_POSITION = "Chuyên viên"
ALLOWANCES = {(unit, name): Decimal(a) for unit, rows in POSITIONS.items() for name, _p, _l, a in rows}
# Heads lead the whole unit; deputies and team heads a field of it.
HEADS = {"Vụ trưởng", "Cục trưởng", "Chi cục trưởng", "Giám đốc", "Tổng Giám đốc"}
# The youngest age at which someone is appointed to a position (others: 32).
APPOINTMENT_AGE = {
    "Vụ trưởng": 44, "Cục trưởng": 44, "Phó Vụ trưởng": 38, "Phó Cục trưởng": 38, "Chi cục trưởng": 38, "Giám đốc": 38,
}
# Leaders at Vụ / Cục level need advanced political theory (cao cấp lý luận chính trị).
SENIOR_LEADERS = {"Vụ trưởng", "Phó Vụ trưởng", "Cục trưởng", "Phó Cục trưởng", "Chi cục trưởng", "Giám đốc"}

# --- Accounts ---------------------------------------------------------------------------
# (username, last_name = họ và tên đệm, first_name = tên, role, unit code); admin has no grant.
ACCOUNTS = [
    ("canbo.kv1", "Nguyễn Thị Hồng", "Nhung", Role.OFFICER, "BTC.CT.KV1"),
    ("lanhdao.kv1", "Trần Văn", "Hùng", Role.APPROVER, "BTC.CT.KV1"),
    ("canbo.kv2", "Lê Thị Thu", "Hà", Role.OFFICER, "BTC.CT.KV2"),
    ("lanhdao.kv2", "Phạm Minh", "Tuấn", Role.APPROVER, "BTC.CT.KV2"),
    ("xem.cucthue", "Hoàng Thị", "Mai", Role.VIEWER, "BTC.CT"),
    ("thanhtra.cucthue", "Võ Đức", "Thắng", Role.INSPECTOR, "BTC.CT"),
    ("canbo.kbnn", "Đặng Thị Lan", "Anh", Role.OFFICER, "BTC.KBNN.KV1"),
    ("lanhdao.kbnn", "Bùi Quang", "Vinh", Role.APPROVER, "BTC.KBNN.KV1"),
    ("xem.bo", "Đỗ Thị", "Phương", Role.VIEWER, "BTC"),
    ("thanhtra.bo", "Ngô Văn", "Sơn", Role.INSPECTOR, "BTC"),
    ("tccb.cucthue", "Lý Thị Thanh", "Huyền", Role.APPROVER, "BTC.CT.TCCB"),
    ("quantri.bo", "Dương Quốc", "Khánh", Role.UNIT_ADMIN, "BTC"),  # on the root: also edits the policy
    ("quantri.cucthue", "Hồ Thị", "Loan", Role.UNIT_ADMIN, "BTC.CT"),
]
ADMIN_NAMES = ("Quản trị", "viên")  # (last_name, first_name)

ROLE_LABELS = {
    Role.OFFICER: "Cán bộ tổ chức (officer)",
    Role.APPROVER: "Lãnh đạo phê duyệt (approver)",
    Role.VIEWER: "Xem (viewer)",
    Role.INSPECTOR: "Thanh tra (inspector)",
    Role.UNIT_ADMIN: "Quản trị đơn vị (unit admin)",
}

# --- Approval policy --------------------------------------------------------------------
# Version 2 = version 1 (from the migration) with this rule: a Chi cục's salary changes go to
# its leader, then to the personnel department of its Cục (BTC.CT.TCCB).
POLICY_NOTE = "Dữ liệu mẫu: nâng bậc lương của Chi cục qua Phòng TCCB Cục Thuế"
POLICY_RULE = {
    "category": Category.SALARY.value,
    "unit_kind": Unit.Kind.SUB_AGENCY.value,
    "levels": [Level.UNIT_LEADER.value, Level.PARENT_PERSONNEL.value],
}

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

# --- Names and places -------------------------------------------------------------------
FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1),
    ("Ngô", 1), ("Dương", 1), ("Lý", 1),
]
MALE, FEMALE = Employee.Sex.MALE, Employee.Sex.FEMALE
MIDDLE_NAMES = {
    MALE: ["Văn", "Văn", "Hữu", "Minh", "Đức", "Thanh", "Quang", "Ngọc", "Công", "Xuân", "Duy", "Mạnh"],
    FEMALE: ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thùy", "Kim", "Phương", "Hồng", "Diệu"],
}
GIVEN_NAMES = {
    MALE: [
        "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Quang", "Khoa",
        "Phong", "Bình", "Cường", "Đạt", "Hiếu", "Trung", "Toàn", "Vinh", "Thành", "Tùng",
        "Kiên", "Lâm", "Quân", "Huy", "Khánh", "Phúc", "Tâm", "Đông", "Hưng",
    ],
    FEMALE: [
        "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Hằng", "Ngọc", "Thảo", "Phương", "Nga",
        "Yến", "Hà", "Thủy", "Vân", "Hạnh", "Huyền", "Loan", "Dung", "Nhung", "Oanh", "Trinh",
        "Vy", "Anh", "Giang", "Quỳnh", "Liên", "Hiền", "Thư", "Châu",
    ],
}
# Province codes of the CCCD (Thông tư 59/2021/TT-BCA, phụ lục I), weighted to the north,
# with the province (before the 2025 mergers: births were registered then) and some districts.
PROVINCE_CODES = [
    "001", "001", "001", "022", "024", "026", "027", "030", "031", "033", "034", "035",
    "036", "037", "038", "040", "042", "046", "048", "052", "074", "075", "079", "079",
    "083", "087", "092",
]
PROVINCES = {
    "001": (
        "thành phố Hà Nội",
        ["huyện Đông Anh", "huyện Thanh Trì", "huyện Sóc Sơn", "quận Đống Đa", "huyện Ba Vì", "huyện Thường Tín"],
    ),
    "022": ("tỉnh Quảng Ninh", ["thành phố Hạ Long", "thành phố Uông Bí", "thị xã Đông Triều"]),
    "024": ("tỉnh Bắc Giang", ["huyện Lạng Giang", "huyện Việt Yên", "huyện Yên Dũng"]),
    "026": ("tỉnh Vĩnh Phúc", ["huyện Yên Lạc", "huyện Vĩnh Tường", "thành phố Vĩnh Yên"]),
    "027": ("tỉnh Bắc Ninh", ["huyện Tiên Du", "thị xã Thuận Thành", "huyện Gia Bình"]),
    "030": ("tỉnh Hải Dương", ["huyện Gia Lộc", "huyện Cẩm Giàng", "huyện Thanh Miện"]),
    "031": ("thành phố Hải Phòng", ["huyện Thủy Nguyên", "huyện An Lão", "huyện Tiên Lãng"]),
    "033": ("tỉnh Hưng Yên", ["huyện Văn Lâm", "huyện Khoái Châu", "huyện Tiên Lữ"]),
    "034": ("tỉnh Thái Bình", ["huyện Vũ Thư", "huyện Kiến Xương", "huyện Quỳnh Phụ"]),
    "035": ("tỉnh Hà Nam", ["huyện Bình Lục", "huyện Thanh Liêm", "huyện Lý Nhân"]),
    "036": ("tỉnh Nam Định", ["huyện Hải Hậu", "huyện Ý Yên", "huyện Giao Thủy"]),
    "037": ("tỉnh Ninh Bình", ["huyện Gia Viễn", "huyện Kim Sơn", "huyện Yên Khánh"]),
    "038": ("tỉnh Thanh Hóa", ["huyện Hoằng Hóa", "huyện Nông Cống", "huyện Thọ Xuân"]),
    "040": ("tỉnh Nghệ An", ["huyện Diễn Châu", "huyện Nghi Lộc", "huyện Đô Lương"]),
    "042": ("tỉnh Hà Tĩnh", ["huyện Can Lộc", "huyện Đức Thọ", "huyện Thạch Hà"]),
    "046": ("tỉnh Thừa Thiên Huế", ["huyện Phú Vang", "thị xã Hương Thủy", "huyện Quảng Điền"]),
    "048": ("thành phố Đà Nẵng", ["quận Hải Châu", "huyện Hòa Vang", "quận Sơn Trà"]),
    "052": ("tỉnh Bình Định", ["huyện Phù Cát", "thị xã An Nhơn", "huyện Tuy Phước"]),
    "074": ("tỉnh Bình Dương", ["thành phố Thủ Dầu Một", "thị xã Bến Cát", "huyện Phú Giáo"]),
    "075": ("tỉnh Đồng Nai", ["thành phố Biên Hòa", "huyện Long Thành", "huyện Trảng Bom"]),
    "079": ("Thành phố Hồ Chí Minh", ["Quận 1", "quận Bình Thạnh", "quận Gò Vấp", "huyện Củ Chi", "quận Tân Bình"]),
    "083": ("tỉnh Bến Tre", ["huyện Mỏ Cày Nam", "huyện Châu Thành", "huyện Ba Tri"]),
    "087": ("tỉnh Đồng Tháp", ["huyện Cao Lãnh", "thành phố Sa Đéc", "huyện Lai Vung"]),
    "092": ("thành phố Cần Thơ", ["quận Ninh Kiều", "huyện Phong Điền", "quận Bình Thủy"]),
}
SOUTHERN_PROVINCES = {"074", "075", "079", "083", "087", "092"}
# Where people live now: (street, ward) in the two-level administration since 07/2025.
STREETS = {
    "hn": [
        ("phố Kim Mã", "Giảng Võ"), ("phố Đội Cấn", "Ngọc Hà"), ("phố Hàng Bông", "Hoàn Kiếm"),
        ("phố Chùa Bộc", "Kim Liên"), ("phố Tây Sơn", "Đống Đa"), ("đường Láng", "Láng"),
        ("phố Hào Nam", "Ô Chợ Dừa"), ("phố Huế", "Hai Bà Trưng"), ("phố Bạch Mai", "Bạch Mai"),
        ("phố Minh Khai", "Vĩnh Tuy"), ("phố Trần Duy Hưng", "Yên Hòa"), ("phố Hoàng Quốc Việt", "Nghĩa Đô"),
        ("đường Nguyễn Trãi", "Thanh Xuân"), ("phố Lạc Long Quân", "Tây Hồ"), ("đường Nguyễn Văn Cừ", "Bồ Đề"),
        ("phố Quang Trung", "Hà Đông"), ("đường Giải Phóng", "Hoàng Mai"), ("đường Hồ Tùng Mậu", "Từ Liêm"),
    ],
    "hcm": [
        ("đường Lê Thánh Tôn", "Sài Gòn"), ("đường Nguyễn Trãi", "Bến Thành"), ("đường Hai Bà Trưng", "Tân Định"),
        ("đường Điện Biên Phủ", "Bình Thạnh"), ("đường Phan Đăng Lưu", "Gia Định"), ("đường Nguyễn Văn Trỗi", "Phú Nhuận"),
        ("đường Võ Văn Ngân", "Thủ Đức"), ("đường Trần Hưng Đạo", "Chợ Quán"), ("đường Nguyễn Thị Minh Khai", "Xuân Hòa"),
    ],
}
CITY_NAMES = {"hn": "thành phố Hà Nội", "hcm": "Thành phố Hồ Chí Minh"}
CITY_PROVINCE = {"hn": "001", "hcm": "079"}

MAJORS = {
    "tax": ["Tài chính – Ngân hàng", "Kế toán", "Kinh tế", "Luật Kinh tế", "Thuế"],
    "treasury": ["Kế toán", "Tài chính – Ngân hàng", "Kinh tế", "Kiểm toán"],
    "office": ["Quản trị nhân lực", "Luật", "Hành chính học", "Kinh tế"],
}
UNIVERSITIES = {
    "hn": [
        "Học viện Tài chính", "Trường Đại học Kinh tế Quốc dân", "Trường Đại học Luật Hà Nội", "Học viện Ngân hàng",
        "Học viện Hành chính Quốc gia",
    ],
    "hcm": [
        "Trường Đại học Kinh tế TP Hồ Chí Minh", "Trường Đại học Luật TP Hồ Chí Minh",
        "Trường Đại học Tài chính – Marketing", "Trường Đại học Ngân hàng TP Hồ Chí Minh",
    ],
}
COLLEGES = {"hn": "Trường Cao đẳng Tài chính – Quản trị kinh doanh", "hcm": "Trường Cao đẳng Kinh tế TP Hồ Chí Minh"}
DUTIES = {
    "tax": [
        "Kiểm tra thuế doanh nghiệp", "Quản lý nợ và cưỡng chế nợ thuế", "Tuyên truyền, hỗ trợ người nộp thuế",
        "Kê khai và kế toán thuế", "Quản lý hộ kinh doanh, cá nhân", "Thanh tra – kiểm tra hoàn thuế",
    ],
    "treasury": ["Kiểm soát chi ngân sách nhà nước", "Kế toán nhà nước", "Thanh toán và điều hành vốn", "Tổng hợp, báo cáo"],
    "office": ["Quản lý biên chế, tiền lương", "Tuyển dụng, đào tạo, bồi dưỡng", "Bảo vệ chính trị nội bộ", "Quản lý hồ sơ cán bộ"],
}
STRENGTHS = {
    "tax": ["Kiểm tra thuế", "Phân tích báo cáo tài chính doanh nghiệp", "Ứng dụng hoá đơn điện tử"],
    "treasury": ["Kế toán ngân sách", "Kiểm soát chi", "Tổng hợp số liệu"],
    "office": ["Tổ chức cán bộ", "Soạn thảo văn bản quy phạm", "Tổng hợp, tham mưu"],
}
SPOUSE_JOBS = [
    "Giáo viên trường THCS", "Nhân viên ngân hàng", "Bác sĩ bệnh viện đa khoa", "Kế toán doanh nghiệp", "Công chức UBND phường",
]
PERSONAL_HISTORY = (
    "Bản thân không bị bắt, bị tù; không tham gia hoặc có quan hệ với tổ chức chính trị, "
    "kinh tế, xã hội nào ở nước ngoài."
)
BIRTH_FIRST = date(1966, 1, 1)
BIRTH_LAST = date(2000, 12, 31)


# --- Small helpers ----------------------------------------------------------------------
def _weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights, k=1)[0]


def _age(born, on=REFERENCE_DATE):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _plus_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plus_years(day, years):
    return _plus_months(day, 12 * years)


def _between(rng, first, last):
    """A day in [first, last]; `first` when the range is empty (callers keep it non-empty)."""
    if last <= first:
        return first
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _decision(rng, issuer):
    return f"{rng.randint(12, 2980)}/QĐ-{issuer}"


def _issuer_of(organisation):
    for marker, issuer in (("Chi cục Thuế", "CCT"), ("Tổng cục Thuế", "TCT"), ("Cục Thuế", "CT"), ("Kho bạc", "KBNN")):
        if marker in organisation:
            return issuer
    return "BTC"


def _citizen_id(rng, born, sex, taken):
    """CCCD: province (3) · century/sex (1) · year of birth (2) · random (6)."""
    century = 0 if born.year < 2000 else 2
    sex_digit = century + (1 if sex == FEMALE else 0)
    while True:
        value = f"{rng.choice(PROVINCE_CODES)}{sex_digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"
        if value not in taken:
            taken.add(value)
            return value


def _person_name(rng, sex, family=None):
    family = family or _weighted(rng, FAMILY_NAMES)
    return f"{family} {rng.choice(MIDDLE_NAMES[sex])} {rng.choice(GIVEN_NAMES[sex])}"


# --- Salary table -----------------------------------------------------------------------
@dataclass(frozen=True)
class RankInfo:
    code: str
    name: str
    group: str
    months_per_step: int
    steps: int


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
            code: RankInfo(code, r.rank_name, r.scale_group, r.months_per_step, len(r.coefficients))
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


# --- People -----------------------------------------------------------------------------
@dataclass
class DemoPerson:
    """One demo employee: the Employee fields (units and positions by code and name) and the
    rows of each sub-record, all consistent with one career."""

    unit_code: str
    position_name: str
    fields: dict
    subrecords: dict = field(default_factory=dict)  # model → list of field dicts

    @property
    def citizen_id(self):
        return self.fields["citizen_id"]


def build_people(count, scales, seed=DEMO_SEED):
    """The first `count` demo people; person i is the same whatever `count` is.

    The draws of one shared generator fix who a person is (name, birth, CCCD, unit, rank), in
    the same order as earlier versions of the loader, so the same CCCDs come out; the rest of
    the file is drawn from a generator seeded by the person's CCCD."""
    rng = random.Random(seed)
    taken = set()
    people = []
    span = (BIRTH_LAST - BIRTH_FIRST).days
    for index in range(count):
        leader = LEADERS[index] if index < len(LEADERS) else None
        sex = FEMALE if rng.random() < 0.55 else MALE
        if leader:
            # Leaders are older: born 1966–1982.
            born = BIRTH_FIRST + timedelta(days=rng.randrange((date(1982, 12, 31) - BIRTH_FIRST).days))
            unit_code, position, rank = leader
            status = Employee.EmploymentStatus.CIVIL_SERVANT
        else:
            born = BIRTH_FIRST + timedelta(days=rng.randrange(span + 1))
            unit_code = _weighted(rng, STAFF_UNITS)
            roll = rng.random()
            if roll < 0.84:
                status = Employee.EmploymentStatus.CIVIL_SERVANT
            elif roll < 0.93:
                status = Employee.EmploymentStatus.PUBLIC_EMPLOYEE
            else:
                status = Employee.EmploymentStatus.CONTRACT
            if status == Employee.EmploymentStatus.CONTRACT:
                rank = "01.004"
            else:
                rank = _weighted(rng, STAFF_RANKS[UNIT_SPECS[unit_code].group])
            position = STAFF_POSITION if scales.group(rank) != "B" and rng.random() < 0.4 else ""
        entry_jitter = rng.randint(-2, 3)
        family = _weighted(rng, FAMILY_NAMES)
        middle = rng.choice(MIDDLE_NAMES[sex])
        given = rng.choice(GIVEN_NAMES[sex])
        citizen_id = _citizen_id(rng, born, sex, taken)
        person = _Career(
            random.Random(f"{seed}:{citizen_id}"), scales,
            full_name=f"{family} {middle} {given}", family=family, born=born, sex=sex,
            citizen_id=citizen_id, unit=UNIT_SPECS[unit_code], position=position, rank=rank,
            status=status, entry_jitter=entry_jitter,
        ).build()
        people.append(person)
    return people


class _Career:
    """Draws one person's career and writes it out as the Employee fields and sub-records."""

    def __init__(self, rng, scales, *, full_name, family, born, sex, citizen_id, unit, position, rank, status, entry_jitter):
        self.rng, self.scales = rng, scales
        self.full_name, self.family, self.born, self.sex = full_name, family, born, sex
        self.citizen_id, self.unit, self.position, self.status = citizen_id, unit, position, status
        self.is_leader = bool(position) and position != STAFF_POSITION
        self.age = _age(born)
        self.target_rank = rank
        self.entry_jitter = entry_jitter

    # The order of the steps matters: each draws from self.rng.
    def build(self):
        self._education()
        self._recruitment()
        self._ranks()
        self._salary()
        self._work()
        self._party_and_mass_organisation()
        self._evaluations_and_awards()
        self.trainings = self._trainings()  # also settles qualification and political theory
        fields = self._fields()
        return DemoPerson(
            unit_code=self.unit.code,
            position_name=self.position,
            fields=fields,
            subrecords={
                WorkHistory: self.work,
                SalaryHistory: self.salary_rows,
                Training: self.trainings,
                Commendation: self.commendations,
                Discipline: self.disciplines,
                Evaluation: self.evaluations,
                FamilyMember: self._family(),
            },
        )

    # Degree first: recruitment waits for it.
    def _education(self):
        rng = self.rng
        self.military = self.sex == MALE and self.age >= 40 and rng.random() < 0.06
        study_from = self.born.year + (20 if self.military else 18)
        first_group = self.scales.group(CAREER_PATH.get(self.target_rank, (self.target_rank,))[0])
        self.major = rng.choice(MAJORS[self.unit.group])
        if first_group == "B":
            if rng.random() < 0.6:
                years, self.qualification, degree = 3, Employee.Qualification.COLLEGE, "Cao đẳng"
                school = COLLEGES[self.unit.city]
            else:
                years, self.qualification, degree = 2, Employee.Qualification.VOCATIONAL, "Trung cấp"
                school = "Trường Trung cấp Kinh tế – Tài chính"
            certificate = f"Bằng tốt nghiệp {degree.lower()}"
        else:
            years, self.qualification, degree = 4, Employee.Qualification.BACHELOR, "Cử nhân"
            school, certificate = rng.choice(UNIVERSITIES[self.unit.city]), "Bằng cử nhân"
        start = date(study_from, 9, 5)
        self.degree_end = date(study_from + years, 6, 30)
        self.trainings = [
            {
                "kind": Training.Kind.DEGREE, "name": f"{degree} {self.major}", "institution": school,
                "start_date": start, "end_date": self.degree_end, "mode": Training.Mode.FULL_TIME,
                "certificate": certificate,
            }
        ]

    def _recruitment(self):
        rng = self.rng
        first_group = self.scales.group(CAREER_PATH.get(self.target_rank, (self.target_rank,))[0])
        entry_age = max(ENTRY_AGE[first_group] + self.entry_jitter, 20 if first_group == "B" else 22)
        recruited = _plus_years(self.born, entry_age) + timedelta(days=rng.randrange(250))
        recruited = max(recruited, self.degree_end + timedelta(days=rng.randint(45, 300)))
        self.recruited = min(recruited, _plus_months(REFERENCE_DATE, -6))
        self.fresh_graduate = (self.recruited - self.degree_end).days < 400

    def _ranks(self):
        """The rank path and the day of each promotion; a senior rank the career cannot reach
        in time falls back to its junior rank."""
        rank = self.target_rank
        while True:
            fits = self.age >= MIN_AGE_FOR_SCALE[self.scales.group(rank)]
            path = CAREER_PATH.get(rank, (rank,))
            promotions = self._promotion_days(path) if fits else None
            if promotions is not None or rank not in JUNIOR_RANK:
                break
            rank = JUNIOR_RANK[rank]
        self.rank_path, self.promotions = path, promotions or []

    def _promotion_days(self, path):
        rng, born, last = self.rng, self.born, _plus_years(REFERENCE_DATE, -1)
        days = []
        if len(path) >= 2:
            first = max(_plus_years(self.recruited, 6), _plus_years(born, 30))
            end = min(_plus_years(born, 42), last)
            if len(path) == 3:
                end = min(end, _plus_years(born, 40), _plus_years(REFERENCE_DATE, -7))
            if first > end:
                return None
            days.append(_between(rng, first, end))
        if len(path) == 3:
            first = max(_plus_years(days[0], 6), _plus_years(born, 42))
            end = min(_plus_years(born, 52), last)
            if first > end:
                return None
            days.append(_between(rng, first, end))
        return days

    def _salary(self):
        """Regular step increases every months_per_step, promotions to the step paying at least
        as much; salaries before the first table are shown converted into it."""
        scales = self.scales
        rank, step, since = self.rank_path[0], 1, self.recruited
        events = [(since, rank, step, "recruit")]
        pending = list(zip(self.promotions, self.rank_path[1:]))
        self.rank_changes = [(since, rank)]
        while True:
            info = scales.ranks[rank]
            next_step = _plus_months(since, info.months_per_step) if step < info.steps else None
            promotion = pending[0] if pending else None
            if promotion and (next_step is None or promotion[0] <= next_step):
                day, new_rank = pending.pop(0)
                coefficient = scales.coefficient(rank, step, day)
                rank, step, since = new_rank, scales.step_at_least(new_rank, coefficient, day), day
                events.append((day, rank, step, "promote"))
                self.rank_changes.append((day, rank))
            elif next_step and next_step <= REFERENCE_DATE:
                step, since = step + 1, next_step
                events.append((since, rank, step, "step"))
            else:
                break
        info = scales.ranks[rank]
        self.rank, self.step, self.salary_since = rank, step, since
        self.coefficient = scales.coefficient(rank, step, since)
        # Above the top step: 5 % after one more full period, then 1 % a year (vượt khung).
        self.seniority = 0
        if step == info.steps:
            months_at_top = (REFERENCE_DATE.year - since.year) * 12 + REFERENCE_DATE.month - since.month
            if months_at_top >= info.months_per_step:
                self.seniority = min(5 + (months_at_top - info.months_per_step) // 12, 15)

        conversion = scales.first_table_date
        rows, held = [], None
        for day, event_rank, event_step, kind in events:
            if day <= conversion:
                held = (event_rank, event_step)
                continue
            if held:
                rows.append(self._salary_row(conversion, *held, "convert"))
                held = None
            rows.append(self._salary_row(day, event_rank, event_step, kind))
        if held:
            rows.append(self._salary_row(conversion, *held, "convert"))
        self.salary_rows = rows
        self.salary_effective_date = rows[-1]["effective_date"]

    def _salary_row(self, day, rank, step, kind):
        issuer = self._issuer_on(day)
        decided = day if kind == "convert" else max(day - timedelta(days=self.rng.randint(0, 25)), self.recruited)
        return {
            "effective_date": day,
            "rank_code": rank,
            "salary_step": step,
            "salary_coefficient": self.scales.coefficient(rank, step, day),
            "decision_number": _decision(self.rng, issuer),
            "decision_date": decided,
        }

    def _issuer_on(self, day):
        if day >= self.unit.active_from and day >= REORGANISATION:
            return self.unit.issuer
        return {"tax": "TCT", "treasury": "KBNN", "office": "BTC"}[self.unit.group]

    def _rank_on(self, day):
        rank = self.rank_changes[0][1]
        for since, changed in self.rank_changes:
            if since <= day:
                rank = changed
        return rank

    def _work(self):
        """Consecutive periods from recruitment, the current one open-ended."""
        rng, unit = self.rng, self.unit
        recruited, last = self.recruited, _plus_months(REFERENCE_DATE, -6)
        origins = list(unit.predecessors) or [unit.name]
        if unit.active_from > recruited:
            joined = unit.active_from  # moved into the unit when it was formed
        elif rng.random() < 0.5 or _plus_years(recruited, 2) > last:
            joined = recruited
        else:
            joined = _between(rng, _plus_years(recruited, 2), last)
        # (start, organisation, title); a title of None means "the rank held then"
        periods = []
        if joined > recruited:
            first_org = rng.choice(origins)
            periods.append((recruited, first_org, None))
            transfer_last = min(_plus_years(joined, -1), last)
            if rng.random() < 0.4 and _plus_years(recruited, 2) < transfer_last:
                others = [o for o in origins if o != first_org]
                if others:
                    periods.append((_between(rng, _plus_years(recruited, 2), transfer_last), rng.choice(others), None))
        if self.is_leader:
            earliest = max(_plus_years(recruited, 8), _plus_years(self.born, APPOINTMENT_AGE.get(self.position, 32)))
            if joined > recruited and unit.active_from == joined:
                # Led a predecessor before the reorganisation, reappointed in the new unit.
                first, before = max(earliest, periods[-1][0] + timedelta(days=400)), _plus_years(joined, -1)
                if unit.led_before and first <= before and rng.random() < 0.85:
                    periods.append((_between(rng, first, before), rng.choice(unit.led_before), self.position))
                periods.append((joined, unit.name, self.position))
            else:
                if joined > recruited or not periods:
                    periods.append((joined, unit.name, None))
                appointed = min(max(earliest, joined + timedelta(days=400)), last)
                appointed = _between(rng, appointed, last)
                if appointed > periods[-1][0]:
                    periods.append((appointed, unit.name, self.position))
                else:  # appointed when they joined
                    periods[-1] = (periods[-1][0], unit.name, self.position)
        else:
            title = STAFF_POSITION if self.position else None
            if joined > recruited:
                periods.append((joined, unit.name, title))
            else:
                periods = [(recruited, unit.name, title)]
        self.recruiting_agency = periods[0][1]
        self.work = []
        for i, (start, organisation, title) in enumerate(periods):
            end = periods[i + 1][0] - timedelta(days=1) if i + 1 < len(periods) else None
            issuer = _issuer_of(organisation) if organisation != unit.name else self._issuer_on(start)
            self.work.append(
                {
                    "start_date": start,
                    "end_date": end,
                    "organisation": organisation,
                    "title": title or self.scales.ranks[self._rank_on(start)].name,
                    "decision_number": _decision(rng, issuer),
                    "decision_date": start - timedelta(days=rng.randint(3, 20)),
                }
            )
        self.leader_since = next((p[0] for p in periods if p[2] and p[2] != STAFF_POSITION), None)

    def _party_and_mass_organisation(self):
        rng, born = self.rng, self.born
        share = 1.0 if self.is_leader else min(0.3 + 0.015 * (self.age - 25), 0.8)
        self.party_join = self.party_official = None
        if rng.random() < share:
            first = max(_plus_years(born, 19), _plus_years(self.recruited, -3))
            end = min(_plus_years(born, 38), _plus_months(REFERENCE_DATE, -18), self.leader_since or REFERENCE_DATE)
            if first < end:
                self.party_join = _between(rng, first, end)
                self.party_official = _plus_months(self.party_join, 12)  # 12 months as a probationary member
        if self.age <= 30:
            self.mass_organisation = "Đoàn Thanh niên Cộng sản Hồ Chí Minh"
            self.mass_joined = _plus_years(born, 15) + timedelta(days=rng.randrange(365))
        else:
            self.mass_organisation = "Công đoàn Việt Nam"
            self.mass_joined = self.recruited + timedelta(days=rng.randint(30, 120))

    def _evaluations_and_awards(self):
        rng = self.rng
        self.evaluations, self.commendations, self.disciplines = [], [], []
        years = [y for y in EVALUATION_YEARS if self.recruited <= date(y, 6, 30)]  # 6+ months in the year
        disciplined = None
        if years and not self.is_leader and rng.random() < 0.03:
            disciplined = rng.choice(years)
            form = Discipline.Form.REPRIMAND if rng.random() < 0.7 else Discipline.Form.WARNING
            start = date(disciplined, rng.randint(3, 10), rng.randint(1, 28))
            self.disciplines.append(
                {
                    "form": form,
                    "reason": rng.choice(
                        [
                            "Chậm giải quyết hồ sơ hoàn thuế quá thời hạn quy định",
                            "Vi phạm quy định về bảo mật thông tin người nộp thuế",
                            "Thiếu trách nhiệm trong kiểm soát hồ sơ chi ngân sách",
                            "Vi phạm quy chế làm việc, nghỉ việc không có lý do",
                        ]
                    ),
                    "authority": self._head_title(start),
                    "effective_from": start,
                    "effective_to": _plus_months(start, 12),
                    "decision_number": _decision(rng, self._issuer_on(start)),
                    "decision_date": start,
                }
            )
        ratings = [
            (Evaluation.Rating.EXCELLENT, 14), (Evaluation.Rating.GOOD, 70),
            (Evaluation.Rating.ADEQUATE, 14), (Evaluation.Rating.FAILED, 2),
        ]
        comments = {
            Evaluation.Rating.EXCELLENT: "Hoàn thành vượt mức các nhiệm vụ được giao, có sáng kiến được áp dụng.",
            Evaluation.Rating.GOOD: "Hoàn thành tốt các nhiệm vụ được giao.",
            Evaluation.Rating.ADEQUATE: "Hoàn thành nhiệm vụ; còn chậm tiến độ ở một số việc.",
            Evaluation.Rating.FAILED: "Không hoàn thành một số nhiệm vụ trọng tâm được giao.",
        }
        if self.is_leader:  # a leader who failed would not have kept the post
            ratings = ratings[:3]
        for year in years:
            if year == disciplined:  # disciplined in the year: rated as not completing its tasks
                rating, comment = Evaluation.Rating.FAILED, "Bị xử lý kỷ luật trong năm đánh giá."
            else:
                rating = _weighted(rng, ratings)
                comment = comments[rating]
            self.evaluations.append({"year": year, "rating": rating, "comment": comment})
            if rating == Evaluation.Rating.EXCELLENT and rng.random() < 0.8:
                self.commendations.append(self._commendation(year, f"Giấy khen của {self._head_title(date(year, 12, 1))}"))
        earlier = self.recruited.year + 2
        if earlier <= EVALUATION_YEARS[0] - 1 and rng.random() < 0.35:
            year = rng.randint(earlier, EVALUATION_YEARS[0] - 1)
            self.commendations.insert(0, self._commendation(year, "Bằng khen của Bộ trưởng Bộ Tài chính", issuer="BTC"))

    def _commendation(self, year, form, issuer=None):
        decided = date(year, 12, self.rng.randint(18, 30))
        authority = form.split(" của ", 1)[1]
        return {
            "year": year,
            "form": form,
            "reason": f"Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}",
            "authority": authority[0].upper() + authority[1:],
            "decision_number": _decision(self.rng, issuer or self._issuer_on(decided)),
            "decision_date": decided,
        }

    def _head_title(self, day):
        """Who decided commendations and disciplines for this person on `day`."""
        return HEAD_TITLES[self.unit.code][0 if day >= REORGANISATION else 1]

    def _trainings(self):
        """Up to three rows: the degree, a master's, the state-management course of the rank
        (bồi dưỡng QLNN), then a political-theory course."""
        rng, last = self.rng, _plus_months(REFERENCE_DATE, -1)
        rows = self.trainings
        self.state_management = Employee.StateManagement.NONE
        group = self.scales.group(self.rank)
        master_share = {"A3.1": 0.5, "A2.1": 0.4, "A1": 0.15}.get(group, 0)
        if rng.random() < master_share:
            first, end = _plus_years(self.recruited, 1), min(_plus_years(self.recruited, 8), _plus_years(REFERENCE_DATE, -3))
            if first < end:
                start = date(_between(rng, first, end).year, 10, 15)
                rows.append(
                    {
                        "kind": Training.Kind.DEGREE, "name": f"Thạc sĩ {self.major}",
                        "institution": rng.choice(UNIVERSITIES[self.unit.city]), "start_date": start,
                        "end_date": date(start.year + 2, 6, 30), "mode": Training.Mode.PART_TIME,
                        "certificate": "Bằng thạc sĩ",
                    }
                )
                self.qualification = Employee.Qualification.MASTER
        course = None
        if group == "A3.1":
            course = ("QLNN ngạch chuyên viên cao cấp", Employee.StateManagement.SENIOR, "Học viện Hành chính Quốc gia")
            first, end = _plus_months(self.promotions[-1], -20), _plus_months(self.promotions[-1], -4)
        elif group == "A2.1":
            course = ("QLNN ngạch chuyên viên chính", Employee.StateManagement.PRINCIPAL, "Trường Bồi dưỡng cán bộ tài chính")
            first, end = _plus_months(self.promotions[-1], -18), _plus_months(self.promotions[-1], -3)
        elif group == "A1" and self.status != Employee.EmploymentStatus.CONTRACT:
            course = ("QLNN ngạch chuyên viên", Employee.StateManagement.SPECIALIST, "Trường Bồi dưỡng cán bộ tài chính")
            first, end = _plus_months(self.recruited, 6), min(_plus_years(self.recruited, 3), _plus_months(last, -2))
        if course and first < end:
            start = _between(rng, max(first, self.recruited), end)
            rows.append(
                {
                    "kind": Training.Kind.COURSE, "name": course[0], "institution": course[2], "start_date": start,
                    "end_date": start + timedelta(days=56), "mode": Training.Mode.IN_SERVICE,
                    "certificate": f"Chứng chỉ {course[0]}",
                }
            )
            self.state_management = course[1]
        # Political theory (lý luận chính trị): advanced for senior leaders, intermediate for the others.
        if self.is_leader:
            self.political_theory = (
                Employee.PoliticalTheory.ADVANCED if self.position in SENIOR_LEADERS else Employee.PoliticalTheory.INTERMEDIATE
            )
        elif group in ("A2.1", "A3.1") and rng.random() < 0.5:
            self.political_theory = Employee.PoliticalTheory.INTERMEDIATE
        elif self.party_join and rng.random() < 0.5:
            self.political_theory = Employee.PoliticalTheory.ELEMENTARY
        else:
            self.political_theory = Employee.PoliticalTheory.NONE
        if len(rows) < 3 and self.political_theory in (Employee.PoliticalTheory.ADVANCED, Employee.PoliticalTheory.INTERMEDIATE):
            advanced = self.political_theory == Employee.PoliticalTheory.ADVANCED
            if advanced:
                first = max(_plus_years(self.recruited, 10), _plus_years(self.born, 36))
            else:
                first = _plus_years(self.recruited, 5)
            end = _plus_months(last, -10 if advanced else -6)
            if first < end:
                start = _between(rng, first, end)
                rows.append(
                    {
                        "kind": Training.Kind.DEGREE,  # a political-theory diploma is a degree (đào tạo)
                        "name": "Cao cấp lý luận chính trị" if advanced else "Trung cấp lý luận chính trị – hành chính",
                        "institution": "Học viện Chính trị khu vực I" if advanced else "Trường Chính trị tỉnh, thành phố",
                        "start_date": start,
                        "end_date": _plus_months(start, 8 if advanced else 5),
                        "mode": Training.Mode.PART_TIME,
                        "certificate": "Bằng cao cấp lý luận chính trị" if advanced else "Bằng trung cấp lý luận chính trị",
                    }
                )
        rows[0].update(decision_number="", decision_date=None)  # studied before recruitment: no one sent them
        for row in rows[1:]:  # the agency sent them (quyết định cử đi học)
            row["decision_number"] = _decision(rng, self._issuer_on(row["start_date"]))
            row["decision_date"] = row["start_date"] - timedelta(days=rng.randint(5, 25))
        rows.sort(key=lambda r: r["start_date"])
        return rows

    def _address(self):
        rng = self.rng
        street, ward = rng.choice(STREETS[self.unit.city])
        if self.unit.city == "hn" and rng.random() < 0.5:
            return f"Số {rng.randint(2, 60)}, ngõ {rng.randint(3, 250)} {street}, phường {ward}, {CITY_NAMES['hn']}"
        return f"Số {rng.randint(2, 420)} {street}, phường {ward}, {CITY_NAMES[self.unit.city]}"

    def _fields(self):
        rng, born = self.rng, self.born
        province_code = self.citizen_id[:3]
        province, districts = PROVINCES[province_code]
        place_of_birth = f"{rng.choice(districts)}, {province}"
        home_code = province_code if rng.random() < 0.7 else rng.choice(PROVINCE_CODES)
        home_province, home_districts = PROVINCES[home_code]
        self.home_town = f"{rng.choice(home_districts)}, {home_province}"
        current = self._address()
        permanent = current if rng.random() < 0.7 else self._address()
        southern = province_code in SOUTHERN_PROVINCES
        ethnicity = _weighted(
            rng,
            [("Kinh", 92), ("Hoa", 3), ("Khmer", 3), ("Tày", 1), ("Mường", 1)]
            if southern
            else [("Kinh", 92), ("Tày", 3), ("Mường", 2), ("Thái", 2), ("Nùng", 1)],
        )
        religion = _weighted(rng, [("Không", 85), ("Phật giáo", 8), ("Công giáo", 6), ("Cao Đài", 1 if southern else 0)])
        issued = _between(rng, max(date(2021, 3, 1), _plus_years(born, 14)), _plus_months(REFERENCE_DATE, -1))
        issue_place = "Bộ Công an" if issued >= date(2024, 7, 1) else "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
        if self.fresh_graduate:
            occupation = "Sinh viên mới tốt nghiệp"
        else:
            occupation = rng.choice(["Nhân viên kế toán doanh nghiệp", "Nhân viên ngân hàng thương mại", "Nhân viên hợp đồng"])
        if self.is_leader:
            field_of_work = rng.choice(DUTIES[self.unit.group]).lower()
            duties = "Phụ trách chung" if self.position in HEADS else f"Phụ trách lĩnh vực {field_of_work}"
        else:
            duties = rng.choice(DUTIES[self.unit.group])
        young = born.year >= 1985
        if young:
            language = rng.choice(["Tiếng Anh bậc 3 (B1)", "Tiếng Anh bậc 4 (B2)", "Tiếng Anh bậc 3 (B1)", "IELTS 6.5"])
            it_skill = rng.choice(["Ứng dụng CNTT cơ bản", "Ứng dụng CNTT nâng cao"])
        else:
            language = rng.choice(["Tiếng Anh trình độ B", "Tiếng Anh trình độ C", "Tiếng Pháp trình độ B"])
            it_skill = rng.choice(["Tin học văn phòng trình độ B", "Tin học văn phòng trình độ A", "Ứng dụng CNTT cơ bản"])
        military = {}
        if self.military:
            enlisted = date(born.year + 18, 2, rng.randint(10, 28))
            military = {
                "military_enlist_date": enlisted,
                "military_discharge_date": _plus_months(enlisted, 24),
                "military_rank": rng.choice(["Trung sĩ", "Thượng sĩ"]),
            }
        male = self.sex == MALE
        policy = ""
        if born.year < 1975 and rng.random() < 0.05:
            policy = rng.choice(["Con liệt sĩ", "Con thương binh hạng 3/4"])
        return {
            "full_name": self.full_name,
            "date_of_birth": born,
            "sex": self.sex,
            "place_of_birth": place_of_birth,
            "home_town": self.home_town,
            "ethnicity": ethnicity,
            "religion": religion,
            "permanent_address": permanent,
            "current_address": current,
            "citizen_id": self.citizen_id,
            "citizen_id_issue_date": issued,
            "citizen_id_issue_place": issue_place,
            "social_insurance_number": f"{CITY_PROVINCE[self.unit.city][1:]}{rng.randrange(10**8):08d}",
            "occupation_at_recruitment": occupation,
            "recruitment_date": self.recruited,
            "recruiting_agency": self.recruiting_agency,
            "main_duties": duties,
            "rank_code": self.rank,
            "salary_step": self.step,
            "salary_coefficient": self.coefficient,
            "salary_effective_date": self.salary_effective_date,
            "position_allowance": ALLOWANCES.get((self.unit.code, self.position), Decimal("0")),
            "seniority_allowance_percent": self.seniority,
            "general_education": "12/12",
            "qualification": self.qualification,
            "major": self.major,
            "political_theory": self.political_theory,
            "state_management": self.state_management,
            "foreign_language": language,
            "it_skill": it_skill,
            "party_join_date": self.party_join,
            "party_official_date": self.party_official,
            "mass_organisation": self.mass_organisation,
            "mass_organisation_join_date": self.mass_joined,
            **military,
            "strengths": rng.choice(STRENGTHS[self.unit.group]) if rng.random() < 0.5 else "",
            "health_status": _weighted(rng, [("Tốt", 70), ("Khá", 25), ("Bình thường", 5)]),
            "height_cm": rng.randint(160, 178) if male else rng.randint(150, 166),
            "weight_kg": rng.randint(55, 80) if male else rng.randint(43, 62),
            "blood_type": _weighted(rng, [("O", 42), ("B", 30), ("A", 21), ("AB", 7)]),
            "policy_status": policy,
            "personal_history": PERSONAL_HISTORY,
            "employment_status": self.status,
        }

    def _family(self):
        """Parents, then a spouse and children, then the spouse's parents: 2 to 5 people."""
        rng, born, year = self.rng, self.born, REFERENCE_DATE.year
        town = self.home_town

        def parent(sex, family, gap, relation, side=FamilyMember.Side.OWN):
            birth_year = born.year - gap
            if year - birth_year > 78 and rng.random() < 0.6:
                details = f"Đã mất. Quê quán: {town}"
            elif year - birth_year >= 60:
                details = rng.choice([f"Hưu trí, trú tại {town}", f"Làm ruộng, trú tại {town}", f"Nội trợ, trú tại {town}"])
            else:
                details = rng.choice([f"Kinh doanh tự do, trú tại {town}", f"Giáo viên, trú tại {town}"])
            return {"side": side, "relation": relation, "full_name": _person_name(rng, sex, family),
                    "birth_year": birth_year, "details": details}

        father_family = self.family
        members = [
            parent(MALE, father_family, rng.randint(24, 34), "Bố"),
            parent(FEMALE, None, rng.randint(21, 30), "Mẹ"),
        ]
        married = self.age >= 25 and rng.random() < (0.9 if self.age >= 30 else 0.5)
        if married:
            spouse_sex = FEMALE if self.sex == MALE else MALE
            spouse_family = _weighted(rng, FAMILY_NAMES)
            spouse_year = born.year + (rng.randint(-1, 5) if spouse_sex == FEMALE else rng.randint(-5, 1))
            members.append(
                {
                    "side": FamilyMember.Side.OWN, "relation": "Vợ" if spouse_sex == FEMALE else "Chồng",
                    "full_name": _person_name(rng, spouse_sex, spouse_family), "birth_year": spouse_year,
                    "details": rng.choice(SPOUSE_JOBS) + f", trú tại {CITY_NAMES[self.unit.city]}",
                }
            )
            children_family = self.family if self.sex == MALE else spouse_family
            first_child = born.year + rng.randint(26, 31)
            for n in range(rng.randint(1, 2)):
                child_year = first_child + 3 * n
                if child_year > year or len(members) >= 5:
                    break
                sex = rng.choice([MALE, FEMALE])
                age = year - child_year
                details = "Sinh viên" if 18 <= age <= 22 else ("Học sinh" if age >= 6 else "Còn nhỏ")
                if age > 22:
                    details = "Nhân viên văn phòng"
                members.append(
                    {"side": FamilyMember.Side.OWN, "relation": "Con", "full_name": _person_name(rng, sex, children_family),
                     "birth_year": child_year, "details": details}
                )
            if len(members) < 5 and rng.random() < 0.5:
                relation = "Bố vợ" if spouse_sex == FEMALE else "Bố chồng"
                members.append(parent(MALE, spouse_family, rng.randint(24, 34), relation, FamilyMember.Side.SPOUSE))
        return members[:5]


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


# --- Inspection work --------------------------------------------------------------------
# The Bộ plans through Vụ Tổ chức cán bộ; its plan is the Bộ's (units under it are in scope).
# (planner, year, title, decision number, decision date, description, inspections)
# inspection: (unit, scope, start, end, team, findings, conclusion number, conclusion date, follow-ups)
# follow-up: (text, deadline, status, completed on)
TEAM_BO = "\n".join(
    [
        "Trưởng đoàn: Ngô Văn Sơn, Vụ Tổ chức cán bộ",
        "Thành viên: Lê Thị Minh Hằng, Vụ Tổ chức cán bộ",
        "Thành viên: Trịnh Quốc Bảo, Thanh tra Bộ",
    ]
)
TEAM_CT = "\n".join(
    ["Trưởng đoàn: Võ Đức Thắng, Cục Thuế", "Thành viên: Phan Thị Thu Trang, Cục Thuế", "Thành viên: Đinh Văn Lộc, Cục Thuế"]
)
OPEN, IN_PROGRESS, DONE, CANCELLED = (
    FollowUpAction.Status.OPEN, FollowUpAction.Status.IN_PROGRESS, FollowUpAction.Status.DONE, FollowUpAction.Status.CANCELLED,
)
INSPECTION_PLANS = [
    (
        "BTC", 2025, "Kế hoạch kiểm tra công tác tổ chức cán bộ năm 2025", "512/QĐ-BTC", date(2025, 3, 20),
        "Vụ Tổ chức cán bộ chủ trì, phối hợp Thanh tra Bộ kiểm tra việc sắp xếp tổ chức bộ máy, bố trí công chức "
        "và thực hiện chỉ tiêu biên chế sau khi tổ chức lại hệ thống Thuế và Kho bạc Nhà nước.",
        [
            (
                "BTC.CT", "Việc sắp xếp, bố trí công chức sau tổ chức lại bộ máy; bổ nhiệm lãnh đạo cấp Chi cục; "
                "thực hiện chỉ tiêu biên chế năm 2025.",
                date(2025, 8, 4), date(2025, 8, 15), TEAM_BO,
                "Cơ bản thực hiện đúng quy định. Một số quyết định bổ nhiệm lại chưa đủ hồ sơ lấy phiếu tín nhiệm; "
                "hồ sơ của 12 công chức chưa cập nhật quá trình công tác sau sắp xếp.",
                "1850/KL-BTC", date(2025, 9, 10),
                [
                    ("Bổ sung hồ sơ lấy phiếu tín nhiệm cho các trường hợp bổ nhiệm lại", date(2025, 11, 30), DONE, date(2025, 11, 20)),
                    ("Cập nhật quá trình công tác sau sắp xếp cho 12 công chức", date(2025, 12, 31), IN_PROGRESS, None),
                ],
            ),
            (
                "BTC.KBNN.KV1", "Quản lý hồ sơ cán bộ; nâng bậc lương thường xuyên và trước thời hạn giai đoạn 2023–2025.",
                date(2025, 10, 6), date(2025, 10, 17), TEAM_BO,
                "Hai trường hợp nâng bậc lương trước thời hạn vượt tỷ lệ 10%; sổ theo dõi hồ sơ chưa ghi đủ biến động.",
                "2240/KL-BTC", date(2025, 11, 5),
                [
                    ("Rà soát, điều chỉnh hai quyết định nâng bậc lương trước thời hạn vượt tỷ lệ", date(2026, 1, 31), OPEN, None),
                    ("Hoàn thiện sổ theo dõi biến động hồ sơ cán bộ", date(2026, 3, 31), DONE, date(2026, 3, 12)),
                ],
            ),
            (
                "BTC.KBNN", "Thực hiện quy định về đánh giá, xếp loại chất lượng công chức năm 2024.",
                date(2025, 11, 10), date(2025, 11, 14), TEAM_BO,
                "Tỷ lệ xếp loại hoàn thành xuất sắc nhiệm vụ đúng quy định; một số phiếu đánh giá thiếu chữ ký người đánh giá.",
                "2511/KL-BTC", date(2025, 12, 8),
                [("Bổ sung chữ ký trên các phiếu đánh giá còn thiếu", date(2026, 2, 28), DONE, date(2026, 2, 10))],
            ),
        ],
    ),
    (
        "BTC", 2026, "Kế hoạch kiểm tra công tác tổ chức cán bộ năm 2026", "2790/QĐ-BTC", date(2025, 12, 22),
        "Kiểm tra công tác tuyển dụng, quản lý biên chế và hồ sơ cán bộ điện tử tại các đơn vị thuộc Bộ.",
        [
            (
                "BTC.CT.KV2", "Tuyển dụng công chức năm 2025; quản lý hồ sơ cán bộ điện tử.",
                date(2026, 3, 9), date(2026, 3, 20), TEAM_BO,
                "Tuyển dụng đúng quy trình; 8% hồ sơ điện tử chưa khớp với hồ sơ giấy về diễn biến lương.",
                "640/KL-BTC", date(2026, 4, 15),
                [
                    ("Đối chiếu, chỉnh lý diễn biến lương trên hồ sơ điện tử", date(2026, 6, 30), IN_PROGRESS, None),
                    ("Báo cáo kết quả khắc phục về Vụ Tổ chức cán bộ", date(2027, 3, 31), OPEN, None),
                ],
            ),
            (
                "BTC.KBNN.KV1", "Thực hiện chỉ tiêu biên chế và hợp đồng lao động năm 2026.",
                date(2026, 6, 15), None, TEAM_BO,
                "Đoàn đang làm việc tại đơn vị.", "", None, [],
            ),
        ],
    ),
    (
        "BTC.CT", 2025, "Kế hoạch kiểm tra nội bộ ngành Thuế năm 2025", "75/QĐ-CT", date(2025, 3, 25),
        "Kiểm tra việc chấp hành quy trình quản lý thuế và quy định về công vụ tại các Chi cục Thuế khu vực.",
        [
            (
                "BTC.CT.KV1", "Quy trình kiểm tra thuế tại trụ sở người nộp thuế; chấp hành kỷ luật, kỷ cương hành chính.",
                date(2025, 6, 2), date(2025, 6, 13), TEAM_CT,
                "Ba cuộc kiểm tra kéo dài quá thời hạn; biên bản kiểm tra chưa đủ chữ ký.",
                "410/KL-CT", date(2025, 7, 4),
                [
                    ("Chấn chỉnh việc kéo dài thời hạn kiểm tra tại trụ sở người nộp thuế", date(2025, 9, 30), DONE, date(2025, 9, 25)),
                    ("Kiểm điểm trách nhiệm các đội kiểm tra có cuộc kiểm tra quá hạn", date(2025, 10, 31), OPEN, None),
                ],
            ),
            (
                "BTC.CT.KV2", "Quản lý nợ thuế và cưỡng chế nợ thuế; quản lý hồ sơ hoàn thuế.",
                date(2025, 9, 8), date(2025, 9, 19), TEAM_CT,
                "Nợ thuế quá hạn trên 90 ngày tăng 6%; một số hồ sơ hoàn thuế giải quyết chậm.",
                "655/KL-CT", date(2025, 10, 20),
                [
                    ("Xây dựng kế hoạch thu hồi nợ thuế quá hạn trên 90 ngày", date(2025, 12, 15), IN_PROGRESS, None),
                    ("Rà soát quy trình tiếp nhận hồ sơ hoàn thuế", date(2026, 1, 31), CANCELLED, None),
                ],
            ),
        ],
    ),
    (
        "BTC.CT", 2026, "Kế hoạch kiểm tra nội bộ ngành Thuế năm 2026", "1520/QĐ-CT", date(2025, 12, 26),
        "Kiểm tra công tác quản lý hộ kinh doanh sau khi bỏ thuế khoán và việc thực hiện hoá đơn điện tử.",
        [
            (
                "BTC.CT.KV1", "Quản lý hộ kinh doanh chuyển sang kê khai; hoá đơn điện tử khởi tạo từ máy tính tiền.",
                date(2026, 4, 6), date(2026, 4, 17), TEAM_CT,
                "Đã chuyển đổi 94% hộ kinh doanh; chưa rà soát các hộ ngừng kinh doanh không khai báo.",
                "290/KL-CT", date(2026, 5, 12),
                [
                    ("Rà soát hộ kinh doanh ngừng hoạt động không khai báo", date(2026, 9, 30), OPEN, None),
                    ("Tập huấn hoá đơn điện tử khởi tạo từ máy tính tiền cho công chức", date(2026, 6, 30), DONE, date(2026, 6, 20)),
                ],
            ),
            (
                "BTC.CT.KV2", "Quản lý hộ kinh doanh chuyển sang kê khai tại địa bàn Thành phố Hồ Chí Minh.",
                date(2026, 6, 22), date(2026, 6, 30), TEAM_CT,
                "Đoàn đang tổng hợp kết quả kiểm tra.", "", None, [],
            ),
        ],
    ),
]


# --- Staffing quotas --------------------------------------------------------------------
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
                        "unit_code": spec.code, "year": year, "category": category, "approved": max(approved, 1),
                        "decision_number": _decision(rng, parent.issuer), "decision_date": decided,
                    }
                )
    return rows


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: cây đơn vị Bộ Tài chính (biên chế, chức vụ), cán bộ với hồ sơ đầy đủ, công tác kiểm tra, "
        "tài khoản demo cho từng vai trò và chính sách phê duyệt phiên bản 2 (Load demo data: units with quotas "
        "and positions, employees with complete files, inspection work, one demo account per role, approval "
        "policy version 2). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=DEFAULT_EMPLOYEES,
            help=f"Số cán bộ mẫu (number of demo employees), default {DEFAULT_EMPLOYEES}.",
        )

    def handle(self, *args, employees, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError(
                "load_demo chỉ chạy khi DEMO_MODE=1 hoặc DEBUG=1: nó tạo tài khoản có mật khẩu công khai. "
                "(load_demo runs only with DEMO_MODE=1 or DEBUG=1: it creates accounts with published passwords.)"
            )
        if employees < 0:
            raise CommandError("--employees phải >= 0 (must be at least 0).")
        if timezone.localdate() < REFERENCE_DATE:
            raise CommandError(
                f"Dữ liệu mẫu lập đến ngày {REFERENCE_DATE:%d/%m/%Y}, sau ngày hôm nay "
                "(the demo data is dated up to a day after today; check the clock)."
            )
        counts = Counter()
        with transaction.atomic():
            admin, counts["users"] = self._ensure_users()
            context = ChangeContext(reason=DEMO_REASON, approved_by=admin)
            with tracked_change(context), salary_index_held():
                units = self._ensure_units(counts)
                counts["grants"] = self._ensure_grants(admin, units)
                policy = self._ensure_policy(admin)
                positions = self._ensure_positions(units, counts)
                people = build_people(max(employees, DEFAULT_EMPLOYEES), SalaryScales())
                self._ensure_quotas(units, quota_rows(people[:DEFAULT_EMPLOYEES]), counts)
                people = people[:employees]
                created = load_initial_employees(
                    rows=[
                        {**p.fields, "managing_unit": units[p.unit_code], "position": positions.get((p.unit_code, p.position_name))}
                        for p in people
                    ],
                    context=context,
                )
                counts["employees"] = len(created)
                self._ensure_subrecords(people, counts)
                self._ensure_inspection_work(units, counts)

        out = self.stdout.write
        out(
            f"Đơn vị mới (units created): {counts['units']} / {len(UNITS)}; "
            f"bổ sung thông tin (details filled): {counts['units_filled']}"
        )
        out(f"Tài khoản mới (users created): {counts['users']} / {len(ACCOUNTS) + 1}")
        out(f"Phân quyền mới (grants created): {counts['grants']} / {len(ACCOUNTS)}")
        if policy is not None:
            out(f"Chính sách phê duyệt (approval policy): tạo phiên bản {policy.version} (version {policy.version} created)")
        else:
            latest = ApprovalPolicy.objects.order_by("-version").first()
            version = latest.version if latest else "—"
            out(f"Chính sách phê duyệt (approval policy): giữ nguyên phiên bản {version} (version {version} kept)")
        out(f"Chức vụ mới (positions created): {counts['positions']}")
        out(f"Chỉ tiêu biên chế mới (staffing quotas created): {counts['quotas']}")
        out(f"Cán bộ mới (employees created): {counts['employees']} / {employees}")
        for model in (WorkHistory, SalaryHistory, Training, Commendation, Discipline, Evaluation, FamilyMember):
            out(f"  {model._meta.verbose_name_plural.capitalize()} ({model.__name__}): {counts[model.__name__]}")
        out(
            f"Công tác kiểm tra (inspection work): {counts['plans']} kế hoạch, {counts['inspections']} cuộc kiểm tra, "
            f"{counts['follow_ups']} kiến nghị mới (plans, inspections, follow-ups created)"
        )
        out("")
        self._print_accounts(admin, units)

    # --- units ----------------------------------------------------------------------------
    def _ensure_units(self, counts):
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
                code=spec.code, name=spec.name, kind=spec.kind, is_personnel_department=spec.is_personnel_department,
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

    def _ensure_positions(self, units, counts):
        existing = {(p.unit.code, p.name): p for p in Position.objects.filter(unit__in=units.values()).select_related("unit")}
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

    def _ensure_quotas(self, units, rows, counts):
        existing = set(StaffingQuota.objects.filter(unit__in=units.values()).values_list("unit__code", "year", "category"))
        for row in rows:
            if (row["unit_code"], row["year"], row["category"]) in existing:
                continue
            quota = StaffingQuota(unit=units[row["unit_code"]], **{k: v for k, v in row.items() if k != "unit_code"})
            quota.full_clean()
            quota.save()
            counts["quotas"] += 1

    # --- personnel files ------------------------------------------------------------------
    def _ensure_subrecords(self, people, counts):
        """Adds each kind of sub-record to the demo employees that have none of that kind yet."""
        employees = {e.citizen_id: e for e in Employee.objects.filter(citizen_id__in=[p.citizen_id for p in people])}
        ids = [e.pk for e in employees.values()]
        for model in (WorkHistory, SalaryHistory, Training, Commendation, Discipline, Evaluation, FamilyMember):
            having = set(model.objects.filter(employee_id__in=ids).values_list("employee_id", flat=True).distinct())
            objs = [
                model(employee=employees[p.citizen_id], **row)
                for p in people
                if employees[p.citizen_id].pk not in having
                for row in p.subrecords[model]
            ]
            bulk_create_tracked(model, objs)
            counts[model.__name__] = len(objs)

    # --- inspection work ------------------------------------------------------------------
    def _ensure_inspection_work(self, units, counts):
        for planner, year, title, number, decided, description, inspections in INSPECTION_PLANS:
            plan = InspectionPlan.objects.filter(unit=units[planner], year=year, title=title).first()
            if plan is None:
                plan = InspectionPlan(
                    unit=units[planner], year=year, title=title, decision_number=number, decision_date=decided,
                    description=description,
                )
                plan.full_clean()
                plan.save()
                counts["plans"] += 1
            for code, scope, start, end, team, findings, conclusion, concluded, follow_ups in inspections:
                inspection = Inspection.objects.filter(plan=plan, inspected_unit=units[code]).first()
                if inspection is None:
                    inspection = Inspection(
                        plan=plan, inspected_unit=units[code], scope=scope, start_date=start, end_date=end, team=team,
                        findings=findings, conclusion_number=conclusion, conclusion_date=concluded,
                    )
                    inspection.full_clean()
                    inspection.save()
                    counts["inspections"] += 1
                existing = set(inspection.follow_ups.values_list("description", flat=True))
                for text, deadline, status, completed in follow_ups:
                    if text in existing:
                        continue
                    action = FollowUpAction(
                        inspection=inspection, description=text, deadline=deadline, status=status, completed_on=completed
                    )
                    action.full_clean()
                    action.save()
                    counts["follow_ups"] += 1

    # --- users ----------------------------------------------------------------------------
    def _ensure_users(self):
        User = get_user_model()
        created = 0
        admin, was_created = self._ensure_user(User, ADMIN_USERNAME, *ADMIN_NAMES, superuser=True)
        created += was_created
        if not admin.is_superuser:
            self.stderr.write(
                f"Cảnh báo: tài khoản '{ADMIN_USERNAME}' đã có nhưng không phải superuser; giữ nguyên "
                f"(warning: existing user '{ADMIN_USERNAME}' is not a superuser; left unchanged)."
            )
        self._created_users = {ADMIN_USERNAME} if was_created else set()
        for username, last_name, first_name, _role, _unit in ACCOUNTS:
            user, was_created = self._ensure_user(User, username, last_name, first_name)
            created += was_created
            if was_created:
                self._created_users.add(username)
        return admin, created

    def _ensure_user(self, User, username, last_name, first_name, superuser=False):
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user, False
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            is_staff=superuser,
            is_superuser=superuser,
        )
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user, True

    # --- grants and policy ----------------------------------------------------------------
    def _ensure_grants(self, admin, units):
        """Each account's grant, given by the admin from the reference date. A grant of that
        role on that unit that exists, even revoked or expired, is an administrator's to keep;
        one from an older demo only gets who granted it and why."""
        User = get_user_model()
        created = 0
        for username, _last, _first, role, unit_code in ACCOUNTS:
            user = User.objects.get(username=username)
            grant = RoleGrant.objects.filter(user=user, unit=units[unit_code], role=role).order_by("pk").first()
            if grant is None:
                grant = RoleGrant(user=user, unit=units[unit_code], role=role, valid_from=REFERENCE_DATE)
                created += 1
            elif grant.granted_by_id is not None or grant.reason:
                continue
            grant.granted_by, grant.reason = admin, GRANT_REASON
            grant.full_clean()
            # RoleGrant keeps its own history (not a tracked model): it names the admin this way.
            grant._history_user = admin
            grant._change_reason = GRANT_REASON
            grant.save()
        return created

    def _ensure_policy(self, admin):
        """Version 2 of the approval policy while version 1 is the newest (a later version is an
        administrator's, kept as it is); returns the new version, or None."""
        if ApprovalPolicy.objects.filter(version__gt=1).exists():
            return None
        first = ApprovalPolicy.objects.filter(version=1).first()
        if first is None:
            raise CommandError(
                "Chưa có chính sách phê duyệt phiên bản 1: chạy migrate trước "
                "(no approval policy version 1: run migrate first)."
            )
        replaced = (POLICY_RULE["category"], POLICY_RULE["unit_kind"])
        rules = [
            {"category": rule.category, "unit_kind": rule.unit_kind, "levels": rule.levels}
            for rule in first.rules.all()
            if (rule.category, rule.unit_kind) != replaced
        ]
        try:
            return save_policy(rules=[*rules, POLICY_RULE], user=admin, note=POLICY_NOTE)
        except ValidationError as error:
            # A tree with other units the rule cannot serve: the rest of the demo still loads.
            self.stderr.write(
                "Cảnh báo: không tạo chính sách phê duyệt phiên bản 2 (warning: approval policy version 2 not "
                f"created): {'; '.join(error.messages)}"
            )
            return None

    # --- output ---------------------------------------------------------------------------
    def _print_accounts(self, admin, units):
        User = get_user_model()
        accounts = [(admin, "Quản trị hệ thống (superuser)", "— (toàn hệ thống / all)")]
        for username, _last, _first, role, unit_code in ACCOUNTS:
            unit = units[unit_code]
            accounts.append((User.objects.get(username=username), ROLE_LABELS[role], f"{unit.name} ({unit.code})"))
        header = ("Tên đăng nhập (username)", "Vai trò (role)", "Đơn vị (unit)", "Mật khẩu (password)")
        rows = []
        for user, role_label, unit_label in accounts:
            # A password changed since the account was created is not shown as the default.
            if user.username in self._created_users or user.check_password(DEMO_PASSWORD):
                password = DEMO_PASSWORD
            else:
                password = "(đã đổi / changed)"
            rows.append((user.username, role_label, unit_label, password))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells):
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

        out = self.stdout.write
        out("Tài khoản demo (demo accounts):")
        out(line(header))
        out(line(["-" * width for width in widths]))
        for row in rows:
            out(line(row))
        out("")
        out(
            "Các tài khoản này chỉ dùng cho bản demo; không dùng trên hệ thống thật "
            "(these accounts are for the demo only; never use them on a real system)."
        )
