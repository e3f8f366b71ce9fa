"""Inspection work through the UI: a plan with its inspections proposed and approved as one
request, follow-ups added to an inspection, the history of it all, and who sees which plans."""

from django.urls import reverse

from inspections.models import FollowUpAction, Inspection, InspectionPlan
from tests.pages import submit_page
from tests.workflows.conftest import decide
from tracking.context import ChangeContext, tracked_change
from units.models import Role, RoleGrant
from workflows.models import ChangeRequest


def test_inspection_plan_inspections_and_follow_ups(client, people, tree):
    cuc = tree["cuc"]
    officer = people["lanhdao_cuc"]  # officer and approver of the Cục: cannot approve own request
    client.force_login(officer)
    response = submit_page(
        client,
        reverse("inspections:plan-new", args=[cuc.pk]),
        reason="Kế hoạch kiểm tra năm 2026",
        fields={"year": "2026", "title": "Kiểm tra công tác cán bộ 2026", "decision_number": "1/QĐ-CT"},
        add={
            "inspection": [
                {
                    "inspected_unit": tree["kv1"].pk,
                    "scope": "Công tác quản lý hồ sơ cán bộ",
                    "start_date": "2026-03-02",
                    "end_date": "2026-03-13",
                    "team": "Trưởng đoàn: Nguyễn Văn Kiểm\nThành viên: Trần Thị Tra",
                }
            ]
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change_request = ChangeRequest.objects.get()
    assert decide(client, change_request, "approve").status_code == 403

    approver = people["lanhdao_kv1"]
    RoleGrant.objects.create(user=approver, unit=cuc, role=Role.APPROVER)
    client.force_login(approver)
    decide(client, change_request, "approve")
    plan = InspectionPlan.objects.get()
    inspection = Inspection.objects.get(plan=plan)
    assert inspection.inspected_unit == tree["kv1"]

    client.force_login(officer)
    response = submit_page(
        client,
        reverse("inspections:inspection-propose", args=[inspection.pk]),
        reason="Kết luận kiểm tra",
        fields={"findings": "Hồ sơ 3 cán bộ thiếu bản khai 2C"},
        add={"followupaction": [{"description": "Bổ sung bản khai 2C", "deadline": "2026-06-30", "status": "open"}]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.force_login(approver)
    decide(client, ChangeRequest.objects.latest("pk"), "approve")
    assert inspection.follow_ups.get().description == "Bổ sung bản khai 2C"

    client.force_login(people["thanhtra_cuc"])
    page = client.get(reverse("inspections:plan-history", args=[plan.pk])).content.decode()
    assert '<td class="qlcb-new">Hồ sơ 3 cán bộ thiếu bản khai 2C</td>' in page
    assert "Bổ sung bản khai 2C — hạn 30/06/2026" in page
    assert client.get(reverse("inspections:plan-detail", args=[plan.pk])).status_code == 200
    client.force_login(people["canbo_kb"])
    assert client.get(reverse("inspections:plan-detail", args=[plan.pk])).status_code == 404


def plan_of(unit, title, loader):
    with tracked_change(ChangeContext(reason="Dữ liệu kiểm thử", approved_by=loader)):
        plan = InspectionPlan.objects.create(unit=unit, year=2026, title=title)
        inspection = Inspection.objects.create(
            plan=plan, inspected_unit=unit, scope="Hồ sơ cán bộ", start_date="2026-03-02", team="Trưởng đoàn: A"
        )
        FollowUpAction.objects.create(inspection=inspection, description="Bổ sung hồ sơ", deadline="2026-06-30")
    return plan


def test_the_plan_list_shows_the_plans_of_the_units_one_may_see(client, people, tree, loader):
    of_cuc = plan_of(tree["cuc"], "Kế hoạch của Cục Thuế", loader)
    of_kv1 = plan_of(tree["kv1"], "Kế hoạch của Chi cục KV1", loader)
    of_kho_bac = plan_of(tree["kho_bac"], "Kế hoạch của Kho bạc", loader)
    url = reverse("inspections:plan-list")

    client.force_login(people["thanhtra_cuc"])  # the Cục and its Chi cục, not the Kho bạc
    page = client.get(url).content.decode()
    assert of_cuc.title in page and of_kv1.title in page and of_kho_bac.title not in page

    client.force_login(people["canbo_kv1"])  # its own unit only, not the Cục above it
    page = client.get(url).content.decode()
    assert of_kv1.title in page and of_cuc.title not in page and of_kho_bac.title not in page


def test_the_unit_page_links_the_plans_the_unit_made(client, people, tree, loader):
    plan = plan_of(tree["kv1"], "Kế hoạch của Chi cục KV1", loader)
    client.force_login(people["canbo_kv1"])
    page = client.get(reverse("units:unit-detail", args=[tree["kv1"].pk])).content.decode()
    assert reverse("inspections:plan-detail", args=[plan.pk]) in page
    assert reverse("inspections:plan-new", args=[tree["kv1"].pk]) in page
