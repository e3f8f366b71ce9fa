"""Walk the hash chains of the append-only tables (tracking.ledger) and name every broken link."""

from django.core.management.base import BaseCommand, CommandError

from tracking.ledger import CHUNK, head_token, verify


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của lịch sử, ý kiến phê duyệt, phân quyền, nhật ký truy cập và xuất dữ liệu."

    def add_arguments(self, parser):
        parser.add_argument("--table", action="append", default=[], help="chỉ kiểm tra bảng này (lặp lại được)")
        parser.add_argument(
            "--token", action="append", default=[], help="mã đầu chuỗi đã nhận qua email (lặp lại được)"
        )
        parser.add_argument("--chunk", type=int, default=CHUNK, help="số mắt xích đọc mỗi lần")
        parser.add_argument("--database", default="default")

    def handle(self, *args, table, token, chunk, database, **options):
        report = verify(database, tables=table or None, tokens=token, chunk=chunk)
        for item in report.breaks:
            self.stdout.write(str(item))
        self.stdout.write(
            f"{report.rows} dòng, {len(report.heads)} chuỗi, {report.seconds:.1f} giây "
            f"({report.rows_per_second:,.0f} dòng/giây); đầu chuỗi: {head_token(report.heads)}"
        )
        if not report.ok:
            raise CommandError(f"Chuỗi băm bị phá vỡ: {len(report.breaks)} lỗi.", returncode=1)
        self.stdout.write(self.style.SUCCESS("Chuỗi băm nguyên vẹn."))
