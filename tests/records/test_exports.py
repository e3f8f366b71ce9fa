"""Exports: the employee list as xlsx and form 2C as an A4 PDF, each scoped to what the user
may see, protected data withheld from readers without the right, and each logged once."""

import datetime
import io
import re
import sys
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.text import capfirst
from openpyxl import load_workbook
from pypdf import PdfReader

from records.models import (
    Commendation,
    Discipline,
    Employee,
    Evaluation,
    ExportJob,
    ExportLog,
    FamilyMember,
    SalaryHistory,
    Training,
    WorkHistory,
)
from tests.conftest import make_employee, setup_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
A4 = (595.28, 841.89)


# --- employee list (xlsx) ------------------------------------------------------------------


@pytest.fixture
def staff(tree, loader, employee_kv1, employee_kv2):
    """KV1: Nguyễn Văn An (with a health note) and a second person; KV2: Trần Thị Bình."""
    with setup_context(loader):
        employee_kv1.health_status = "Sức khoẻ loại II"
        employee_kv1.full_clean()
        employee_kv1.save()
    second = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001085000003",
        full_name="Lê Văn Cường",
        employment_status=Employee.EmploymentStatus.CONTRACT,
        other_names='=HYPERLINK("http://x.test")',
    )
    return {"an": employee_kv1, "binh": employee_kv2, "cuong": second}


@pytest.fixture
def export(client, export_list):
    """The employee list exported (records/conftest.py) and read: (sheet, header, rows)."""

    def run(**filters):
        response = export_list(**filters)
        assert response.status_code == 200, response
        assert response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        header, *rows = list(sheet.iter_rows(values_only=True))
        return sheet, header, [dict(zip(header, row, strict=False)) for row in rows]

    return run


def test_officer_exports_only_own_unit(client, people, staff, export):
    client.force_login(people["canbo_kv1"])
    _sheet, header, rows = export()
    # Vietnamese order: by given name (An before Cường), not by family name.
    assert [r["Họ và tên khai sinh"] for r in rows] == ["Nguyễn Văn An", "Lê Văn Cường"]
    assert [r["STT"] for r in rows] == [1, 2]
    assert {r["Số CCCD"] for r in rows} == {"001085000003", "001085000001"}
    assert all(r["Đơn vị quản lý"] == "Chi cục Thuế khu vực I" for r in rows)
    assert rows[1]["Tình trạng"] == "Hợp đồng lao động"
    assert rows[0]["Ngày sinh"] == datetime.datetime(1985, 3, 14)
    assert "Trần Thị Bình" not in repr(rows)


def test_list_export_leaves_out_sensitive_fields(client, people, staff, export):
    client.force_login(people["canbo_kv1"])
    _sheet, header, rows = export()
    sensitive_headers = {
        capfirst(Employee._meta.get_field(n).verbose_name) for n in Employee.SENSITIVE_FIELDS if n != "citizen_id"
    }
    assert "Tình trạng sức khoẻ" in sensitive_headers
    assert not sensitive_headers & set(header)
    assert "Sức khoẻ loại II" not in repr(rows)
    # The CCCD goes out only where the reader may see it: the officer's own unit, not above.
    assert {r["Số CCCD"] for r in rows} == {
        e.citizen_id for e in Employee.objects.filter(managing_unit=people["canbo_kv1"].role_grants.get().unit)
    }
    client.force_login(people["xem_cuc"])
    _sheet, _header, rows = export()
    assert {r["Số CCCD"] for r in rows} == {"•••"}


def test_upper_unit_viewer_exports_the_subtree_and_filters_apply(client, people, tree, staff, export):
    client.force_login(people["xem_cuc"])
    _sheet, _header, rows = export()
    assert {r["Họ và tên khai sinh"] for r in rows} == {"Nguyễn Văn An", "Lê Văn Cường", "Trần Thị Bình"}
    _sheet, _header, rows = export(unit=tree["kv2"].pk)
    assert [r["Họ và tên khai sinh"] for r in rows] == ["Trần Thị Bình"]
    _sheet, _header, rows = export(q="cường")
    assert [r["Họ và tên khai sinh"] for r in rows] == ["Lê Văn Cường"]


