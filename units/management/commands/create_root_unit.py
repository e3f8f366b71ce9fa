"""Found the root of the organisation tree on a new installation; every other unit is then
founded through a request of its parent unit."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tracking.context import ChangeContext, tracked_change
from units.models import Unit


class Command(BaseCommand):
    help = "Tạo đơn vị gốc (Bộ) của cây tổ chức trên một hệ thống mới; có lịch sử ghi người tạo và căn cứ."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="Mã đơn vị, ví dụ BTC")
        parser.add_argument("--name", required=True, help="Tên đơn vị, ví dụ Bộ Tài chính")
        parser.add_argument("--by", required=True, help="Tên đăng nhập của quản trị viên (superuser) thực hiện")
        parser.add_argument("--reason", required=True, help="Căn cứ, ví dụ số quyết định")

    def handle(self, *args, code, name, by, reason, **options):
        admin = get_user_model().objects.filter(username=by, is_superuser=True, is_active=True).first()
        if admin is None:
            raise CommandError(f"Không có quản trị viên (superuser) đang hoạt động tên «{by}».")
        if Unit.objects.filter(depth=1).exists():
            raise CommandError(
                "Cây tổ chức đã có đơn vị gốc; đơn vị mới được thành lập qua yêu cầu của đơn vị cấp trên."
            )
        unit = Unit(code=code.strip(), name=name.strip(), kind=Unit.Kind.MINISTRY)
        with transaction.atomic(), tracked_change(ChangeContext(reason=reason, approved_by=admin)):
            unit.full_clean(exclude=["path", "depth", "numchild"])
            unit = Unit.objects.add_root(instance=unit)
        self.stdout.write(f"Đã tạo đơn vị gốc {unit.code} — {unit.name}.")
