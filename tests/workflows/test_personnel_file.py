"""Three of the four information groups through the UI: one request with several changes
applied together or not at all, new hires, transfers approved by both units, unit data, each
visible in history as old → new (inspection work: tests/inspections)."""

import datetime

from django.urls import reverse

from records.models import Discipline, Employee, Evaluation, Training
from tests.pages import submit_page
from units.models import StaffingQuota, Unit
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest

from .conftest import decide, open_task, propose, propose_step, salary_row

TRAINING = {
    "kind": "course",
    "name": "QLNN ngạch chuyên viên chính",
    "institution": "Học viện Hành chính Quốc gia",
    "start_date": "2024-03-04",
    "end_date": "2024-05-31",
    "mode": "in_service",
}
DISCIPLINE = {
    "form": "reprimand",
    "reason": "Chậm nộp báo cáo",
    "effective_from": "2025-01-10",
    "effective_to": "2026-01-10",
    "decision_number": "12/QĐ-CCT",
    "decision_date": "2025-01-10",
}


def test_one_request_changes_a_field_and_adds_training_and_discipline_together(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(
        client,
        employee_kv1,
        reason="Cập nhật hồ sơ sau bồi dưỡng",
        foreign_language="Tiếng Anh B2",
        add={"training": [TRAINING], "discipline": [DISCIPLINE]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change_request = ChangeRequest.objects.get()
    assert [op["action"] for op in change_request.operations] == ["update", "create", "create"]

    client.force_login(people["lanhdao_kv1"])
    decide(client, change_request, "approve")
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPLIED
    assert Employee.objects.get(pk=employee_kv1.pk).foreign_language == "Tiếng Anh B2"
    training = Training.objects.get(employee=employee_kv1)
    discipline = Discipline.objects.get(employee=employee_kv1)
    for row in (
        training.history.get(),
        discipline.history.get(),
        Employee.objects.get(pk=employee_kv1.pk).history.latest(),
    ):
        assert row.change_request == change_request
        assert row.proposed_by == people["canbo_kv1"] and row.approved_by == people["lanhdao_kv1"]

    client.force_login(people["thanhtra_cuc"])
    page = client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode()
    assert "Bồi dưỡng QLNN ngạch chuyên viên chính, 03/2024–05/2024" in page
    assert "Khiển trách: Chậm nộp báo cáo" in page
    assert '<td class="qlcb-old">—</td><td class="qlcb-new">Tiếng Anh B2</td>' in page


def test_a_set_that_fails_at_apply_time_applies_nothing(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    evaluation = {"year": "2024", "rating": "good"}
    propose(client, employee_kv1, reason="Đánh giá 2024", add={"evaluation": [evaluation]})
    propose(
        client,
        employee_kv1,
        reason="Cập nhật nhiều mục",
        foreign_language="Tiếng Pháp",
        add={"training": [TRAINING], "evaluation": [{"year": "2024", "rating": "excellent"}]},
    )
    first, second = ChangeRequest.objects.order_by("pk")

    client.force_login(people["lanhdao_kv1"])
    decide(client, first, "approve")
    decide(client, second, "approve")  # its evaluation for 2024 now duplicates the first one's
    second.refresh_from_db()
    assert second.status == ChangeRequest.Status.RETURNED
    assert "Không áp dụng được" in second.decision_comment
    assert Employee.objects.get(pk=employee_kv1.pk).foreign_language == ""
    assert not Training.objects.exists()
    assert Evaluation.objects.get().rating == "good"
    assert open_task(second, ChangeRequestFlow.rework).owner == people["canbo_kv1"]


def test_invalid_rows_are_refused_in_vietnamese_and_nothing_is_submitted(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    bad_discipline = {**DISCIPLINE, "effective_to": "2024-01-01"}
    response = propose(client, employee_kv1, foreign_language="Tiếng Anh", add={"discipline": [bad_discipline]})
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()

    response = propose_step(client, employee_kv1, 4, "3.00")  # the coefficient of step 3
    assert "Hệ số lương bậc 4 của ngạch 01.003 là 3,33." in response.content.decode()

    work = [
        {"start_date": "2010-01-01", "end_date": "2015-12-31", "organisation": "Cục Thuế", "title": "Chuyên viên"},
        {"start_date": "2015-06-01", "end_date": "", "organisation": "Chi cục Thuế KV I", "title": "Chuyên viên"},
    ]
    response = propose(client, employee_kv1, add={"workhistory": work})
    assert "Quá trình công tác chồng lấn" in response.content.decode()

    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = propose(client, employee_kv1, recruitment_date=future)
    assert "Ngày không được ở tương lai." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_new_hire_is_created_only_after_approval(client, people, tree):
    client.force_login(people["canbo_kv1"])
    url = reverse("records:employee-new", args=[tree["kv1"].pk])
    response = submit_page(
        client,
        url,
        reason="Tiếp nhận theo QĐ 45/QĐ-CT",
        fields={
            "full_name": "Hoàng Minh Đức",
            "date_of_birth": "1995-07-20",
            "sex": "male",
            "citizen_id": "001095000777",
            "employment_status": "civil_servant",
        },
        add={
            "training": [
                {
                    **TRAINING,
                    "kind": "degree",
                    "name": "Cử nhân Kinh tế",
                    "start_date": "2013-09-01",
                    "end_date": "2017-06-30",
                }
            ],
            "salaryhistory": [salary_row(1, "2.34", on="2024-03-01", decision="45/QĐ-CT")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Employee.objects.filter(citizen_id="001095000777").exists()
    change_request = ChangeRequest.objects.get()
    assert change_request.kind == ChangeRequest.Kind.NEW_HIRE and change_request.employee is None

    client.force_login(people["lanhdao_kv1"])
    decide(client, change_request, "approve")
    hired = Employee.objects.get(citizen_id="001095000777")
    assert hired.managing_unit == tree["kv1"]
    assert Training.objects.get(employee=hired).name == "Cử nhân Kinh tế"
    change_request.refresh_from_db()
    assert change_request.employee == hired
    assert hired.history.get().change_request == change_request

    client.force_login(people["canbo_kv2"])  # another unit cannot hire into KV1
    assert client.get(url).status_code == 404


def test_transfer_needs_both_units_and_moves_the_person(client, people, tree, employee_kv1):
    client.force_login(people["canbo_kv1"])
    url = reverse("records:employee-transfer", args=[employee_kv1.pk])
    response = client.post(url, {"target_unit": tree["kv2"].pk, "reason": "Điều động theo QĐ 99/QĐ-CT"})
    assert response.status_code == 302
    transfer = ChangeRequest.objects.get()
    assert transfer.approval_units() == [tree["kv1"], tree["kv2"]]

    client.force_login(people["lanhdao_kv2"])  # not yet: the sending unit decides first
    assert transfer.pk not in queue_ids(client)
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, transfer, "approve").status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.SUBMITTED and transfer.pending_unit == tree["kv2"]
    assert Employee.objects.get(pk=employee_kv1.pk).managing_unit == tree["kv1"]
    assert decide(client, transfer, "approve").status_code == 403  # nor the second level

    client.force_login(people["lanhdao_kv2"])
    assert transfer.pk in queue_ids(client)
    page = client.get(reverse("changerequest:process_detail", args=[transfer.process_id])).content.decode()
    assert "Chi cục Thuế khu vực I" in page
    assert decide(client, transfer, "approve").status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.APPLIED
    assert list(transfer.decisions.values_list("decided_by__username", "level")) == [
        ("lanhdao_kv1", 0),
        ("lanhdao_kv2", 1),
    ]

    client.force_login(people["canbo_kv1"])
    assert client.get(reverse("records:employee-detail", args=[employee_kv1.pk])).status_code == 404
    assert employee_kv1.pk not in {e.pk for e in client.get(reverse("records:employee-list")).context["page"]}
    client.force_login(people["canbo_kv2"])
    assert employee_kv1.pk in {e.pk for e in client.get(reverse("records:employee-list")).context["page"]}
    history = client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode()
    assert (
        '<td class="qlcb-old">Chi cục Thuế khu vực I</td><td class="qlcb-new">Chi cục Thuế khu vực II</td>' in history
    )


def queue_ids(client):
    response = client.get(reverse("changerequest:queue"))
    return {task.process.change_request.pk for task in response.context["object_list"]}


def test_unit_details_and_quotas_change_through_a_request(client, people, tree):
    kv1 = tree["kv1"]
    client.force_login(people["canbo_kv1"])
    response = submit_page(
        client,
        reverse("units:unit-propose", args=[kv1.pk]),
        reason="Giao biên chế năm 2026 theo QĐ 7/QĐ-CT",
        fields={"address": "12 Lý Thường Kiệt, Hà Nội"},
        add={
            "staffingquota": [
                {"year": "2026", "category": "civil_servant", "approved": "40", "decision_number": "7/QĐ-CT"}
            ],
            "position": [{"name": "Đội trưởng", "posts": "4", "is_leadership": "on"}],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not StaffingQuota.objects.exists()
    client.force_login(people["lanhdao_kv1"])
    decide(client, ChangeRequest.objects.get(), "approve")
    assert Unit.objects.get(pk=kv1.pk).address == "12 Lý Thường Kiệt, Hà Nội"
    assert StaffingQuota.objects.get(unit=kv1, year=2026).approved == 40

    client.force_login(people["xem_cuc"])  # the upper unit reads it, and cannot change it
    page = client.get(reverse("units:unit-history", args=[kv1.pk])).content.decode()
    assert "Biên chế Công chức năm 2026: 40" in page
    assert '<td class="qlcb-new">12 Lý Thường Kiệt, Hà Nội</td>' in page
    assert client.get(reverse("units:unit-propose", args=[kv1.pk])).status_code == 403


def test_sensitive_sections_only_for_the_managing_unit_and_inspectors(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    propose(client, employee_kv1, health_status="Bệnh mãn tính", add={"discipline": [DISCIPLINE]})
    client.force_login(people["lanhdao_kv1"])
    decide(client, ChangeRequest.objects.get(), "approve")
    url = reverse("records:employee-detail", args=[employee_kv1.pk])
    for username, sees in (("canbo_kv1", True), ("thanhtra_cuc", True), ("xem_cuc", False)):
        client.force_login(people[username])
        page = client.get(url).content.decode()
        assert ("Chậm nộp báo cáo" in page) is sees, username
        history = client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode()
        assert ("Chậm nộp báo cáo" in history) is sees, username
        assert ("Bệnh mãn tính" in page) is sees and ("Bệnh mãn tính" in history) is sees, username


def test_detail_page_queries_do_not_grow_with_rows(client, people, employee_kv1, django_assert_max_num_queries):
    client.force_login(people["canbo_kv1"])
    rows = [{**TRAINING, "name": f"Khoá {i}"} for i in range(6)]
    propose(client, employee_kv1, add={"training": rows, "discipline": [DISCIPLINE]})
    client.force_login(people["lanhdao_kv1"])
    decide(client, ChangeRequest.objects.get(), "approve")
    client.force_login(people["canbo_kv1"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("records:employee-detail", args=[employee_kv1.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Khoá ") == 6


def test_request_page_hides_sensitive_changes_from_upper_viewers(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    propose(client, employee_kv1, health_status="Bệnh mãn tính", add={"discipline": [DISCIPLINE]})
    change_request = ChangeRequest.objects.get()
    url = reverse("changerequest:process_detail", args=[change_request.process_id])
    for username, sees in (("lanhdao_kv1", True), ("thanhtra_cuc", True), ("xem_cuc", False)):
        client.force_login(people[username])
        page = client.get(url).content.decode()
        assert ("Bệnh mãn tính" in page) is sees, username
        assert ("Chậm nộp báo cáo" in page) is sees, username


def test_citizen_id_must_match_sex_and_birth_year(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    response = propose(client, employee_kv1, citizen_id="001185000001")  # female code for a man
    assert "Số CCCD không khớp với giới tính và năm sinh." in response.content.decode()
    response = propose(client, employee_kv1, citizen_id="099085000001")
    assert "mã tỉnh từ 001 đến 096" in response.content.decode()
    assert propose(client, employee_kv1, citizen_id="079085123456").status_code == 302


def test_a_new_unit_is_founded_through_a_request_of_its_parent(client, people, tree):
    from tests.conftest import make_user
    from units.models import Role

    officer = make_user("canbo_cuc", (tree["cuc"], Role.OFFICER))
    client.force_login(officer)
    response = submit_page(
        client,
        reverse("units:unit-new", args=[tree["cuc"].pk]),
        reason="QĐ 88/QĐ-BTC thành lập Chi cục Thuế khu vực III",
        fields={
            "code": "BTC.CT.KV3",
            "name": "Chi cục Thuế khu vực III",
            "kind": "sub_agency",
            "founding_decision_number": "88/QĐ-BTC",
        },
        add={"staffingquota": [{"year": "2026", "category": "civil_servant", "approved": "25"}]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not Unit.objects.filter(code="BTC.CT.KV3").exists()
    change_request = ChangeRequest.objects.get()
    assert change_request.unit == tree["cuc"]

    client.force_login(people["lanhdao_cuc"])
    assert decide(client, change_request, "approve").status_code == 302
    kv3 = Unit.objects.get(code="BTC.CT.KV3")
    assert Unit.objects.get_parent(kv3) == tree["cuc"]
    assert StaffingQuota.objects.get(unit=kv3).approved == 25
    assert kv3.history.get().change_request == change_request
    client.force_login(people["xem_cuc"])  # who only reads the Cục cannot found units under it
    assert client.get(reverse("units:unit-new", args=[tree["cuc"].pk])).status_code == 403
    client.force_login(people["canbo_kv1"])  # and a child unit's officer does not even see the page
    assert client.get(reverse("units:unit-new", args=[tree["cuc"].pk])).status_code == 404


def test_a_long_reason_is_kept_whole_in_history(client, people, employee_kv1):
    reason = "Nâng bậc lương thường xuyên theo Quyết định số 1234/QĐ-CCT ngày 15/10/2026 của Chi cục trưởng " * 3
    client.force_login(people["canbo_kv1"])
    assert propose_step(client, employee_kv1, 4, "3.33", reason=reason).status_code == 302
    client.force_login(people["lanhdao_kv1"])
    decide(client, ChangeRequest.objects.get(), "approve")
    assert Employee.objects.get(pk=employee_kv1.pk).history.latest().history_change_reason == reason.strip()