def test_text_that_looks_like_a_formula_stays_text(client, people, staff, export):
    client.force_login(people["canbo_kv1"])
    sheet, header, _rows = export()
    column = header.index("Tên gọi khác") + 1
    cell = sheet.cell(row=3, column=column)  # Lê Văn Cường sorts second, after Nguyễn Văn An
    assert cell.value == '=HYPERLINK("http://x.test")' and cell.data_type == "s"


def test_list_export_is_logged_at_each_download_with_filters_and_row_count(client, people, tree, staff, export):
    client.force_login(people["xem_cuc"])
    export(q="", unit=tree["cuc"].pk)
    log = ExportLog.objects.get()
    job = ExportJob.objects.get()
    assert log.user == people["xem_cuc"]
    assert log.kind == ExportLog.Kind.EMPLOYEE_LIST
    assert log.row_count == 3 == job.rows_done
    assert log.parameters == {"q": "", "unit": tree["cuc"].pk, "job": job.pk}
    assert log.ip_address == "127.0.0.1"
    assert "Cục Thuế" in log.description
    assert log.access.row_count == 3  # counted as a read of three records
    client.get(reverse("records:export-download", args=[job.pk]))
    assert ExportLog.objects.count() == 2  # the file left the system twice


def test_list_export_of_a_unit_outside_scope_is_not_found(client, people, tree, staff):
    client.force_login(people["canbo_kv1"])
    assert client.post(reverse("records:employee-export"), {"unit": tree["kv2"].pk}).status_code == 404
    assert client.post(reverse("records:employee-export"), {"unit": "abc"}).status_code == 404
    assert not ExportJob.objects.exists() and not ExportLog.objects.exists()


def test_user_without_grants_may_not_export(client, people, staff):
    client.force_login(people["nobody"])
    assert client.post(reverse("records:employee-export")).status_code == 403
    assert client.get(reverse("records:export-list")).status_code == 403
    assert not ExportJob.objects.exists() and not ExportLog.objects.exists()


def test_export_starts_by_post_only(client, people, staff):
    client.force_login(people["canbo_kv1"])
    assert client.get(reverse("records:employee-export")).status_code == 405
    assert not ExportJob.objects.exists()


def test_anonymous_export_goes_to_login(client, staff):
    response = client.post(reverse("records:employee-export"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- form 2C (pdf) -------------------------------------------------------------------------

HEADINGS = [
    "Mẫu 2C-BNV/2008",
    "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
    "1) Họ và tên khai sinh",
    "14) Ngạch công chức",
    "21) Khen thưởng",
    "22) Kỷ luật",
    "26) Số sổ BHXH",
    "27) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC",
    "28) TÓM TẮT QUÁ TRÌNH CÔNG TÁC",
    "29) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN",
    "30) QUAN HỆ GIA ĐÌNH",
    "31) DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ, CÔNG CHỨC",
    "32) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC",
]
# Printed only for readers who may see protected data (family, health, discipline, history).
PROTECTED = [
    "Nguyễn Văn Cha",
    "Lê Thị Mẹ Vợ",
    "Đi muộn nhiều lần",
    "Sức khoẻ loại II",
    "Gia đình liệt sĩ",
    "Thời niên thiếu ở Hà Tĩnh",
]
# Printed for everyone who may see the record.
OPEN = [
    "Học viện Tài chính",
    "Chuyên viên, Chi cục Thuế khu vực I",
    "Bằng khen của Bộ trưởng",
    "Hoàn thành tốt nhiệm vụ",
    "01.003/3",
]
WITHHELD = "thông tin được bảo vệ"


@pytest.fixture
def full_file(tree, loader):
    """Nguyễn Văn An of KV1 with a row in every part of the file."""
    employee = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001085000001",
        health_status="Sức khoẻ loại II",
        policy_status="Gia đình liệt sĩ",
        personal_history="Thời niên thiếu ở Hà Tĩnh, không bị bắt, không làm việc cho chế độ cũ.",
        place_of_birth="Xã Thạch Hà, tỉnh Hà Tĩnh",
        major="Kế toán",
        qualification=Employee.Qualification.BACHELOR,
    )
    with setup_context(loader):
        Training.objects.create(
            employee=employee,
            kind=Training.Kind.DEGREE,
            name="Kế toán",
            institution="Học viện Tài chính",
            start_date=datetime.date(2003, 9, 1),
            end_date=datetime.date(2007, 6, 30),
            mode=Training.Mode.FULL_TIME,
            certificate="Cử nhân",
        )
        WorkHistory.objects.create(
            employee=employee,
            start_date=datetime.date(2008, 1, 1),
            organisation="Chi cục Thuế khu vực I",
            title="Chuyên viên",
        )
        SalaryHistory.objects.create(
            employee=employee,
            effective_date=datetime.date(2020, 1, 1),
            rank_code="01.003",
            salary_step=3,
            salary_coefficient=Decimal("3.00"),
        )
        Commendation.objects.create(employee=employee, year=2023, form="Bằng khen của Bộ trưởng")
        Discipline.objects.create(
            employee=employee,
            form=Discipline.Form.REPRIMAND,
            reason="Đi muộn nhiều lần",
            effective_from=datetime.date(2019, 4, 1),
        )
        Evaluation.objects.create(employee=employee, year=2024, rating=Evaluation.Rating.GOOD)
        FamilyMember.objects.create(employee=employee, relation="Bố", full_name="Nguyễn Văn Cha", birth_year=1955)
        FamilyMember.objects.create(
            employee=employee,
            side=FamilyMember.Side.SPOUSE,
            relation="Mẹ vợ",
            full_name="Lê Thị Mẹ Vợ",
            birth_year=1960,
        )
    return employee


def read_pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) <= 1 and abs(float(box.height) - A4[1]) <= 1
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("user", ["canbo_kv1", "lanhdao_kv1", "thanhtra_cuc"])
def test_form_2c_is_an_a4_pdf_with_every_section_for_the_managing_unit(client, people, full_file, user):
    client.force_login(people[user])
    text = read_pdf(client.get(reverse("records:employee-form-2c", args=[full_file.pk])))
    for heading in HEADINGS:
        assert heading in text
    assert "Nguyễn Văn An" in text and "NGUYỄN VĂN AN" in text and "QUÁ TRÌNH" in text
    for value in PROTECTED + OPEN:
        assert value in text
    assert WITHHELD not in text


