"""Load the demo data set: a unit tree of the Ministry of Finance, ~200 employees and one
demo account per role in two units, plus a superuser.

Idempotent: units are looked up by code, users by username, employees by CCCD, so running
it again creates nothing new. The employees are generated from a fixed random seed, and
row i does not depend on --employees, so a larger N later only adds the missing rows.
Employees are written through records.services, so each gets one history row that names
the demo admin and the demo reason.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from records.models import Employee
from records.services import load_initial_employees
from records.tracking import ChangeContext
from units.models import Role, RoleGrant, Unit

DEMO_REASON = "Nạp dữ liệu mẫu ban đầu (demo)"
DEMO_PASSWORD = "Demo@2026!qlcb"
DEMO_EMAIL_DOMAIN = "demo.qlcb.local"
DEMO_SEED = 20260101
ADMIN_USERNAME = "admin"

# Ages, salary steps and the youngest possible birth date are computed against a fixed
# date, so the data set does not depend on the day the command is run.
REFERENCE_DATE = date(2025, 1, 1)

# (code, name, kind, parent code), parents before children.
UNITS = [
    ("BTC", "Bộ Tài chính", Unit.Kind.MINISTRY, None),
    ("BTC.TCCB", "Vụ Tổ chức cán bộ", Unit.Kind.DEPARTMENT, "BTC"),
    ("BTC.CT", "Cục Thuế", Unit.Kind.AGENCY, "BTC"),
    ("BTC.CT.KV1", "Chi cục Thuế khu vực I", Unit.Kind.SUB_AGENCY, "BTC.CT"),
    ("BTC.CT.KV2", "Chi cục Thuế khu vực II", Unit.Kind.SUB_AGENCY, "BTC.CT"),
    ("BTC.KBNN", "Kho bạc Nhà nước", Unit.Kind.AGENCY, "BTC"),
    ("BTC.KBNN.KV1", "Kho bạc Nhà nước khu vực I", Unit.Kind.BRANCH, "BTC.KBNN"),
]

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
]
ADMIN_NAMES = ("Quản trị", "viên")  # (last_name, first_name)

ROLE_LABELS = {
    Role.OFFICER: "Cán bộ tổ chức (officer)",
    Role.APPROVER: "Lãnh đạo phê duyệt (approver)",
    Role.VIEWER: "Xem (viewer)",
    Role.INSPECTOR: "Thanh tra (inspector)",
}

# --- Salary table (Nghị định 204/2004/NĐ-CP, bảng 2: công chức) ---------------------------
# scale: (first coefficient, increment per step, number of steps, typical age at entry,
#         years per step)
SCALES = {
    "A3.1": (Decimal("6.20"), Decimal("0.36"), 6, 46, 3),
    "A2.1": (Decimal("4.40"), Decimal("0.34"), 8, 36, 3),
    "A1": (Decimal("2.34"), Decimal("0.33"), 9, 24, 3),
    "B": (Decimal("1.86"), Decimal("0.20"), 12, 21, 2),
}
RANKS = {
    "01.001": "A3.1",  # chuyên viên cao cấp
    "01.002": "A2.1",  # chuyên viên chính
    "01.003": "A1",  # chuyên viên
    "01.004": "B",  # cán sự
    "06.030": "A2.1",  # kế toán viên chính
    "06.031": "A1",  # kế toán viên
    "06.037": "A2.1",  # kiểm tra viên chính thuế
    "06.038": "A1",  # kiểm tra viên thuế
}
# A senior rank held by someone too young for it falls back to the matching junior rank.
JUNIOR_RANK = {"01.001": "01.002", "01.002": "01.003", "06.030": "06.031", "06.037": "06.038"}
MIN_AGE_FOR_SCALE = {"A3.1": 45, "A2.1": 34, "A1": 22, "B": 19}

# Ranks of ordinary staff by unit: (rank, weight).
STAFF_RANKS = {
    "tax": [("06.038", 55), ("06.037", 15), ("01.003", 15), ("01.004", 15)],
    "treasury": [("06.031", 50), ("06.030", 15), ("01.003", 20), ("01.004", 15)],
    "office": [("01.003", 55), ("01.002", 30), ("01.004", 15)],
}
UNIT_RANK_GROUP = {
    "BTC": "office",
    "BTC.TCCB": "office",
    "BTC.CT": "tax",
    "BTC.CT.KV1": "tax",
    "BTC.CT.KV2": "tax",
    "BTC.KBNN": "treasury",
    "BTC.KBNN.KV1": "treasury",
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

# --- Names ------------------------------------------------------------------------------
FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
    ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1),
    ("Ngô", 1), ("Dương", 1), ("Lý", 1),
]
MIDDLE_NAMES = {
    Employee.Sex.MALE: ["Văn", "Văn", "Hữu", "Minh", "Đức", "Thanh", "Quang", "Ngọc", "Công", "Xuân", "Duy", "Mạnh"],
    Employee.Sex.FEMALE: ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thùy", "Kim", "Phương", "Hồng", "Diệu"],
}
GIVEN_NAMES = {
    Employee.Sex.MALE: [
        "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Quang", "Khoa",
        "Phong", "Bình", "Cường", "Đạt", "Hiếu", "Trung", "Toàn", "Vinh", "Thành", "Tùng",
        "Kiên", "Lâm", "Quân", "Huy", "Khánh", "Phúc", "Tâm", "Đông", "Hưng",
    ],
    Employee.Sex.FEMALE: [
        "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Hằng", "Ngọc", "Thảo", "Phương", "Nga",
        "Yến", "Hà", "Thủy", "Vân", "Hạnh", "Huyền", "Loan", "Dung", "Nhung", "Oanh", "Trinh",
        "Vy", "Anh", "Giang", "Quỳnh", "Liên", "Hiền", "Thư", "Châu",
    ],
}
# Province codes of the CCCD (Thông tư 59/2021/TT-BCA, phụ lục I), weighted to the north.
PROVINCE_CODES = [
    "001", "001", "001", "022", "024", "026", "027", "030", "031", "033", "034", "035",
    "036", "037", "038", "040", "042", "046", "048", "052", "074", "075", "079", "079",
    "083", "087", "092",
]
BIRTH_FIRST = date(1966, 1, 1)
BIRTH_LAST = date(2000, 12, 31)


def _weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights, k=1)[0]


def _age(born):
    return REFERENCE_DATE.year - born.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))


def _fit_rank(rank, age):
    while age < MIN_AGE_FOR_SCALE[RANKS[rank]] and rank in JUNIOR_RANK:
        rank = JUNIOR_RANK[rank]
    return rank


def _salary(rng, rank, age):
    first, increment, steps, entry_age, years_per_step = SCALES[RANKS[rank]]
    entry_age += rng.randint(-2, 3)
    step = 1 + max(0, age - entry_age) // years_per_step
    step = max(1, min(steps, step))
    return step, first + increment * (step - 1)


def _citizen_id(rng, born, sex, taken):
    """CCCD: province (3) · century/sex (1) · year of birth (2) · random (6)."""
    century = 0 if born.year < 2000 else 2
    sex_digit = century + (1 if sex == Employee.Sex.FEMALE else 0)
    while True:
        value = f"{rng.choice(PROVINCE_CODES)}{sex_digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"
        if value not in taken:
            taken.add(value)
            return value


def build_employee_rows(count, units_by_code, seed=DEMO_SEED):
    """The first `count` demo employees; row i is the same whatever `count` is."""
    rng = random.Random(seed)
    taken = set()
    rows = []
    span = (BIRTH_LAST - BIRTH_FIRST).days
    for index in range(count):
        leader = LEADERS[index] if index < len(LEADERS) else None
        sex = Employee.Sex.FEMALE if rng.random() < 0.55 else Employee.Sex.MALE
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
                rank = _weighted(rng, STAFF_RANKS[UNIT_RANK_GROUP[unit_code]])
            position = "Chuyên viên" if RANKS[rank] != "B" and rng.random() < 0.4 else ""
        age = _age(born)
        rank = _fit_rank(rank, age)
        step, coefficient = _salary(rng, rank, age)
        family = _weighted(rng, FAMILY_NAMES)
        middle = rng.choice(MIDDLE_NAMES[sex])
        given = rng.choice(GIVEN_NAMES[sex])
        rows.append(
            {
                "full_name": f"{family} {middle} {given}",
                "date_of_birth": born,
                "sex": sex,
                "citizen_id": _citizen_id(rng, born, sex, taken),
                "rank_code": rank,
                "salary_step": step,
                "salary_coefficient": coefficient,
                "position": position,
                "employment_status": status,
                "managing_unit": units_by_code[unit_code],
            }
        )
    return rows


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: cây đơn vị Bộ Tài chính, cán bộ và tài khoản demo cho từng vai trò "
        "(Load demo data: unit tree, employees and one demo account per role). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=200,
            help="Số cán bộ mẫu (number of demo employees), default 200.",
        )

    def handle(self, *args, employees, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError(
                "load_demo chỉ chạy khi DEMO_MODE=1 hoặc DEBUG=1: nó tạo tài khoản có mật khẩu công khai. "
                "(load_demo runs only with DEMO_MODE=1 or DEBUG=1: it creates accounts with published passwords.)"
            )
        if employees < 0:
            raise CommandError("--employees phải >= 0 (must be at least 0).")
        with transaction.atomic():
            units, units_created = self._ensure_units()
            admin, users_created, accounts = self._ensure_users(units)
            grants_created = self._ensure_grants(units)
            rows = build_employee_rows(employees, units)
            context = ChangeContext(reason=DEMO_REASON, approved_by=admin, proposed_by=None)
            created = load_initial_employees(rows=rows, context=context)

        out = self.stdout.write
        out(f"Đơn vị mới (units created): {units_created} / {len(UNITS)}")
        out(f"Tài khoản mới (users created): {users_created} / {len(ACCOUNTS) + 1}")
        out(f"Phân quyền mới (grants created): {grants_created} / {len(ACCOUNTS)}")
        out(f"Cán bộ mới (employees created): {len(created)} / {employees}")
        out("")
        self._print_accounts(accounts)

    # --- units ----------------------------------------------------------------------------
    def _ensure_units(self):
        created = 0
        for code, name, kind, parent_code in UNITS:
            unit = Unit.objects.filter(code=code).first()
            if unit is not None:
                parent = Unit.objects.get_parent(unit)
                if (parent.code if parent else None) != parent_code:
                    raise CommandError(
                        f"Đơn vị {code} đã có nhưng nằm dưới {parent.code if parent else '(gốc)'}, "
                        f"không phải {parent_code or '(gốc)'} "
                        f"(unit {code} exists under a different parent; fix the tree first)."
                    )
                continue
            fields = {"code": code, "name": name, "kind": kind}
            if parent_code is None:
                Unit.objects.add_root(fields)
            else:
                # Re-read the parent: inserting a sorted sibling may have moved its path.
                Unit.objects.add_child(Unit.objects.get(code=parent_code), fields)
            created += 1
        units = {unit.code: unit for unit in Unit.objects.filter(code__in=[u[0] for u in UNITS])}
        return units, created

    # --- users ----------------------------------------------------------------------------
    def _ensure_users(self, units):
        User = get_user_model()
        created = 0
        accounts = []  # (username, role label, unit label, password label)

        admin, was_created = self._ensure_user(User, ADMIN_USERNAME, *ADMIN_NAMES, superuser=True)
        created += was_created
        if not admin.is_superuser:
            self.stderr.write(
                f"Cảnh báo: tài khoản '{ADMIN_USERNAME}' đã có nhưng không phải superuser; giữ nguyên "
                f"(warning: existing user '{ADMIN_USERNAME}' is not a superuser; left unchanged)."
            )
        accounts.append((admin, "Quản trị hệ thống (superuser)", "— (toàn hệ thống / all)", was_created))

        for username, last_name, first_name, role, unit_code in ACCOUNTS:
            user, was_created = self._ensure_user(User, username, last_name, first_name)
            created += was_created
            unit = units[unit_code]
            accounts.append((user, ROLE_LABELS[role], f"{unit.name} ({unit.code})", was_created))
        return admin, created, accounts

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

    # --- grants ---------------------------------------------------------------------------
    def _ensure_grants(self, units):
        User = get_user_model()
        created = 0
        for username, _last, _first, role, unit_code in ACCOUNTS:
            user = User.objects.get(username=username)
            _grant, was_created = RoleGrant.objects.get_or_create(user=user, unit=units[unit_code], role=role)
            created += was_created
        return created

    # --- output ---------------------------------------------------------------------------
    def _print_accounts(self, accounts):
        header = ("Tên đăng nhập (username)", "Vai trò (role)", "Đơn vị (unit)", "Mật khẩu (password)")
        rows = []
        for user, role_label, unit_label, was_created in accounts:
            # A password changed since the account was created is not shown as the default.
            if was_created or user.check_password(DEMO_PASSWORD):
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
