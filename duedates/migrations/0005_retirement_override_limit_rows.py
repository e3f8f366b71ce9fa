"""The limits of the per-person retirement decisions (shared/DOMAIN.md, "Rules that drive due
dates", overrides), each with its source and the doubts beside it. Later changes are new rows or
edits in the admin, never code."""

import datetime

from django.db import migrations

D = datetime.date

LOWER = (
    "Bộ luật Lao động 2019, Điều 169 khoản 3; Nghị định 135/2020/NĐ-CP, Điều 5 và Phụ lục II (Phụ lục II là "
    "Phụ lục I sớm hơn 5 năm): nghỉ hưu ở tuổi thấp hơn nhưng không quá 05 tuổi so với tuổi nghỉ hưu trong "
    "điều kiện lao động bình thường tại thời điểm nghỉ hưu, trừ trường hợp pháp luật có quy định khác. "
    "Chưa nhập quy định trước 01/01/2021 (Bộ luật Lao động 2012, Điều 187): cần rà soát."
)
HIGHER = (
    "Bộ luật Lao động 2019, Điều 169 khoản 4; Nghị định 135/2020/NĐ-CP, Điều 6: người có trình độ chuyên môn, "
    "kỹ thuật cao và một số trường hợp đặc biệt có thể nghỉ hưu ở tuổi cao hơn nhưng không quá 05 tuổi so với "
    "tuổi nghỉ hưu trong điều kiện lao động bình thường tại thời điểm nghỉ hưu, trừ trường hợp pháp luật có quy "
    "định khác. Cần rà soát: với cán bộ, công chức các trường hợp và mức cụ thể do văn bản riêng quy định "
    "(Nghị định 53/2015/NĐ-CP, sửa đổi bởi Nghị định 83/2022/NĐ-CP), có thể thấp hơn 5 năm."
)
POSTPONE = (
    "Nghị định 170/2025/NĐ-CP, Điều 61 khoản 3 điểm %s (công chức, từ 01/7/2025): %s "
    "Có nhiều trường hợp thì chỉ lùi theo trường hợp dài nhất (theo bài tóm tắt của báo Lao động; cần đối chiếu "
    "văn bản). Viên chức: cùng mức theo quy định về "
    "viên chức (Nghị định 115/2020/NĐ-CP; được thay thế từ 01/7/2026): cần rà soát. Chưa nhập quy định trước "
    "01/7/2025 (Nghị định 46/2010/NĐ-CP): cần rà soát."
)
POSTPONE_A = POSTPONE % (
    "a",
    "không quá 01 tháng khi thời điểm nghỉ hưu trùng với ngày nghỉ Tết Nguyên đán; vợ hoặc chồng, bố, mẹ, con "
    "từ trần hoặc bị Toà án tuyên bố mất tích; bản thân và gia đình bị thiệt hại do thiên tai, địch hoạ, hoả hoạn.",
)
POSTPONE_B = POSTPONE % ("b", "không quá 03 tháng khi bị bệnh nặng hoặc bị tai nạn có giấy xác nhận của bệnh viện.")
POSTPONE_C = POSTPONE % (
    "c",
    "không quá 06 tháng khi đang điều trị bệnh thuộc danh mục bệnh cần chữa trị dài ngày do Bộ Y tế ban hành, "
    "có giấy xác nhận của bệnh viện.",
)

ROWS = [
    # (kind, ground, max months, valid from, source)
    ("lower_age", "", 60, D(2021, 1, 1), LOWER),
    ("higher_age", "", 60, D(2021, 1, 1), HIGHER),
    ("postponement", "a", 1, D(2025, 7, 1), POSTPONE_A),
    ("postponement", "b", 3, D(2025, 7, 1), POSTPONE_B),
    ("postponement", "c", 6, D(2025, 7, 1), POSTPONE_C),
]


def load(apps, schema_editor):
    RetirementOverrideLimit = apps.get_model("duedates", "RetirementOverrideLimit")
    for kind, ground, months, valid_from, source in ROWS:
        RetirementOverrideLimit.objects.create(
            kind=kind, ground=ground, max_months=months, valid_from=valid_from, legal_source=source
        )


def unload(apps, schema_editor):
    apps.get_model("duedates", "RetirementOverrideLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("duedates", "0004_retirement_override_limit")]

    operations = [migrations.RunPython(load, unload)]
