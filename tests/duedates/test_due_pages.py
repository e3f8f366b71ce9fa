"""The due lists through the pages: scope (own unit acts, upper units read their subtree,
outsiders see nothing), filters, "as of" another date, bad input, the person's page and the
explanation of a date, masked for readers who may not see sanctions."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from duedates.models import DueItem
from duedates.services import refresh_due_items
from records.models import AccessLog, Discipline, Employee
from records.models.employee import today
from tests.conftest import make_employee, rewriting_history, setup_context
from tracking.context import ChangeContext, tracked_change

D = datetime.date
URL = "duedates:due-list"


@pytest.fixture
def staff(tree, loader):
    """In KV1: An (01.003, A1, step 3 since 14/03/2023, born 10/05/1966: retires 2026) with a
    warning; in KV2: Bình (step 2 since 01/06/2024); in Kho bạc: Cường."""
    an = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001066000001",
        full_name="Nguyễn Văn An",
        date_of_birth=D(1966, 5, 10),
        salary_effective_date=D(2023, 3, 14),
    )
    binh = make_employee(
        tree["kv2"],
        loader,
        citizen_id="001185000002",
        full_name="Trần Thị Bình",
        sex=Employee.Sex.FEMALE,
        salary_step=2,
        salary_coefficient=Decimal("2.67"),
        salary_effective_date=D(2024, 6, 1),
    )
    cuong = make_employee(
        tree["kho_bac"],
        loader,
        citizen_id="001085000003",
        full_name="Lê Văn Cường",
        salary_effective_date=D(2025, 1, 2),
    )
    with setup_context(loader):
        Discipline.objects.create(employee=an, form="warning", reason="Vi phạm giờ giấc", effective_from=D(2024, 6, 3))
    refresh_due_items()
    return {"an": an, "binh": binh, "cuong": cuong}


def backdate(*models, days):
    """Date the history rows written so far `days` ago, in their order (test data loaded
    earlier than today)."""
    start = timezone.now() - datetime.timedelta(days=days)
    with rewriting_history():
        for model in models:
            for history_id in model.history.order_by("history_id").values_list("history_id", flat=True):
                model.history.filter(history_id=history_id).update(
                    history_date=start + datetime.timedelta(seconds=history_id)
                )


def names(response):
    return {row["employee"].full_name for row in response.context["rows"]}


def test_an_officer_sees_their_unit_and_may_act(client_for, people, staff):
    client = client_for(people["canbo_kv1"])
    response = client.get(reverse(URL))
    assert response.status_code == 200
    assert names(response) == {"Nguyễn Văn An"}
    assert all(row["can_act"] for row in response.context["rows"])
    body = response.content.decode()
    assert "Danh sách việc đến hạn" in body and "Nâng bậc lương thường xuyên" in body and "Nghỉ hưu" in body
    assert "Đề xuất thay đổi" in body
    # The warning that delayed the step by 6 months, with its rule's legal source.
    assert "Kéo dài 6 tháng: Cảnh cáo (hiệu lực 03/06/2024)" in body
    assert "08/2013/TT-BNV" in body
    # Every rule named by its row and legal source, never by an internal id.
    assert "Quy định áp dụng: Kéo dài thời gian nâng bậc lương: Cảnh cáo (Công chức): +6 — " in body
    assert "Extension:" not in body and "HoldingPeriod:" not in body and "RetirementAge:" not in body


def test_an_upper_unit_sees_the_subtree_read_only_with_sanctions_masked(client_for, people, staff):
    client = client_for(people["xem_cuc"])
    response = client.get(reverse(URL))
    assert names(response) == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert not any(row["can_act"] for row in response.context["rows"])
    body = response.content.decode()
    assert "Chỉ xem" in body and "Đề xuất thay đổi" not in body
    assert "Cảnh cáo" not in body and "Kéo dài 6 tháng: (nội dung được bảo vệ)" in body


def test_an_inspector_above_sees_the_sanction(client_for, people, staff):
    body = client_for(people["thanhtra_cuc"]).get(reverse(URL)).content.decode()
    assert "Kéo dài 6 tháng: Cảnh cáo (hiệu lực 03/06/2024)" in body


def test_an_outsider_gets_403_and_no_menu_entry(client_for, people, staff):
    client = client_for(people["nobody"])
    assert client.get(reverse(URL)).status_code == 403
    assert client.get(reverse("duedates:due-person", args=[staff["an"].pk])).status_code == 403
    home = client.get(reverse("records:employee-list")).content.decode()
    menu = f'href="{reverse("duedates:index")}"'
    assert menu not in home
    other = client_for(people["canbo_kb"])
    assert menu in other.get(reverse("records:employee-list")).content.decode()
    assert names(other.get(reverse(URL))) == {"Lê Văn Cường"}
    # Another unit's person: not disclosed.
    assert other.get(reverse("duedates:due-person", args=[staff["an"].pk])).status_code == 404


def test_filters_kind_unit_window_overdue_and_name(client_for, people, staff, tree):
    client = client_for(people["lanhdao_cuc"])
    kinds = lambda r: {row["item"].kind for row in r.context["rows"]}  # noqa: E731
    assert kinds(client.get(reverse(URL), {"kind": "retirement"})) == {"retirement"}
    assert names(client.get(reverse(URL), {"unit": tree["kv2"].pk})) == {"Trần Thị Bình"}
    assert names(client.get(reverse(URL), {"q": "binh"})) == {"Trần Thị Bình"}
    # An's step: 14/03/2026 + 6 (warning) = 14/09/2026; Bình's: 01/06/2027.
    window = client.get(reverse(URL), {"kind": "salary_step", "due_from": "01/09/2026", "due_to": "30/09/2026"})
    assert [row["item"].due_date for row in window.context["rows"]] == [D(2026, 9, 14)]
    overdue = client.get(reverse(URL), {"kind": "salary_step", "overdue": "on", "as_of": "2026-12-31"})
    assert names(overdue) == {"Nguyễn Văn An"}


def test_a_unit_outside_the_scope_or_a_bad_date_is_a_vietnamese_error(client_for, people, staff, tree):
    client = client_for(people["canbo_kv1"])
    response = client.get(reverse(URL), {"due_from": "31/02/2026"})
    assert response.status_code == 200
    assert "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm" in response.content.decode()
    assert response.context["rows"] == []
    response = client.get(reverse(URL), {"unit": tree["kho_bac"].pk})
    assert "Đơn vị này không có trong phạm vi bạn được xem." in response.content.decode()
    response = client.get(reverse(URL), {"due_from": "2026-10-01", "due_to": "2026-01-01"})
    assert "phải sau hoặc bằng" in response.content.decode()
    response = client.get(reverse(URL), {"as_of": "abc"})
    assert "Ngày không hợp lệ" in response.content.decode()
    response = client.get(reverse("duedates:due-person", args=[staff["an"].pk]), {"as_of": "99/99/9999"})
    assert response.status_code == 400 and "Ngày không hợp lệ" in response.content.decode()


def test_the_person_page_explains_each_date_and_logs_the_read(client_for, people, staff):
    client = client_for(people["canbo_kv1"])
    response = client.get(reverse("duedates:due-person", args=[staff["an"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ngày sinh: 10/05/1966" in body
    assert "Bậc hiện hưởng 3 từ ngày 14/03/2023; thời gian giữ bậc 36 tháng; lên bậc 4" in body
    assert "Hạn thông báo" in body and "Hưởng lương hưu từ" in body
    assert AccessLog.objects.filter(employee=staff["an"], user=people["canbo_kv1"]).exists()


def test_as_of_a_past_date_reads_the_file_as_it_stood(client_for, people, staff, loader):
    """A raise recorded now (step 4 from 14/09/2026) moves today's item; as of a day before the
    raise was recorded, the list still shows the step then due."""
    # The file as loaded ten days ago (its history rows dated so), the raise recorded today.
    backdate(Employee, Discipline, days=10)
    before = today() - datetime.timedelta(days=1)
    with tracked_change(ChangeContext(reason="Nâng bậc", approved_by=loader)):
        an = Employee.objects.get(pk=staff["an"].pk)
        an.salary_step, an.salary_effective_date = 4, D(2026, 9, 14)
        an.save()
    refresh_due_items()
    client = client_for(people["canbo_kv1"])
    now = client.get(reverse(URL), {"kind": "salary_step"})
    assert [row["item"].due_date for row in now.context["rows"]] == [D(2029, 9, 14)]
    assert not now.context["computed"]
    then = client.get(reverse(URL), {"kind": "salary_step", "as_of": before.isoformat()})
    assert then.context["computed"]
    assert [row["item"].due_date for row in then.context["rows"]] == [D(2026, 9, 14)]


def test_as_of_a_future_date_changes_what_is_overdue(client_for, people, staff):
    client = client_for(people["lanhdao_cuc"])
    # Bình's step falls due on 01/06/2027: overdue as of 2027-12-31, not as of 2027-01-01.
    early = client.get(reverse(URL), {"kind": "salary_step", "overdue": "on", "as_of": "01/01/2027"})
    late = client.get(reverse(URL), {"kind": "salary_step", "overdue": "on", "as_of": "31/12/2027"})
    assert "Trần Thị Bình" not in names(early)
    assert "Trần Thị Bình" in names(late)
    # An (born 05/1966) reaches 62 in May 2028, the age for 2028: retires at the end of May 2028.
    retire = client.get(reverse(URL), {"kind": "retirement", "overdue": "on", "as_of": "01/06/2028"})
    assert [(r["employee"].full_name, r["item"].due_date) for r in retire.context["rows"]] == [
        ("Nguyễn Văn An", D(2028, 5, 31))
    ]
    assert names(client.get(reverse(URL), {"kind": "retirement", "overdue": "on", "as_of": "31/05/2028"})) == set()


def test_cannot_compute_lists_the_reason(client_for, people, tree, loader):
    make_employee(tree["kv1"], loader, citizen_id="001085000009", full_name="Phạm Văn Dũng")  # no step date
    refresh_due_items()
    response = client_for(people["canbo_kv1"]).get(reverse(URL), {"kind": "cannot_compute"})
    assert names(response) == {"Phạm Văn Dũng"}
    assert "Chưa có ngày hưởng bậc lương hiện hưởng." in response.content.decode()
    assert DueItem.objects.filter(kind="cannot_compute").count() == 1


def _walk(client, query):
    """Every row of every page, following the "next" links."""
    seen, url = [], reverse(URL) + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    for _page in range(20):
        response = client.get(url)
        seen += [(row["employee"].pk, row["item"].kind) for row in response.context["rows"]]
        page = response.context["page"]
        if not page.has_next:
            return seen
        url = reverse(URL) + "?" + page.next_query
    raise AssertionError("too many pages")


def test_keyset_pages_neither_skip_nor_repeat(client_for, people, staff, tree, loader, monkeypatch):
    from duedates import selectors

    for n in range(5):
        make_employee(
            tree["kv1"],
            loader,
            citizen_id=f"00107000090{n}",
            full_name=f"Đỗ Văn Số {n}",
            date_of_birth=D(1970, 3, 1),
            salary_effective_date=D(2024, 1, 1),  # the same due dates: ties broken by id
        )
    refresh_due_items()
    monkeypatch.setattr(selectors, "PER_PAGE", 3)
    monkeypatch.setattr(selectors, "PEOPLE_PER_PAGE", 2)
    client = client_for(people["canbo_kv1"])
    stored = _walk(client, {})
    assert len(stored) == len(set(stored)) == DueItem.objects.filter(employee__managing_unit=tree["kv1"]).count()
    # As of a past date, computed a page of people at a time: the same items (nothing changed
    # since but the history is dated today, so date it earlier first).
    backdate(Employee, Discipline, days=3)
    computed = _walk(client, {"as_of": (today() - datetime.timedelta(days=1)).isoformat()})
    assert sorted(computed) == sorted(stored)


def test_computed_items_equal_the_stored_ones(staff):
    """The on-the-fly computation (as of a date) and the stored items agree for today's file."""
    from duedates.selectors import compute_items

    computed = compute_items([p.pk for p in staff.values()], today())
    for person in staff.values():
        stored = {(i.kind, i.due_date, i.notice_deadline, i.reason) for i in DueItem.objects.filter(employee=person)}
        assert {(i.kind, i.due_date, i.notice_deadline, i.reason) for i in computed[person.pk]} == stored


