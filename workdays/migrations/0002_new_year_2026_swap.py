"""The 2026 New Year swap, which holidays 0.109 does not know (workdays.calendar)."""

import datetime

from django.db import migrations

NOTE = (
    "Văn bản 12729/VPCP-KGVX ngày 25/12/2025: nghỉ Tết Dương lịch 01–04/01/2026, "
    "hoán đổi thứ Sáu 02/01 sang thứ Bảy 10/01"
)
DAYS = [(datetime.date(2026, 1, 2), "off"), (datetime.date(2026, 1, 10), "working")]


def declare(apps, schema_editor):
    DeclaredDay = apps.get_model("workdays", "DeclaredDay")
    for day, kind in DAYS:
        DeclaredDay.objects.get_or_create(date=day, defaults={"kind": kind, "note": NOTE})


def undeclare(apps, schema_editor):
    apps.get_model("workdays", "DeclaredDay").objects.filter(date__in=[d for d, _ in DAYS], note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(declare, undeclare)]
