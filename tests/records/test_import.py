"""Importing a unit's employees from xlsx through the real pages: the template, whole-file
validation, one change request through approval, all-or-nothing apply with history, and
re-imports that add nothing."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from records.models import Employee, Evaluation, FamilyMember, SalaryHistory, Training, WorkHistory
from tests.conftest import make_employee
from tests.tracking.test_ledger import settle
from tests.workflows.conftest import decide, open_task
from tracking.context import ChangeContext, tracked_change
from units.models import Position
from workflows import imports
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest, ImportBatch

REASON = "Chuyển hồ sơ giấy của Chi cục vào hệ thống"


def born(n: int) -> datetime.date:
    return datetime.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)


def male(n: int) -> bool:
    return n % 2 == 1


def cccd(n: int) -> str:
    """Person n's CCCD: province 001, then sex and century, then the birth year, as a CCCD encodes them."""
    return f"001{0 if male(n) else 1}{born(n).year % 100:02d}{n:06d}"


def person(n: int, **overrides) -> dict:
    row = {
        "citizen_id": cccd(n),
        "full_name": f"Nguyễn Văn Số {n}",
        "date_of_birth": born(n),
        "sex": "Nam" if male(n) else "Nữ",
        "place_of_birth": "Hà Nội",
        "rank_code": "01.003",
        "salary_step": 3,
        "salary_coefficient": Decimal("3.00"),
        "employment_status": "Công chức",
        "qualification": "Đại học",
        "recruitment_date": "01/09/2010",  # typed as text, as in a template column formatted as text
    }
    row.update(overrides)
    return row


def work_rows(n: int) -> list[dict]:
    return [
        {
            "citizen_id": cccd(n),
            "start_date": "01/09/2005",
            "end_date": "31/08/2010",
            "organisation": "Trường Đại học Kinh tế",
            "title": "Sinh viên",
        },
        {
            "citizen_id": cccd(n),
            "start_date": "01/09/2010",
            "organisation": "Chi cục Thuế khu vực I",
            "title": "Chuyên viên",
        },
    ]


def people_rows(count: int) -> dict:
    """`count` people, each with two work periods, a salary change and an evaluation."""
    return {
        Employee: [person(n) for n in range(count)],
        WorkHistory: [row for n in range(count) for row in work_rows(n)],
        SalaryHistory: [
            {
                "citizen_id": cccd(n),
                "effective_date": datetime.date(2019, 1, 1),
                "rank_code": "01.003",
                "salary_step": 3,
                "salary_coefficient": "3,00",
                "decision_number": f"{n}/QĐ-CCT",
            }
            for n in range(count)
        ],
        Evaluation: [{"citizen_id": cccd(n), "year": 2024, "rating": "Hoàn thành tốt nhiệm vụ"} for n in range(count)],
    }


def xlsx(rows: dict, name="ho-so.xlsx", **kwargs) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    imports.build_workbook(rows=rows, **kwargs).save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, unit, file, *, capture, reason=REASON):
    """Post the upload form as an officer would; the validation task runs when the upload commits."""
    with capture(execute=True):
        response = client.post(reverse("records:import-new"), {"unit": unit.pk, "file": file, "reason": reason})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.latest("pk")


def approve(client, approver, batch, *, capture):
    client.force_login(approver)
    with capture(execute=True):
        response = decide(client, batch.change_request, "approve")
    assert response.status_code == 302
    batch.refresh_from_db()
    return batch


def error_rows(batch) -> set:
    return {(e["sheet"], e["row"]) for e in batch.errors}


# --- acceptance: 1,000 people -----------------------------------------------------------------


def test_file_with_three_bad_rows_among_1000_imports_nothing_and_reports_exactly_those_rows(
    officer, tree, people, django_capture_on_commit_callbacks
):
    rows = people_rows(1000)
    rows[Employee][10]["date_of_birth"] = "31/02/1985"  # no such day: sheet row 13
    rows[Employee][500]["salary_coefficient"] = "3,10"  # not the coefficient of step 3: row 503
    rows[WorkHistory][41]["start_date"] = "01/01/2009"  # overlaps the first period: row 44
    before = Employee.objects.count()

    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.INVALID
    assert error_rows(batch) == {("Cán bộ", 13), ("Cán bộ", 503), ("Quá trình công tác", 44)}
    by_row = {e["row"]: e for e in batch.errors}
    assert by_row[13]["column"] == "Ngày sinh" and by_row[13]["cell"] == "D13"
    assert "dd/mm/yyyy" in by_row[13]["message"]
    assert by_row[503]["column"] == "Hệ số lương"
    assert "Hệ số lương bậc 3 của ngạch 01.003 là 3,00" in by_row[503]["message"]
    assert "chồng lấn" in by_row[44]["message"]
    assert batch.change_request is None
    assert Employee.objects.count() == before
    assert not ChangeRequest.objects.filter(kind=ChangeRequest.Kind.IMPORT).exists()

    page = officer.get(reverse("records:import-detail", args=[batch.pk])).content.decode()
    assert "Quá trình công tác" in page and "D13" in page and "không dòng nào được nhập" in page


