"""The probation lengths and the lead times before a contract's or a probation's end, each with its
source. The figures were written from the texts as we know them and could NOT be checked against
the official texts in 2026-12 (no copy reachable): each source says so; the ministry's
administrators should confirm them in the admin (a change is a new row or an edit, with history)."""

import datetime

from django.db import migrations

D = datetime.date

UNVERIFIED = " [Chưa đối chiếu được với văn bản gốc khi nhập (12/2026): đề nghị quản trị viên rà soát.]"

CS = (
    "Nghị định 138/2020/NĐ-CP, Điều 20(1): thời gian tập sự 12 tháng với công chức loại C (ngạch chuyên viên "
    "và tương đương, nhóm A1), 06 tháng với công chức loại D (cán sự, nhân viên: nhóm A0, B). "
    "Hết hiệu lực 30/6/2025: Luật Cán bộ, công chức 2025 (Luật 80/2025/QH15) và Nghị định 170/2025/NĐ-CP "
    "(thay Nghị định 138/2020 từ 01/7/2025) được nêu là không còn chế độ tập sự với công chức; nếu văn bản "
    "mới còn quy định tập sự, thêm dòng mới." + UNVERIFIED
)
PE = (
    "Nghị định 115/2020/NĐ-CP, Điều 21(1): thời gian tập sự 12 tháng với chức danh nghề nghiệp yêu cầu trình "
    "độ đại học (nhóm A1; riêng bác sĩ 09 tháng: ghi ngày kết thúc trên hồ sơ), 09 tháng với trình độ cao đẳng "
    "(A0), 06 tháng với trình độ trung cấp (B). Ánh xạ trình độ → nhóm ngạch là cách đọc của chúng tôi. "
    "Luật Viên chức sửa đổi có hiệu lực 01/7/2026: cần rà soát." + UNVERIFIED
)
LC = (
    "Bộ luật Lao động 2019, Điều 25: thời gian thử việc không quá 60 ngày với công việc yêu cầu trình độ cao "
    "đẳng trở lên (A0–A3), không quá 30 ngày với trung cấp (B); không quá 06 ngày làm việc với công việc khác "
    "(không có dòng: ghi ngày kết thúc trên hồ sơ). Đây là mức tối đa: hợp đồng thử việc thường ghi ngày kết "
    "thúc, khi đó ngày trên hồ sơ được dùng." + UNVERIFIED
)
CONTRACT_NOTICE = (
    "Bộ luật Lao động 2019, Điều 45(1): người sử dụng lao động phải thông báo bằng văn bản cho người lao động "
    "thời điểm chấm dứt hợp đồng khi hợp đồng hết hạn; Bộ luật 2019 không ấn định số ngày (Bộ luật Lao động "
    "2012, Điều 47(1) quy định ít nhất 15 ngày trước ngày hết hạn). Điều 20(2): hết hạn mà vẫn làm việc thì "
    "trong 30 ngày phải ký hợp đồng mới. 15 ngày là thời hạn nhắc việc do Bộ chọn theo mức cũ, không phải "
    "mức luật định hiện hành." + UNVERIFIED
)
PROBATION_NOTICE = (
    "Thời hạn nhắc việc do Bộ chọn (không phải số ngày luật định): chuẩn bị báo cáo, nhận xét, đánh giá kết quả "
    "tập sự để ra quyết định bổ nhiệm vào ngạch / chức danh nghề nghiệp hoặc chấm dứt (Nghị định 138/2020/NĐ-CP "
    "Điều 22–23; Nghị định 115/2020/NĐ-CP Điều 24–25)." + UNVERIFIED
)
TRIAL_NOTICE = (
    "Bộ luật Lao động 2019, Điều 27(1): khi kết thúc thời gian thử việc, người sử dụng lao động phải thông báo "
    "kết quả thử việc cho người lao động. Số ngày nhắc trước do Bộ chọn, không phải mức luật định." + UNVERIFIED
)

DECREE_138 = D(2020, 11, 27)
UNTIL_LAW_80 = D(2025, 6, 30)
DECREE_115 = D(2020, 11, 20)
LABOUR_CODE_2019 = D(2021, 1, 1)

LENGTHS = [
    # (status, salary class, months, days, valid from, valid to, source)
    ("civil_servant", "A1", 12, 0, DECREE_138, UNTIL_LAW_80, CS),
    ("civil_servant", "A0", 6, 0, DECREE_138, UNTIL_LAW_80, CS),
    ("civil_servant", "B", 6, 0, DECREE_138, UNTIL_LAW_80, CS),
    ("public_employee", "A1", 12, 0, DECREE_115, None, PE),
    ("public_employee", "A0", 9, 0, DECREE_115, None, PE),
    ("public_employee", "B", 6, 0, DECREE_115, None, PE),
    ("contract", "A1", 0, 60, LABOUR_CODE_2019, None, LC),
    ("contract", "A0", 0, 60, LABOUR_CODE_2019, None, LC),
    ("contract", "B", 0, 30, LABOUR_CODE_2019, None, LC),
]

NOTICES = [
    # (kind, status, days, valid from, source)
    ("contract_end", "contract", 15, LABOUR_CODE_2019, CONTRACT_NOTICE),
    ("probation_end", "civil_servant", 30, DECREE_138, PROBATION_NOTICE),
    ("probation_end", "public_employee", 30, DECREE_115, PROBATION_NOTICE),
    ("probation_end", "contract", 5, LABOUR_CODE_2019, TRIAL_NOTICE),
]


def load(apps, schema_editor):
    ProbationLength = apps.get_model("duedates", "ProbationLength")
    EndNotice = apps.get_model("duedates", "EndNotice")
    for status, salary_class, months, days, valid_from, valid_to, source in LENGTHS:
        ProbationLength.objects.create(
            status=status,
            salary_class=salary_class,
            months=months,
            days=days,
            valid_from=valid_from,
            valid_to=valid_to,
            legal_source=source,
        )
    for kind, status, days, valid_from, source in NOTICES:
        EndNotice.objects.create(
            kind=kind, status=status, days=days, working_day=True, valid_from=valid_from, legal_source=source
        )


def unload(apps, schema_editor):
    apps.get_model("duedates", "ProbationLength").objects.all().delete()
    apps.get_model("duedates", "EndNotice").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("duedates", "0006_contract_probation_rules")]

    operations = [migrations.RunPython(load, unload)]
