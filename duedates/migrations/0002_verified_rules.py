"""The verified rule rows (shared/DOMAIN.md, "Rules that drive due dates", checked 2026-12),
each with its source. Later changes are new rows or edits in the admin, never code."""

import datetime

from django.db import migrations

D = datetime.date

LC2012 = (
    "Bộ luật Lao động 2012, Điều 187 (trước đó Bộ luật Lao động 1994, Điều 145): nam đủ 60 tuổi, nữ đủ 55 tuổi; "
    "áp dụng đến hết năm 2020."
)
LC2019 = (
    "Bộ luật Lao động 2019, Điều 169(2); Nghị định 135/2020/NĐ-CP, Điều 4 và Phụ lục I "
    "(nam tăng 3 tháng mỗi năm đến 62 tuổi năm 2028, nữ tăng 4 tháng mỗi năm đến 60 tuổi năm 2035)."
)

MEN = [(2021, 60, 3), (2022, 60, 6), (2023, 60, 9), (2024, 61, 0), (2025, 61, 3), (2026, 61, 6), (2027, 61, 9)]
MEN.append((2028, 62, 0))
WOMEN = [(2021 + i, 55 + (4 * (i + 1)) // 12, (4 * (i + 1)) % 12) for i in range(15)]  # 2021 55y4m … 2035 60y0m

CS_LEAD = "Nghị định 170/2025/NĐ-CP, Điều 62–63 (công chức, từ 01/7/2025)."
PE_LEAD = (
    "Luật Viên chức 2010, Điều 46(2); Nghị định 115/2020/NĐ-CP, Điều 59. Lưu ý: được thay thế từ 01/7/2026, "
    "cần rà soát văn bản mới."
)

HOLD = (
    "Nghị định 204/2004/NĐ-CP, Điều 7; Thông tư 08/2013/TT-BNV, Điều 2(1)(a), sửa đổi bởi Thông tư 03/2021/TT-BNV: %s"
)
HOLD_36 = HOLD % "chức danh yêu cầu trình độ cao đẳng trở lên, 36 tháng."
HOLD_24 = HOLD % "trung cấp trở xuống và nhân viên thừa hành, phục vụ, 24 tháng."
HOLD_60 = HOLD % "chuyên gia cao cấp, 60 tháng; không hưởng phụ cấp thâm niên vượt khung."

EXT = (
    "Thông tư 08/2013/TT-BNV, Điều 2(1)(c), sửa đổi bởi Thông tư 03/2021/TT-BNV: kéo dài khi bị kỷ luật hoặc "
    "không hoàn thành nhiệm vụ trong thời gian giữ bậc (tính theo ngày quyết định kỷ luật có hiệu lực; "
    "kỷ luật đã bị huỷ bỏ không tính). Ngày hiệu lực của dòng trước 2021 cần rà soát."
)
EXT_REPRIMAND_OLD = EXT + " Trước Thông tư 03/2021: khiển trách kéo dài 6 tháng cho mọi đối tượng."
EXT_REPRIMAND_NEW = EXT + " Từ Thông tư 03/2021: khiển trách kéo dài 3 tháng với viên chức và người lao động."
EXT_DEMOTION = EXT + " Giáng chức: chỉ với quyết định có hiệu lực trước 01/7/2025 (Luật 80/2025/QH15 bỏ hình thức này)."
BEYOND = (
    "Nghị định 204/2004/NĐ-CP, Điều 6; Thông tư 04/2005/TT-BNV, sửa đổi bởi Thông tư 03/2021/TT-BNV: 5% sau "
    "36 tháng (A0–A3) hoặc 24 tháng (B, C) ở bậc cuối, từ năm thứ tiếp theo mỗi năm thêm 1%."
)

SINCE_TT08 = D(2013, 9, 10)
SINCE_TT03 = D(2021, 8, 15)

EXTENSIONS = [
    # (kind, status, months, valid_from, valid_to, source)
    ("reprimand", "civil_servant", 6, SINCE_TT08, None, EXT),
    ("reprimand", "public_employee", 6, SINCE_TT08, SINCE_TT03 - datetime.timedelta(days=1), EXT_REPRIMAND_OLD),
    ("reprimand", "public_employee", 3, SINCE_TT03, None, EXT_REPRIMAND_NEW),
    ("reprimand", "contract", 6, SINCE_TT08, SINCE_TT03 - datetime.timedelta(days=1), EXT_REPRIMAND_OLD),
    ("reprimand", "contract", 3, SINCE_TT03, None, EXT_REPRIMAND_NEW),
    ("demotion", "civil_servant", 12, SINCE_TT08, D(2025, 6, 30), EXT_DEMOTION),
]
for status in ("civil_servant", "public_employee", "contract"):
    EXTENSIONS += [
        ("warning", status, 6, SINCE_TT08, None, EXT),
        ("dismissal_from_post", status, 12, SINCE_TT08, None, EXT),
        ("poor_rating", status, 6, SINCE_TT08, None, EXT),
    ]


def load(apps, schema_editor):
    RetirementAge = apps.get_model("duedates", "RetirementAge")
    LeadTime = apps.get_model("duedates", "LeadTime")
    HoldingPeriod = apps.get_model("duedates", "HoldingPeriod")
    StepExtension = apps.get_model("duedates", "StepExtension")
    BeyondLastStep = apps.get_model("duedates", "BeyondLastStep")

    for sex, years in (("male", 60), ("female", 55)):
        RetirementAge.objects.create(
            sex=sex,
            from_year=1995,
            years=years,
            months=0,
            valid_from=D(1995, 1, 1),
            valid_to=D(2020, 12, 31),
            legal_source=LC2012,
        )
    for sex, rows in (("male", MEN), ("female", WOMEN)):
        for year, years, months in rows:
            RetirementAge.objects.create(
                sex=sex, from_year=year, years=years, months=months, valid_from=D(2021, 1, 1), legal_source=LC2019
            )
    for kind, months in (("notice", 6), ("decision", 3)):
        LeadTime.objects.create(
            kind=kind, status="civil_servant", months=months, valid_from=D(2025, 7, 1), legal_source=CS_LEAD
        )
        LeadTime.objects.create(
            kind=kind, status="public_employee", months=months, valid_from=D(2012, 1, 1), legal_source=PE_LEAD
        )
    for cls in ("A3.1", "A3.2", "A2.1", "A2.2", "A1", "A0"):
        HoldingPeriod.objects.create(
            salary_class=cls,
            months=36,
            valid_from=D(2004, 10, 1),
            legal_source=HOLD_36,
        )
    for cls in ("B", "C1", "C2", "C3"):
        HoldingPeriod.objects.create(salary_class=cls, months=24, valid_from=D(2004, 10, 1), legal_source=HOLD_24)
    HoldingPeriod.objects.create(
        salary_class="CGCC", months=60, beyond_last_step=False, valid_from=D(2004, 10, 1), legal_source=HOLD_60
    )
    for kind, status, months, valid_from, valid_to, source in EXTENSIONS:
        StepExtension.objects.create(
            kind=kind, status=status, months=months, valid_from=valid_from, valid_to=valid_to, legal_source=source
        )
    BeyondLastStep.objects.create(
        first_percent=5, increment_percent=1, increment_months=12, valid_from=D(2004, 10, 1), legal_source=BEYOND
    )


def unload(apps, schema_editor):
    for name in ("RetirementAge", "LeadTime", "HoldingPeriod", "StepExtension", "BeyondLastStep"):
        apps.get_model("duedates", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("duedates", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
