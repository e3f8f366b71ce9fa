"""The demo accounts: one per role plus a superuser, their grants (given by the demo admin),
and the table of them the command prints. The loader marks its accounts as demo accounts
(accounts.DemoAccount): that mark, not a username, is what exempts an account from two-factor
authentication while DEMO_MODE is on."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import OutputWrapper

from accounts.services import mark_demo_account
from units.models import Role, RoleGrant

from .reference import GRANT_REASON, REFERENCE_DATE

DEMO_PASSWORD = "Demo@2026!qlcb"
DEMO_EMAIL_DOMAIN = "demo.qlcb.local"
ADMIN_USERNAME = "admin"

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


def ensure_users(*, stderr: OutputWrapper):
    """The admin and one account per role; returns the admin and the usernames created now.

    An account is marked as a demo account when the loader creates it, or when it exists with
    the loader's address (an account an older loader made); an account of the same name that
    someone else made keeps its name and is not marked."""
    admin, was_created = _ensure_user(ADMIN_USERNAME, *ADMIN_NAMES, superuser=True)
    if not admin.is_superuser:
        stderr.write(
            f"Cảnh báo: tài khoản '{ADMIN_USERNAME}' đã có nhưng không phải superuser; giữ nguyên "
            f"(warning: existing user '{ADMIN_USERNAME}' is not a superuser; left unchanged)."
        )
    created = {ADMIN_USERNAME} if was_created else set()
    for username, last_name, first_name, _role, _unit in ACCOUNTS:
        _user, was_created = _ensure_user(username, last_name, first_name)
        if was_created:
            created.add(username)
    return admin, created


def _ensure_user(username, last_name, first_name, superuser=False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        if user.email == demo_address(username):
            mark_demo_account(user=user)
        return user, False
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=demo_address(username),
        is_staff=superuser,
        is_superuser=superuser,
    )
    validate_password(DEMO_PASSWORD, user)
    user.set_password(DEMO_PASSWORD)
    user.save()
    mark_demo_account(user=user)
    return user, True


def demo_address(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def ensure_grants(admin, units) -> int:
    """Each account's grant, given by the admin from the reference date; returns how many are
    new. A grant of that role on that unit that exists, even revoked or expired, is an
    administrator's to keep; one from an older demo only gets who granted it and why."""
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


def account_table(admin, units, created: set) -> list[str]:
    """The lines the command prints: each account, its role, unit and password."""
    User = get_user_model()
    accounts = [(admin, "Quản trị hệ thống (superuser)", "— (toàn hệ thống / all)")]
    for username, _last, _first, role, unit_code in ACCOUNTS:
        unit = units[unit_code]
        accounts.append((User.objects.get(username=username), ROLE_LABELS[role], f"{unit.name} ({unit.code})"))
    header = ("Tên đăng nhập (username)", "Vai trò (role)", "Đơn vị (unit)", "Mật khẩu (password)")
    rows = []
    for user, role_label, unit_label in accounts:
        # A password changed since the account was created is not shown as the default.
        if user.username in created or user.check_password(DEMO_PASSWORD):
            password = DEMO_PASSWORD
        else:
            password = "(đã đổi / changed)"
        rows.append((user.username, role_label, unit_label, password))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return [
        "Tài khoản demo (demo accounts):",
        line(header),
        line(["-" * width for width in widths]),
        *(line(row) for row in rows),
        "",
        "Các tài khoản này chỉ dùng cho bản demo; không dùng trên hệ thống thật "
        "(these accounts are for the demo only; never use them on a real system).",
    ]
