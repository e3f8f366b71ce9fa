"""Issue 8, defect 13: values no record should hold are refused with a Vietnamese message, on the
change page and in an import alike: a 100,000-character text, a salary date of 9999-12-31, Party
and discharge dates before birth, digits of other scripts, and formula cells in an xlsx."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from records.models import Employee, SalaryHistory
from tests.records.test_import import REASON, person, upload
from tests.workflows.conftest import propose, salary_row
from workflows import imports
from workflows.models import ChangeRequest, ImportBatch


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def officer(client, people):
    client.force_login(people["canbo_kv1"])
    return client


def refused_on_page(response, *expected):
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    for text in expected:
        assert text in page, text
    assert not ChangeRequest.objects.exists()


# --- lengths ----------------------------------------------------------------------------------


def test_a_100000_character_personal_history_is_refused(officer, employee_kv1):
    response = propose(officer, employee_kv1, personal_history="Tôi " * 25_000, reason="Bổ sung lịch sử bản thân")
    refused_on_page(response, "tối đa 5000 kí tự (hiện có 99999)")


def test_a_text_field_without_a_declared_bound_is_bounded_all_the_same(tree):
    """Django checks a TextField's max_length only in its form widget; every text of a tracked
    record is checked against its bound, or 10,000 characters when it declares none."""
    from inspections.models import InspectionPlan

    plan = InspectionPlan(unit=tree["cuc"], year=2025, title="Kế hoạch kiểm tra 2025", description="x" * 100_000)
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    assert "vượt quá giới hạn 10000 ký tự" in " ".join(refused.value.message_dict["description"])


def test_a_long_text_is_refused_by_the_model_too(employee_kv1):
    employee_kv1.personal_history = "x" * 5001
    with pytest.raises(ValidationError) as refused:
        employee_kv1.full_clean()
    assert "5001" in " ".join(refused.value.message_dict["personal_history"])


# --- dates ------------------------------------------------------------------------------------


def test_a_salary_date_of_9999_is_refused(officer, employee_kv1):
    # A salary is changed by a dated salary-history row (the profile follows the newest one).
    row = salary_row(4, "3.33", on="9999-12-31")
    response = propose(officer, employee_kv1, add={"salaryhistory": [row]}, reason="Nâng lương")
    refused_on_page(response, "31/12/9999 nằm ngoài khoảng hợp lý")


def test_a_salary_date_more_than_a_year_ahead_is_refused(employee_kv1):
    employee_kv1.salary_effective_date = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        employee_kv1.full_clean()
    assert "salary_effective_date" in refused.value.message_dict
    employee_kv1.salary_effective_date = timezone.localdate() + datetime.timedelta(days=30)
    employee_kv1.full_clean()  # a decision may take effect next month


def test_a_salary_history_row_of_9999_is_refused(employee_kv1):
    row = SalaryHistory(
        employee=employee_kv1,
        effective_date=datetime.date(9999, 12, 31),
        rank_code="01.003",
        salary_step=3,
        salary_coefficient="3.00",
    )
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "effective_date" in refused.value.message_dict


@pytest.mark.parametrize("field", ["party_official_date", "military_discharge_date", "mass_organisation_join_date"])
def test_a_date_before_birth_is_refused(officer, employee_kv1, field):
    response = propose(officer, employee_kv1, reason="Cập nhật", **{field: "1980-01-01"})  # born 14/03/1985
    refused_on_page(response, "Ngày này không thể trước ngày sinh.")


def test_a_birth_date_before_1900_is_refused(officer, employee_kv1):
    response = propose(officer, employee_kv1, date_of_birth="0985-03-14", reason="Sửa ngày sinh")
    refused_on_page(response, "nằm ngoài khoảng hợp lý")


# --- digits -----------------------------------------------------------------------------------


def test_arabic_indic_digits_in_a_cccd_are_refused(officer, employee_kv1):
    response = propose(officer, employee_kv1, citizen_id="٠٠١٠٨٥٠٠٠٠٠١", reason="Sửa CCCD")
    refused_on_page(response, "không phải chữ số 0–9")


def test_full_width_digits_in_a_text_are_refused(employee_kv1):
    employee_kv1.social_insurance_number = "０１２３４５６７８９"
    with pytest.raises(ValidationError) as refused:
        employee_kv1.full_clean()
    assert "U+FF10" in " ".join(refused.value.message_dict["social_insurance_number"])


def test_superscripts_and_other_number_signs_remain_text(employee_kv1):
    employee_kv1.current_address = "Căn hộ 75m², tầng ½"
    employee_kv1.full_clean()


def test_arabic_indic_digits_in_a_number_are_read_as_the_number(officer, people, employee_kv1):
    response = propose(officer, employee_kv1, height_cm="١٧٠", reason="Cập nhật chiều cao")
    assert response.status_code == 302, response.content.decode()[:2000]
    (operation,) = ChangeRequest.objects.get().operations
    assert operation["values"]["height_cm"] == 170


# --- the importer -----------------------------------------------------------------------------


def workbook_with(rows, edit):
    """The template filled with `rows`, then changed by `edit(workbook)` as a person would in Excel."""
    buffer = io.BytesIO()
    imports.build_workbook(rows=rows).save(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("ho-so.xlsx", out.getvalue())


def cell_of(workbook, key, row):
    sheet = workbook["Cán bộ"]
    column = next(c.column for c in sheet[1] if c.value == key)
    return sheet.cell(row=row, column=column)


def test_a_formula_cell_in_an_import_is_a_row_error(officer, tree, django_capture_on_commit_callbacks):
    def edit(workbook):
        cell_of(workbook, "other_names", 3).value = '=UPPER("an")'
        cell_of(workbook, "height_cm", 4).value = "=150+20"

    upload_file = workbook_with({Employee: [person(1), person(2)]}, edit)
    batch = upload(officer, tree["kv1"], upload_file, capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.INVALID
    by_cell = {e["cell"]: e["message"] for e in batch.errors}
    assert set(by_cell) == {"C3", f"{cell_letter('height_cm')}4"}
    assert "công thức" in by_cell["C3"] and '=UPPER("an")' in by_cell["C3"]
    assert not Employee.objects.exists()


def cell_letter(key):
    from openpyxl.utils import get_column_letter

    sheet = next(s for s in imports.sheets() if s.model is Employee)
    return get_column_letter(1 + [c.key for c in sheet.columns].index(key))


def test_foreign_digits_and_long_texts_in_an_import_are_row_errors(officer, tree, django_capture_on_commit_callbacks):
    rows = {Employee: [person(1, citizen_id="٠٠١٠٨٠٠٠٠٠٠١"), person(2, personal_history="x" * 6000)]}
    buffer = io.BytesIO()
    imports.build_workbook(rows=rows).save(buffer)
    batch = upload(
        officer,
        tree["kv1"],
        SimpleUploadedFile("ho-so.xlsx", buffer.getvalue()),
        capture=django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportBatch.Status.INVALID
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "không phải chữ số 0–9" in messages[3]
    assert "vượt quá giới hạn 5000 ký tự" in messages[4]


def test_the_upload_reason_refuses_control_characters(officer, tree):
    response = officer.post(
        reverse("records:import-new"),
        {"unit": tree["kv1"].pk, "reason": f"{REASON}\x1b", "file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04")},
    )
    assert response.status_code == 200 and "U+001B" in response.content.decode()