def test_corrected_file_imports_all_1000_with_history_and_importing_it_again_adds_nothing(
    officer, client, tree, people, django_capture_on_commit_callbacks
):
    rows = people_rows(1000)
    batch = upload(
        officer, tree["kv1"], xlsx(rows, name="chi-cuc-kv1.xlsx"), capture=django_capture_on_commit_callbacks
    )

    assert batch.status == ImportBatch.Status.SUBMITTED, [e["message"] for e in batch.errors[:5]]
    change_request = batch.change_request
    assert change_request.kind == ChangeRequest.Kind.IMPORT
    assert change_request.title == "Nhập tệp chi-cuc-kv1.xlsx: 1000 cán bộ"
    assert change_request.operations == []
    assert Employee.objects.filter(managing_unit=tree["kv1"]).count() == 0  # nothing before approval
    assert batch.summary["sheets"][0] == {"title": "Cán bộ", "created": 1000, "updated": 0, "unchanged": 0}

    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.rows_done == batch.rows_total == 5000 and batch.progress_percent == 100
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPLIED and change_request.applied_at
    assert change_request.process.status == "DONE"
    kv1 = Employee.objects.filter(managing_unit=tree["kv1"])
    assert kv1.count() == 1000
    assert WorkHistory.objects.filter(employee__managing_unit=tree["kv1"]).count() == 2000
    assert SalaryHistory.objects.filter(employee__managing_unit=tree["kv1"]).count() == 1000
    assert Evaluation.objects.filter(employee__managing_unit=tree["kv1"]).count() == 1000
    first = kv1.get(citizen_id=cccd(1))
    assert first.employment_status == Employee.EmploymentStatus.CIVIL_SERVANT
    assert first.recruitment_date == datetime.date(2010, 9, 1)
    assert first.qualification == Employee.Qualification.BACHELOR

    row = first.history.get()
    assert row.change_request == change_request
    assert "chi-cuc-kv1.xlsx" in row.history_change_reason
    assert row.proposed_by == people["canbo_kv1"] and row.approved_by == people["lanhdao_kv1"]
    assert WorkHistory.history.filter(change_request=change_request).count() == 2000
    history_rows = Employee.history.count() + WorkHistory.history.count()

    officer.force_login(people["canbo_kv1"])
    again = upload(
        officer, tree["kv1"], xlsx(rows, name="chi-cuc-kv1.xlsx"), capture=django_capture_on_commit_callbacks
    )

    assert again.status == ImportBatch.Status.APPLIED
    assert again.summary["nothing_to_change"] is True and again.change_request is None
    assert again.summary["sheets"][1] == {"title": "Quá trình công tác", "created": 0, "updated": 0, "unchanged": 2000}
    assert kv1.count() == 1000
    assert WorkHistory.objects.filter(employee__managing_unit=tree["kv1"]).count() == 2000
    assert Employee.history.count() + WorkHistory.history.count() == history_rows
    assert ChangeRequest.objects.filter(kind=ChangeRequest.Kind.IMPORT).count() == 1


# --- matching people and rows -----------------------------------------------------------------


def test_cccd_managed_by_another_unit_is_an_error_row(
    officer, tree, people, loader, django_capture_on_commit_callbacks
):
    make_employee(
        tree["kv2"],
        loader,
        citizen_id=cccd(2),
        full_name="Trần Thị Bình",
        sex=Employee.Sex.FEMALE,
        date_of_birth=born(2),
    )
    rows = people_rows(3)

    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.INVALID
    assert error_rows(batch) == {("Cán bộ", 5)}
    assert "đơn vị khác quản lý" in batch.errors[0]["message"]
    assert "Chi cục Thuế khu vực II" not in batch.errors[0]["message"]  # the other unit is not disclosed
    assert Employee.objects.get(citizen_id=cccd(2)).managing_unit == tree["kv2"]


