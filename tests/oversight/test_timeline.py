"""The inspectors' timeline (issue #11, part 1): who sees which changes, the filters in the URL,
old → new and every level's decision, masking, the read log, keyset paging, the exports."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.timeline import list_timeline
from oversight.timeline_forms import Filters
from records.export_jobs import running
from records.models import AccessLog, Employee, ExportJob, ExportLog
from tests.conftest import make_employee, make_user
from units.models import Role
from workflows import changesets, services
from workflows.models import ChangeRequest, touched_tokens
from workflows.permissions import can_view_timeline, timeline_q

TIMELINE = "oversight:timeline"


def propose(officer, employee, values, reason="Cập nhật hồ sơ"):
    employee = Employee.objects.get(pk=employee.pk)
    return services.submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=employee.managing_unit,
        submitted_by=officer,
        operations=[changesets.make_update(employee, values)],
        reason=reason,
        title=str(employee),
        employee=employee,
        subject_model="records.employee",
        subject_pk=employee.pk,
    )


def approve(change_request, approver):
    return services.decide_change_request(
        change_request=ChangeRequest.objects.get(pk=change_request.pk), user=approver, decision="approve"
    )


@pytest.fixture
def changes(people, tree, loader, employee_kv1, employee_kv2):
    """A change in each Chi cục, approved; one in Kho bạc, waiting."""
    kv1 = propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Kiểm tra thuế doanh nghiệp"}, "Giao việc mới")
    approve(kv1, people["lanhdao_kv1"])
    kv2 = propose(people["canbo_kv2"], employee_kv2, {"main_duties": "Quản lý nợ thuế"}, "Phân công lại")
    approve(kv2, people["lanhdao_kv2"])
    employee_kb = make_employee(tree["kho_bac"], loader, citizen_id="001085000009", full_name="Lê Văn Kho")
    kb = propose(people["canbo_kb"], employee_kb, {"main_duties": "Kiểm soát chi"}, "Điều chỉnh")
    return {"kv1": kv1, "kv2": kv2, "kb": kb}


def page(client, **query):
    response = client.get(reverse(TIMELINE), query)
    return response, response.content.decode()


def test_the_cuc_inspector_sees_the_cuc_and_both_chi_cuc_and_kho_bac_none(client_for, people, tree, changes):
    response, body = page(client_for(people["thanhtra_cuc"]))
    assert response.status_code == 200
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body
    assert "Kiểm tra thuế doanh nghiệp" in body and "Quản lý nợ thuế" in body  # the new values
    assert "Giao việc mới" in body and "Phân công lại" in body  # the reasons
    assert "Lê Văn Kho" not in body and "Kiểm soát chi" not in body
    assert "lanhdao_kv1" in body and "Phê duyệt" in body  # each level's decision, by whom
    assert "0 ngày làm việc" in body  # the time the request spent at the level

    thanhtra_kb = make_user("thanhtra_kb", (tree["kho_bac"], Role.INSPECTOR))
    response, body = page(client_for(thanhtra_kb))
    assert response.status_code == 200
    assert "Nguyễn Văn An" not in body and "Trần Thị Bình" not in body
    assert "Lê Văn Kho" in body


def test_old_and_new_values_of_an_applied_change(client_for, people, employee_kv1, changes):
    employee = Employee.objects.get(pk=employee_kv1.pk)
    request = propose(people["canbo_kv1"], employee, {"main_duties": "Thanh tra nội bộ"})
    approve(request, people["lanhdao_kv1"])
    _, body = page(client_for(people["thanhtra_cuc"]), request=request.pk)
    assert "Kiểm tra thuế doanh nghiệp → Thanh tra nội bộ" in body
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" not in body


def test_the_filters_combine_and_live_in_the_url(client_for, people, changes):
    client = client_for(people["thanhtra_cuc"])
    today = timezone.localdate().strftime("%d/%m/%Y")
    _, body = page(client, approver="lanhdao_kv1", date_from=today, date_to=today)
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" not in body
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    _, body = page(client, approver="lanhdao_kv1", date_to=yesterday)
    assert "Nguyễn Văn An" not in body
    _, body = page(client, proposer="canbo_kv2", status="applied")
    assert "Trần Thị Bình" in body and "Nguyễn Văn An" not in body
    _, body = page(client, unit="BTC.CT.KV2")
    assert "Trần Thị Bình" in body and "Nguyễn Văn An" not in body
    _, body = page(client, unit="BTC.CT", only_unit="on")  # nothing managed by the Cục itself
    assert "Trần Thị Bình" not in body and "Nguyễn Văn An" not in body
    _, body = page(client, category="position", field="f:records.employee.main_duties")
    assert "Trần Thị Bình" in body and "Nguyễn Văn An" in body
    _, body = page(client, category="salary")
    assert "Trần Thị Bình" not in body and "Nguyễn Văn An" not in body
    _, body = page(client, person=changes["kv2"].employee_id)
    assert "Trần Thị Bình" in body and "Nguyễn Văn An" not in body


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "31/02/2026"}, "dd/mm/yyyy"),
        ({"unit": "BTC.KB"}, "Không có đơn vị mã “BTC.KB” trong phạm vi bạn được xem."),
        ({"unit": "KHONGCO"}, "Không có đơn vị mã “KHONGCO” trong phạm vi bạn được xem."),
        ({"approver": "khong_co_ai"}, "Không có tài khoản “khong_co_ai”."),
        ({"person": "abc"}, "Mã hồ sơ cán bộ phải là một số nguyên dương."),
        ({"request": "-3"}, "Mã yêu cầu phải là một số nguyên dương."),
        ({"status": "xyz"}, "Trạng thái không hợp lệ."),
        ({"category": "xyz"}, "Loại dữ liệu không hợp lệ."),
        ({"field": "f:records.employee.password"}, "Trường dữ liệu không hợp lệ."),
        ({"date_from": "02/01/2026", "date_to": "01/01/2026"}, "“Gửi đến ngày” phải sau hoặc bằng “Gửi từ ngày”."),
    ],
)
def test_bad_filters_are_a_vietnamese_message(client_for, people, changes, query, message):
    response, body = page(client_for(people["thanhtra_cuc"]), **query)
    assert response.status_code == 400
    assert message in body
    assert "Nguyễn Văn An" not in body


def test_a_person_of_another_subtree_is_refused_as_unknown(client_for, people, changes):
    response, body = page(client_for(people["thanhtra_cuc"]), person=changes["kb"].employee_id)
    assert response.status_code == 400
    assert "trong phạm vi bạn được xem" in body


def test_who_may_read_it(client_for, people, tree, changes):
    assert can_view_timeline(people["thanhtra_cuc"]) and can_view_timeline(people["xem_cuc"])
    for name in ("canbo_kv1", "lanhdao_kv1", "nobody"):
        assert not can_view_timeline(people[name])
        assert client_for(people[name]).get(reverse(TIMELINE)).status_code == 403
    # The check and the filter are one rule.
    visible = set(ChangeRequest.objects.filter(timeline_q(people["thanhtra_cuc"])).values_list("pk", flat=True))
    assert visible == {changes["kv1"].pk, changes["kv2"].pk}


def test_the_menu_entry_is_shown_exactly_to_readers(client_for, people, changes):
    # The site's menu links each section it shows by its index; the section's own menu, the page.
    body = client_for(people["thanhtra_cuc"]).get(reverse("records:employee-list")).content.decode()
    assert f'href="{reverse("oversight:index")}"' in body
    assert reverse(TIMELINE) in client_for(people["thanhtra_cuc"]).get(reverse(TIMELINE)).content.decode()
    body = client_for(people["canbo_kv1"]).get(reverse("records:employee-list")).content.decode()
    assert f'href="{reverse("oversight:index")}"' not in body


def test_sensitive_values_are_masked_for_a_viewer_not_for_the_inspector(client_for, people, employee_kv1):
    request = propose(people["canbo_kv1"], employee_kv1, {"permanent_address": "12 Phố Huế, Hà Nội"})
    approve(request, people["lanhdao_kv1"])
    _, body = page(client_for(people["thanhtra_cuc"]))
    assert "12 Phố Huế, Hà Nội" in body
    _, body = page(client_for(people["xem_cuc"]))
    assert "Nguyễn Văn An" in body
    assert "12 Phố Huế, Hà Nội" not in body and "•••" in body


def test_masking_is_decided_per_unit_on_a_page_of_two_units(client_for, people, tree, employee_kv1, employee_kv2):
    """The right to sensitive data is asked once per page and unit, and applied to each row by
    its own unit: a reader with a grant on Chi cục KV1 (its own people) and a viewer above both
    sees KV1's addresses, old → new and proposed, and only masks of KV2's."""
    for employee, officer, approver, old, new in (
        (employee_kv1, "canbo_kv1", "lanhdao_kv1", "1 Tràng Tiền", "2 Hàng Bài"),
        (employee_kv2, "canbo_kv2", "lanhdao_kv2", "3 Lê Lợi", "4 Đồng Khởi"),
    ):
        approve(propose(people[officer], employee, {"permanent_address": old}), people[approver])
        approve(propose(people[officer], employee, {"permanent_address": new}), people[approver])
        propose(people[officer], employee, {"permanent_address": new + " (đề xuất)"})
    reader = make_user("xem_hai_cap", (tree["cuc"], Role.VIEWER), (tree["kv1"], Role.VIEWER))
    response, body = page(client_for(reader))
    assert response.status_code == 200
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body  # both units on the one page
    assert "1 Tràng Tiền → 2 Hàng Bài" in body and "→ 2 Hàng Bài (đề xuất)" in body
    assert "3 Lê Lợi" not in body and "4 Đồng Khởi" not in body
    assert "••• → •••" in body and "→ •••" in body
    _, body = page(client_for(people["thanhtra_cuc"]))  # the inspector above both sees both
    assert "1 Tràng Tiền → 2 Hàng Bài" in body and "3 Lê Lợi → 4 Đồng Khởi" in body
    assert "→ 4 Đồng Khởi (đề xuất)" in body


def test_a_proposal_naming_a_field_the_model_no_longer_has_still_shows(client_for, people, employee_kv1):
    """A waiting request keeps its operations as proposed: a field since removed from the model
    is left out of what it shows, the page is not an error."""
    request = propose(people["canbo_kv1"], employee_kv1, {"main_duties": "Kiểm tra nội bộ"})
    operations = ChangeRequest.objects.get(pk=request.pk).operations
    operations[0]["values"]["a_field_since_removed"] = "x"
    ChangeRequest.objects.filter(pk=request.pk).update(operations=operations)
    response, body = page(client_for(people["thanhtra_cuc"]))
    assert response.status_code == 200
    assert "→ Kiểm tra nội bộ" in body and "a_field_since_removed" not in body


def test_the_page_logs_one_read(client_for, people, changes):
    client = client_for(people["thanhtra_cuc"])
    before = AccessLog.objects.count()
    page(client)
    logs = AccessLog.objects.order_by("-pk")[: AccessLog.objects.count() - before]
    assert [(log.kind, log.row_count) for log in logs] == [(AccessLog.Kind.HISTORY, 2)]


def test_the_xlsx_export_is_a_logged_background_job(client_for, people, changes):
    client = client_for(people["thanhtra_cuc"])
    response = client.post(reverse("oversight:timeline-export"), {"approver": "lanhdao_kv1"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("records:export-detail", args=[job.pk])
    assert running.run_export_job(job_id=job.pk) == ExportJob.Status.DONE
    download = client.get(reverse("records:export-download", args=[job.pk]))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Mã yêu cầu", "Thời điểm gửi", "Đơn vị"]
    assert [row[3] for row in rows[1:]] == ["Nguyễn Văn An"]
    assert "Kiểm tra thuế doanh nghiệp" in rows[1][6] and "lanhdao_kv1" in rows[1][10]
    log = ExportLog.objects.get()
    assert log.kind == ExportLog.Kind.TIMELINE and log.row_count == 1 and log.user == people["thanhtra_cuc"]
    assert log.parameters["approver"] == "lanhdao_kv1"


def test_a_bad_export_filter_starts_no_job(client_for, people, changes):
    response = client_for(people["thanhtra_cuc"]).post(reverse("oversight:timeline-export"), {"unit": "BTC.KB"})
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_the_pdf_report_is_a_logged_background_job_with_its_row_filter(client_for, people, changes):
    client = client_for(people["thanhtra_cuc"])
    assert client.get(reverse("oversight:timeline-pdf"), {"unit": "BTC.CT"}).status_code == 405  # not in the request
    response = client.post(reverse("oversight:timeline-pdf"), {"unit": "BTC.CT", "status": "applied"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("records:export-detail", args=[job.pk])
    assert job.kind == "timeline_pdf" and job.parameters["status"] == "applied"
    status = running.run_export_job(job_id=job.pk)
    job.refresh_from_db()
    if status == ExportJob.Status.FAILED and "thư viện tạo tệp PDF" in job.error:
        pytest.skip("WeasyPrint's system libraries are missing here")
    assert status == ExportJob.Status.DONE and job.rows_total == 2 and job.rows_done == 2
    assert job.file_name.endswith(".pdf") and not ExportLog.objects.exists()  # logged at the download
    download = client.get(reverse("records:export-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    log = ExportLog.objects.get()
    assert log.kind == ExportLog.Kind.TIMELINE_PDF and log.row_count == 2 and log.parameters["status"] == "applied"


def test_outsiders_may_not_export(client_for, people, changes):
    client = client_for(people["canbo_kv1"])
    assert client.post(reverse("oversight:timeline-export"), {}).status_code == 403
    assert client.post(reverse("oversight:timeline-pdf"), {}).status_code == 403
    assert not ExportJob.objects.exists() and not ExportLog.objects.exists()


def test_touched_tokens_name_categories_tables_and_fields():
    tokens = touched_tokens(
        kind="employee",
        operations=[
            {"action": "update", "model": "records.employee", "pk": 1, "values": {"salary_step": 4}},
            {"action": "create", "model": "records.training", "values": {"major": "Luật"}},
        ],
    )
    assert tokens == [
        "c:salary",
        "c:training",
        "f:records.employee.salary_step",
        "f:records.training.major",
        "m:records.employee",
        "m:records.training",
    ]
    assert touched_tokens(kind="transfer", operations=[]) == ["c:transfer"]


def _grow(people, employee_kv1, start, stop):
    for n in range(start, stop):
        request = propose(people["canbo_kv1"], employee_kv1, {"main_duties": f"Việc số {n}"})
        if n % 2 == 0:
            approve(request, people["lanhdao_kv1"])


def test_keyset_pages_walk_every_request_once(client_for, people, employee_kv1):
    _grow(people, employee_kv1, 0, 7)
    client = client_for(people["thanhtra_cuc"])
    import oversight.timeline as timeline

    seen, query = [], {}
    original = timeline.PER_PAGE
    timeline.PER_PAGE = 3
    try:
        for _ in range(5):
            response = client.get(reverse(TIMELINE) + ("?" + query if query else ""))
            seen += [entry.request.pk for entry in response.context["entries"]]
            if not response.context["page"].has_next:
                break
            query = response.context["page"].next_query
    finally:
        timeline.PER_PAGE = original
    expected = list(list_timeline(user=people["thanhtra_cuc"], filters=Filters()).values_list("pk", flat=True))
    assert seen == expected and len(seen) == 7


def test_the_page_takes_the_same_queries_whatever_the_rows(client_for, people, employee_kv1, employee_kv2):
    client = client_for(people["thanhtra_cuc"])

    def count(**query):
        client.get(reverse(TIMELINE), query)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(TIMELINE), query)
        assert response.status_code == 200
        return len(queries)

    _grow(people, employee_kv1, 0, 2)
    propose(people["canbo_kv2"], employee_kv2, {"main_duties": "Việc khác"})
    few = count(), count(approver="lanhdao_kv1", category="position")
    _grow(people, employee_kv1, 2, 9)
    assert (count(), count(approver="lanhdao_kv1", category="position")) == few