def test_as_of_reads_each_person_history_not_another_row(tree, loader):
    """On a history table "pk" is the history row's key: a person whose history rows do not
    share their ids still gets their own inputs, and someone not on file then gets none."""
    from duedates.selectors import compute_items

    first = make_employee(tree["kv1"], loader, citizen_id="001085000801", salary_effective_date=D(2022, 1, 3))
    for step in (4, 5):  # two more history rows for the first person
        with tracked_change(ChangeContext(reason="Sửa", approved_by=loader)):
            row = Employee.objects.get(pk=first.pk)
            row.salary_step, row.salary_effective_date = step, D(2023 + step - 4, 1, 3)
            row.save()
    second = make_employee(
        tree["kv1"],
        loader,
        citizen_id="001085000802",
        full_name="Trần Văn Hai",
        salary_step=2,
        salary_coefficient=Decimal("2.67"),
        salary_effective_date=D(2025, 2, 7),
    )
    backdate(Employee, Discipline, days=3)
    with tracked_change(ChangeContext(reason="Tiếp nhận", approved_by=loader)):
        later = make_employee(tree["kv1"], loader, citizen_id="001085000803", full_name="Lê Văn Ba")
    items = compute_items([first.pk, second.pk, later.pk], today() - datetime.timedelta(days=1))
    assert set(items) == {first.pk, second.pk}
    steps = {pk: [i.due_date for i in found if i.kind == "salary_step"] for pk, found in items.items()}
    assert steps == {first.pk: [D(2027, 1, 3)], second.pk: [D(2028, 2, 7)]}


def test_the_check_and_the_filter_of_each_rule_agree(people, staff):
    from duedates import permissions

    items = list(DueItem.objects.select_related("employee__managing_unit"))
    for user in people.values():
        visible = set(DueItem.objects.filter(permissions.visible_due_items_q(user)).values_list("pk", flat=True))
        may_act = permissions.act_checker(user)
        may_see_inputs = permissions.inputs_checker(user)
        for item in items:
            unit = item.employee.managing_unit
            assert permissions.can_view_due_item(user, item) == (item.pk in visible)
            assert permissions.can_act_on_due_item(user, item) == may_act(unit.pk, unit.path)
            assert permissions.can_view_due_inputs(user, item.employee) == may_see_inputs(unit.pk, unit.path)
        assert permissions.can_view_due_items(user) == bool(visible)  # every grant here covers someone
