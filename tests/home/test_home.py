"""Each role's home page: "/" lands on it; the work waiting (inbox, queue, due work) and the
requests one submitted, with where each stands; for approvers, inspectors and viewers the
figures of their scope (and only of it) with charts drawn on the server; a fixed number of
queries whatever the data."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duedates.services import refresh_due_items
from home import charts
from home.selectors import workforce_figures
from records.models import Employee
from tests.conftest import make_employee, make_user, setup_context
from units.models import Role, StaffingQuota, Unit
from workflows import changesets, services
from workflows.models import ChangeRequest

HOME = "home:index"


def cid(born: datetime.date, serial: int, sex: str = "male") -> str:
    """A CCCD matching the birth year and sex (province 001)."""
    code = (0 if born.year < 2000 else 2) + (0 if sex == "male" else 1)
    return f"001{code}{born.year % 100:02d}{serial:06d}"


def submit(people, tree, employee, values=None):
    return services.submit_change_request(
        kind=ChangeRequest.Kind.EMPLOYEE,
        unit=tree["kv1"],
        submitted_by=people["canbo_kv1"],
        operations=[changesets.make_update(Employee.objects.get(pk=employee.pk), values or {"main_duties": "Kế toán"})],
        reason="Cập nhật",
        title=f"Cập nhật hồ sơ {employee.full_name}",
        employee=employee,
        subject_model="records.employee",
        subject_pk=employee.pk,
    )


def page(client, user):
    client.force_login(user)
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return response.content.decode()


def svgs(html):
    return re.findall(r"<svg\b.*?</svg>", html, re.S)


@pytest.mark.django_db
def test_the_site_root_and_the_login_land_on_the_home_page(client, people):
    client.force_login(people["canbo_kv1"])
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].rstrip("/").endswith(reverse(HOME).rstrip("/"))
    client.logout()
    response = client.get(reverse(HOME))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_officer_sees_their_request_waiting_at_its_level_and_no_figures(client, people, tree, employee_kv1):
    change_request = submit(people, tree, employee_kv1)
    html = page(client, people["canbo_kv1"])
    assert "Yêu cầu tôi đã gửi" in html
    assert change_request.title in html
    assert "Chờ phê duyệt cấp 1: Chi cục Thuế khu vực I" in html
    assert reverse("changerequest:process_detail", args=[change_request.process_id]) in html
    assert "Số liệu đơn vị" not in html and not svgs(html)
    assert "Yêu cầu chờ tôi phê duyệt" not in html  # an officer approves nothing


@pytest.mark.django_db
def test_officer_sees_a_returned_request_as_returned(client, people, tree, employee_kv1):
    change_request = submit(people, tree, employee_kv1)
    services.decide_change_request(
        change_request=change_request, user=people["lanhdao_kv1"], decision="return", comment="Thiếu căn cứ"
    )
    html = page(client, people["canbo_kv1"])
    assert "Trả lại để chỉnh sửa" in html
    assert "Chờ phê duyệt cấp" not in html


@pytest.mark.django_db
def test_approver_sees_the_request_in_their_queue_with_its_age_and_the_charts(client, people, tree, employee_kv1):
    change_request = submit(people, tree, employee_kv1)
    html = page(client, people["lanhdao_kv1"])
    assert "Yêu cầu chờ tôi phê duyệt" in html
    assert change_request.title in html
    task = change_request.process.task_set.get(flow_task_type="HUMAN", status="NEW")
    assert reverse("changerequest:approve:index", args=[change_request.process_id, task.pk]) in html
    assert "hôm nay" in html
    assert len(svgs(html)) == 5
    # Another Chi cục's approver sees neither the request nor KV1's people.
    other = page(client, people["lanhdao_kv2"])
    assert change_request.title not in other
    assert "Nguyễn Văn An" not in other


@pytest.mark.django_db
def test_charts_are_inline_svg_without_style_or_script_and_scale_to_their_box(client, people, tree, employee_kv1):
    html = page(client, people["xem_cuc"])
    for svg in svgs(html):
        assert "<style" not in svg and "<script" not in svg
        assert 'role="img"' in svg and "aria-label=" in svg
        assert "width=" not in svg.split(">", 1)[0]  # a viewBox only: CSS gives it the box's width
    assert "Chưa có số liệu" not in html  # there is data: one person


@pytest.mark.django_db
def test_figures_count_the_scope_only_by_status_sex_and_age_band(tree, people, loader):
    today = timezone.localdate()
    born = lambda age: datetime.date(today.year - age - 1, 1, 1)  # noqa: E731
    make_employee(tree["kv1"], loader, citizen_id=cid(born(25), 101), date_of_birth=born(25))
    make_employee(
        tree["kv1"], loader, citizen_id=cid(born(45), 102, "female"), sex=Employee.Sex.FEMALE, date_of_birth=born(45)
    )
    make_employee(
        tree["kv2"],
        loader,
        citizen_id=cid(born(55), 103, "female"),
        sex=Employee.Sex.FEMALE,
        date_of_birth=born(55),
        employment_status=Employee.EmploymentStatus.CONTRACT,
    )
    make_employee(tree["kho_bac"], loader, citizen_id=cid(born(35), 104), date_of_birth=born(35))  # outside the Cục
    figures = workforce_figures(user=people["xem_cuc"])
    assert figures["total"] == 3
    assert figures["by_status"] == {"civil_servant": 2, "contract": 1}
    assert figures["by_sex_band"] == {("male", "under_30"): 1, ("female", "40_49"): 1, ("female", "50_59"): 1}
    units = {u["name"]: sum(u["actual"].values()) for u in figures["units"]}
    assert units == {
        "Chi cục Thuế khu vực I": 2,
        "Chi cục Thuế khu vực II": 1,
        "Cục Thuế (tại đơn vị)": 0,
    } or units == {
        "Chi cục Thuế khu vực I": 2,
        "Chi cục Thuế khu vực II": 1,
        "Cục Thuế": 0,
    }
    # An officer oversees nothing: no figures.
    assert workforce_figures(user=people["canbo_kv1"]) is None


@pytest.mark.django_db
def test_quota_use_and_retirements_due(client, tree, people, loader):
    today = timezone.localdate()
    retiring = datetime.date(today.year - 62, today.month, 1) + datetime.timedelta(days=45)
    make_employee(tree["kv1"], loader, citizen_id=cid(retiring, 201), date_of_birth=retiring, full_name="Trần Văn Hưu")
    with setup_context(loader):
        StaffingQuota.objects.create(
            unit=Unit.objects.get(pk=tree["kv1"].pk),
            year=today.year,
            category=StaffingQuota.Category.CIVIL_SERVANT,
            approved=4,
        )
    refresh_due_items()
    figures = workforce_figures(user=people["lanhdao_kv1"])
    (kv1,) = figures["units"]
    assert kv1["approved"]["civil_servant"] == 4 and kv1["actual"]["civil_servant"] == 1
    assert figures["due"]["retirements"] == sum(n for _m, n in figures["retirements"])
    html = page(client, people["lanhdao_kv1"])
    assert "25,0%" in html  # 1 of 4, with the decimal comma
    assert reverse("units:quota-report") + f"?parent={tree['kv1'].pk}" in html


@pytest.mark.django_db
def test_numbers_print_with_the_vietnamese_thousands_separator(settings):
    from django.utils import translation

    with translation.override("vi"):
        assert charts.vi_number(100000) == "100.000"
        svg = charts.columns("Thử", ["01/2027"], [12345], "Nghỉ hưu")
    assert "12.345" in svg


@pytest.mark.django_db
def test_superuser_and_someone_without_grant_get_a_page_with_what_they_may_open(client, people, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    html = page(client, admin)
    assert reverse("admin:index") in html and not svgs(html)
    html = page(client, people["nobody"])
    assert reverse("admin:index") not in html
    assert reverse("records:employee-list") in html
    assert reverse("changerequest:inbox") not in html


@pytest.mark.django_db
def test_inspector_gets_charts_and_the_access_log_link(client, people, employee_kv1):
    html = page(client, people["thanhtra_cuc"])
    assert len(svgs(html)) == 5
    assert reverse("records:access-log") in html
    assert reverse("units:grant-list") not in html


@pytest.mark.django_db
def test_the_figures_are_kept_per_user_for_a_few_minutes(people, tree, loader):
    make_employee(tree["kv1"], loader, citizen_id="001085000301")
    assert workforce_figures(user=people["xem_cuc"])["total"] == 1
    make_employee(tree["kv1"], loader, citizen_id="001085000302")
    assert workforce_figures(user=people["xem_cuc"])["total"] == 1  # kept
    assert workforce_figures(user=people["lanhdao_kv1"])["total"] == 2  # another user's own figures
    cache.clear()
    assert workforce_figures(user=people["xem_cuc"])["total"] == 2


def _grow(tree, people, loader, start, stop):
    """People in new units under the Cục and in KV1, requests waiting, due items."""
    for n in range(start, stop):
        with setup_context(loader):
            unit = Unit.objects.add_child(
                Unit.objects.get(pk=tree["cuc"].pk),
                {"code": f"BTC.CT.H{n:02d}", "name": f"Đội số {n}", "kind": Unit.Kind.BRANCH},
            )
        make_employee(unit, loader, citizen_id=f"0010850007{n:02d}", full_name=f"Người đội {n}")
        born = datetime.date(1965, 1 + n % 12, 1)
        employee = make_employee(tree["kv1"], loader, citizen_id=cid(born, 800 + n), date_of_birth=born)
        submit(people, tree, employee, {"main_duties": f"Việc {n}"})
        make_user(f"nguoi_{n}", (tree["kv1"], Role.VIEWER))
    refresh_due_items()


@pytest.mark.parametrize("username", ["canbo_kv1", "lanhdao_kv1", "xem_cuc", "lanhdao_cuc"])
def test_the_home_page_takes_the_same_queries_whatever_the_data(client, tree, people, loader, username):
    make_employee(tree["kv1"], loader, citizen_id="001085000499", full_name="Người đầu tiên")
    client.force_login(people[username])

    def count():
        client.get(reverse(HOME))  # warm: sessions, content types
        cache.clear()  # the figures computed afresh, not read from the cache
        client.force_login(people[username])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(HOME))
        assert response.status_code == 200
        return len(queries)

    _grow(tree, people, loader, 0, 2)
    few = count()
    _grow(tree, people, loader, 2, 7)
    assert count() == few


@pytest.mark.django_db
def test_the_queue_card_reads_the_approval_units_once(people, tree, employee_kv1):
    """The queue card's rows and its count are built on one reading of the approver's units
    (workflows.list_pages.queue_units): on a fresh user object (nothing remembered) the grants
    and the delegations are read once each, then the unit's range, the page's tasks and the
    capped count."""
    from django.contrib.auth import get_user_model

    from home.selectors import queue_tasks

    submit(people, tree, employee_kv1)
    user = get_user_model().objects.get(pk=people["lanhdao_kv1"].pk)
    with CaptureQueriesContext(connection) as queries:
        queue = queue_tasks(user=user)
    assert queue.count == 1 and len(queue.rows) == 1
    sqls = [query["sql"] for query in queries]
    assert sum(sql.startswith('SELECT "units_rolegrant"') for sql in sqls) == 1, sqls
    assert sum(sql.startswith('SELECT "workflows_delegation"') for sql in sqls) == 1, sqls
    assert len(sqls) == 5, sqls