def test_existing_people_are_updated_where_the_file_differs_and_left_alone_where_identical(
    officer, client, tree, people, loader, django_capture_on_commit_callbacks
):
    rows = people_rows(3)
    approve(
        client,
        people["lanhdao_kv1"],
        upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks),
        capture=django_capture_on_commit_callbacks,
    )
    rows[Employee][1]["salary_step"] = 4
    rows[Employee][1]["salary_coefficient"] = "3.33"
    rows[WorkHistory][3]["title"] = "Phó Đội trưởng"  # same start date: the same period, retitled
    rows[Evaluation].append({"citizen_id": cccd(1), "year": 2023, "rating": "Hoàn thành xuất sắc nhiệm vụ"})

    officer.force_login(people["canbo_kv1"])
    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.SUBMITTED
    sheets = {s["title"]: s for s in batch.summary["sheets"]}
    assert sheets["Cán bộ"] == {"title": "Cán bộ", "created": 0, "updated": 1, "unchanged": 2}
    assert sheets["Quá trình công tác"]["updated"] == 1 and sheets["Quá trình công tác"]["created"] == 0
    assert sheets["Đánh giá, xếp loại"]["created"] == 1
    assert batch.summary["updated_people"] == [
        {"row": 4, "citizen_id": cccd(1), "full_name": "Nguyễn Văn Số 1", "fields": ["Bậc lương", "Hệ số lương"]}
    ]
    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.APPLIED
    employee = Employee.objects.get(citizen_id=cccd(1))
    assert (employee.salary_step, employee.salary_coefficient) == (4, Decimal("3.33"))
    latest = employee.history.latest()
    assert latest.history_type == "~" and latest.change_request == batch.change_request
    assert Employee.objects.get(citizen_id=cccd(0)).history.count() == 1  # identical row: no new version
    assert list(employee.work_history.values_list("title", flat=True)) == ["Sinh viên", "Phó Đội trưởng"]
    assert employee.evaluations.count() == 2


def test_sub_records_may_be_added_to_people_already_on_file(
    officer, tree, people, loader, django_capture_on_commit_callbacks
):
    employee = make_employee(tree["kv1"], loader, citizen_id=cccd(7), date_of_birth=born(7))
    batch = upload(
        officer,
        tree["kv1"],
        xlsx(
            {FamilyMember: [{"citizen_id": cccd(7), "relation": "Mẹ", "full_name": "Lê Thị Hoa", "birth_year": 1955}]}
        ),
        capture=django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportBatch.Status.SUBMITTED
    assert batch.change_request.title == "Nhập tệp ho-so.xlsx: 1 cán bộ"
    assert employee.family.count() == 0


def test_unknown_cccd_on_a_sub_record_sheet_and_duplicates_are_reported(
    officer, tree, people, django_capture_on_commit_callbacks
):
    rows = people_rows(2)
    rows[Employee].append(person(1, full_name="Nguyễn Văn Trùng"))  # row 5 repeats row 4's CCCD
    rows[Training] = [
        {
            "citizen_id": cccd(99),
            "kind": "Bồi dưỡng",
            "name": "Quản lý thuế",
            "start_date": "01/03/2020",
            "end_date": "30/03/2020",
        },
        {
            "citizen_id": cccd(0),
            "kind": "Bồi dưỡng",
            "name": "Quản lý thuế",
            "start_date": "01/03/2020",
            "end_date": "30/03/2020",
        },
        {
            "citizen_id": cccd(0),
            "kind": "bồi dưỡng",
            "name": "Quản lý  thuế",
            "start_date": "01/03/2020",
            "mode": "Học hàm thụ",
        },
    ]

    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.INVALID
    messages = {(e["sheet"], e["row"], e["column"]): e["message"] for e in batch.errors}
    assert messages[("Cán bộ", 5, "Số CCCD")] == "Số CCCD trùng với dòng 4."
    assert "Không có cán bộ có số CCCD này" in messages[("Đào tạo, bồi dưỡng", 3, "Số CCCD của cán bộ")]
    assert messages[("Đào tạo, bồi dưỡng", 5, "")].startswith("Trùng với dòng 4")
    assert messages[("Đào tạo, bồi dưỡng", 5, "Hình thức")].startswith(
        "Giá trị “Học hàm thụ” không hợp lệ; chọn một trong: Chính quy"
    )


def test_cells_typed_as_numbers_and_dates_are_read_as_the_template_means(
    officer, tree, people, django_capture_on_commit_callbacks
):
    rows = {
        Employee: [
            person(
                5,
                citizen_id=int(cccd(5)),
                date_of_birth=datetime.date(1985, 3, 14),
                salary_coefficient=3.0,
                position_allowance="0,2",
                position="Đội trưởng",
            )
        ]
    }
    with tracked_change(ChangeContext(reason="Dữ liệu kiểm thử", approved_by=people["lanhdao_kv1"])):
        Position.objects.create(unit=tree["kv1"], name="Đội trưởng", is_leadership=True)

    batch = upload(officer, tree["kv1"], xlsx(rows), capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.SUBMITTED, batch.errors


def test_position_not_of_the_unit_and_missing_columns_and_foreign_sheets_are_reported(
    officer, tree, people, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    workbook = imports.build_workbook(rows={Employee: [person(1, position="Giám đốc")]})
    workbook.create_sheet("Ghi chú của tôi")
    sheet = workbook["Khen thưởng"]
    sheet.delete_cols(2)  # the year column, which is required and part of the natural key
    workbook.save(buffer)

    batch = upload(
        officer,
        tree["kv1"],
        SimpleUploadedFile("ho-so.xlsx", buffer.getvalue()),
        capture=django_capture_on_commit_callbacks,
    )

    messages = [e["message"] for e in batch.errors]
    assert batch.status == ImportBatch.Status.INVALID
    assert "Đơn vị Chi cục Thuế khu vực I không có chức vụ “Giám đốc”." in messages
    assert any(m.startswith("Thiếu cột bắt buộc: Năm") for m in messages)
    assert any("Ghi chú của tôi" in m for m in messages)


def test_a_file_that_is_not_a_workbook_is_refused(officer, tree, people, django_capture_on_commit_callbacks):
    response = officer.post(
        reverse("records:import-new"),
        {"unit": tree["kv1"].pk, "file": SimpleUploadedFile("ho-so.xlsx", b"not a zip"), "reason": REASON},
    )
    assert response.status_code == 200
    assert "Tệp không phải là tệp Excel .xlsx." in response.content.decode()
    assert not ImportBatch.objects.exists()


# --- approval outcomes ------------------------------------------------------------------------


def test_rejected_import_writes_nothing_and_the_batch_shows_it(
    officer, client, tree, people, django_capture_on_commit_callbacks
):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(2)), capture=django_capture_on_commit_callbacks)
    client.force_login(people["lanhdao_kv1"])
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, batch.change_request, "reject", "Tệp chưa được lãnh đạo ký duyệt").status_code == 302

    page = client.get(reverse("records:import-detail", args=[batch.pk])).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert "Tệp chưa được lãnh đạo ký duyệt" in page
    assert not Employee.objects.filter(managing_unit=tree["kv1"]).exists()