def test_form_2c_withholds_protected_parts_from_an_upper_unit_viewer(client, people, full_file):
    client.force_login(people["xem_cuc"])
    text = read_pdf(client.get(reverse("records:employee-form-2c", args=[full_file.pk])))
    for heading in HEADINGS:
        assert heading in text
    for value in OPEN:
        assert value in text
    for value in PROTECTED:
        assert value not in text
    assert text.count(WITHHELD) == 9  # items 8, 9, 22, 23, 24, 25, 26, 29 and 30


def test_form_2c_is_logged_once(client, people, full_file):
    client.force_login(people["xem_cuc"])
    client.get(reverse("records:employee-form-2c", args=[full_file.pk]))
    log = ExportLog.objects.get()
    assert log.user == people["xem_cuc"] and log.kind == ExportLog.Kind.FORM_2C and log.row_count == 1
    assert log.parameters == {"employee": full_file.pk, "sensitive": False}
    assert "Nguyễn Văn An" in log.description


@pytest.mark.parametrize("user", ["canbo_kb", "canbo_kv2", "nobody"])
def test_form_2c_outside_scope_is_not_found(client, people, full_file, user):
    client.force_login(people[user])
    assert client.get(reverse("records:employee-form-2c", args=[full_file.pk])).status_code == 404
    assert not ExportLog.objects.exists()


def test_form_2c_without_weasyprint_is_a_clear_503(client, people, full_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a server without it sees: ImportError
    client.force_login(people["canbo_kv1"])
    response = client.get(reverse("records:employee-form-2c", args=[full_file.pk]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "Chưa in được sơ yếu lý lịch" in page and "WeasyPrint" in page
    assert not ExportLog.objects.exists()


def test_file_and_list_pages_link_to_the_exports(client, people, full_file):
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("records:employee-detail", args=[full_file.pk])).content.decode()
    assert reverse("records:employee-form-2c", args=[full_file.pk]) in page
    page = client.get(reverse("records:employee-list")).content.decode()
    assert reverse("records:employee-export") in page


def test_form_2c_prints_coefficients_with_a_decimal_comma(client, people, full_file):
    client.force_login(people["canbo_kv1"])
    text = read_pdf(client.get(reverse("records:employee-form-2c", args=[full_file.pk])))
    assert "3,00" in text  # item 14 and the salary history (table 31)
    assert "3.00" not in text
