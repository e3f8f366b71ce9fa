"""The salary table of Decree 204/2004/NĐ-CP (table 2, civil servants), for the ranks the
ministry's units use. Later decrees are added as new table versions, never by editing this one."""

from django.db import migrations

SCALES = {
    "A3.1": ["6.20", "6.56", "6.92", "7.28", "7.64", "8.00"],
    "A3.2": ["5.75", "6.11", "6.47", "6.83", "7.19", "7.55"],
    "A2.1": ["4.40", "4.74", "5.08", "5.42", "5.76", "6.10", "6.44", "6.78"],
    "A2.2": ["4.00", "4.34", "4.68", "5.02", "5.36", "5.70", "6.04", "6.38"],
    "A1": ["2.34", "2.67", "3.00", "3.33", "3.66", "3.99", "4.32", "4.65", "4.98"],
    "A0": ["2.10", "2.41", "2.72", "3.03", "3.34", "3.65", "3.96", "4.27", "4.58", "4.89"],
    "B": ["1.86", "2.06", "2.26", "2.46", "2.66", "2.86", "3.06", "3.26", "3.46", "3.66", "3.86", "4.06"],
    "C1": ["1.65", "1.83", "2.01", "2.19", "2.37", "2.55", "2.73", "2.91", "3.09", "3.27", "3.45", "3.63"],
}
# (code, name, group). Codes: Thông tư 02/2021/TT-BNV (hành chính), 29/2022/TT-BTC (thuế),
# 77/2019/TT-BTC (kế toán, kho bạc).
RANKS = [
    ("01.001", "Chuyên viên cao cấp", "A3.1"),
    ("01.002", "Chuyên viên chính", "A2.1"),
    ("01.003", "Chuyên viên", "A1"),
    ("01.004", "Cán sự", "B"),
    ("01.005", "Nhân viên", "C1"),
    ("06.029", "Kế toán viên cao cấp", "A3.1"),
    ("06.030", "Kế toán viên chính", "A2.1"),
    ("06.031", "Kế toán viên", "A1"),
    ("06.032", "Kế toán viên trung cấp", "A0"),
    ("06.036", "Kiểm tra viên cao cấp thuế", "A3.1"),
    ("06.037", "Kiểm tra viên chính thuế", "A2.1"),
    ("06.038", "Kiểm tra viên thuế", "A1"),
    ("06.039", "Kiểm tra viên trung cấp thuế", "A0"),
    ("06.040", "Nhân viên thuế", "B"),
]
# Months at a step before the regular increase (Thông tư 03/2021/TT-BNV): 36 where the rank
# requires a university degree, 24 where it requires college level or lower.
MONTHS = {"A3.1": 36, "A3.2": 36, "A2.1": 36, "A2.2": 36, "A1": 36, "A0": 24, "B": 24, "C1": 24}


def create_table(apps, schema_editor):
    import datetime

    SalaryTable = apps.get_model("records", "SalaryTable")
    SalaryRank = apps.get_model("records", "SalaryRank")
    table, _ = SalaryTable.objects.get_or_create(
        effective_from=datetime.date(2004, 10, 1),
        defaults={
            "name": "Bảng lương chuyên môn, nghiệp vụ đối với cán bộ, công chức",
            "source": "Nghị định 204/2004/NĐ-CP, bảng 2",
        },
    )
    for code, name, group in RANKS:
        SalaryRank.objects.get_or_create(
            table=table,
            rank_code=code,
            defaults={"rank_name": name, "scale_group": group, "coefficients": SCALES[group], "months_per_step": MONTHS[group]},
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0005_position_fk")]

    operations = [migrations.RunPython(create_table, migrations.RunPython.noop)]
