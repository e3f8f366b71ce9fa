"""`manage.py load_demo`: the demo data set (demo.loader), only in DEMO_MODE or DEBUG."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo import reference
from demo.accounts import account_table
from demo.loader import load_demo_data, summary
from demo.reference import DEFAULT_EMPLOYEES


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
        if timezone.localdate() < reference.REFERENCE_DATE:
            raise CommandError(
                f"Dữ liệu mẫu lập đến ngày {reference.REFERENCE_DATE:%d/%m/%Y}, sau ngày hôm nay "
                "(the demo data is dated up to a day after today; check the clock)."
            )
        loaded = load_demo_data(employees=employees, stderr=self.stderr)
        for line in (
            *summary(loaded, employees=employees),
            *account_table(loaded.admin, loaded.units, loaded.created_users),
        ):
            self.stdout.write(line)