def test_data_changed_after_validation_returns_the_request_and_writes_nothing(
    officer, client, tree, people, loader, django_capture_on_commit_callbacks
):
    batch = upload(officer, tree["kv1"], xlsx(people_rows(3)), capture=django_capture_on_commit_callbacks)
    # Hired by another unit while the file waited for approval:
    make_employee(
        tree["kv2"],
        loader,
        citizen_id=cccd(2),
        full_name="Trần Thị Bình",
        sex=Employee.Sex.FEMALE,
        date_of_birth=born(2),
    )
    # committed, as the other unit's request would be: its history row linked into the ledger,
    # where the apply looks for what changed since the check (workflows.imports.plan)
    settle()

    batch = approve(client, people["lanhdao_kv1"], batch, capture=django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.FAILED
    assert error_rows(batch) == {("Cán bộ", 5)}
    change_request = batch.change_request
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.RETURNED
    assert "ho-so.xlsx" in change_request.decision_comment
    assert open_task(change_request, ChangeRequestFlow.rework).owner == people["canbo_kv1"]
    assert not Employee.objects.filter(managing_unit=tree["kv1"]).exists()
    assert not WorkHistory.objects.exists()


# --- pages and who may use them -----------------------------------------------------------------


def test_template_documents_every_column_with_vietnamese_labels_and_allowed_values(officer, tree):
    response = officer.get(reverse("records:import-template") + f"?unit={tree['kv1'].pk}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames[0] == "Hướng dẫn"
    assert {
        "Cán bộ",
        "Quá trình công tác",
        "Diễn biến lương",
        "Đào tạo, bồi dưỡng",
        "Khen thưởng",
        "Kỷ luật",
        "Đánh giá, xếp loại",
        "Quan hệ gia đình",
    } <= set(workbook.sheetnames)
    employees = workbook["Cán bộ"]
    assert employees.row_dimensions[1].hidden
    keys = [c.value for c in employees[1]]
    assert keys[0] == "citizen_id" and set(Employee.CHANGEABLE_FIELDS) == set(keys)
    assert [c.value for c in employees[2]][:2] == ["Số CCCD", "Họ và tên khai sinh"]
    assert [c.value for c in workbook["Quá trình công tác"][1]][0] == "citizen_id"
    documented = {(row[0], row[2]) for row in workbook["Hướng dẫn"].iter_rows(values_only=True) if row[2]}
    for sheet in imports.sheets():
        for column in sheet.columns:
            assert (sheet.title, column.key) in documented
    text = " ".join(str(v) for row in workbook["Hướng dẫn"].iter_rows(values_only=True) for v in row if v)
    assert "Công chức; Viên chức; Hợp đồng lao động" in text and "dd/mm/yyyy" in text
