"""The search box: people, units and requests found by words typed with or without diacritics
(Đ, tones, any word order), each group within the user's scope, a request by its number and by
the person's name, a fixed number of queries whatever was found, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home import search
from records.models import Employee
from tests.conftest import make_employee, setup_context
from tests.workflows.conftest import propose_step
from units.models import Unit
from workflows.models import ChangeRequest

NAMES = ["Nguyễn Văn Hùng", "Đặng Thị Thu", "Dương Văn Dũng", "Nguyễn Thị Hà", "Trần Văn Nguyên"]


@pytest.fixture
def named(tree, loader):
    return {
        name: make_employee(tree["kv1"], loader, citizen_id=f"0010850002{n:02d}", full_name=name)
        for n, name in enumerate(NAMES)
    }


def names(rows) -> list[str]:
    return [row.full_name for row in rows]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        # every word typed begins a word of the name, in any order; in Vietnamese order (given name first)
        ("nguyen van", ["Nguyễn Văn Hùng", "Trần Văn Nguyên"]),  # no diacritics
        ("NGUYỄN VĂN", ["Nguyễn Văn Hùng", "Trần Văn Nguyên"]),  # with diacritics and capitals
        ("nguyen thi", ["Nguyễn Thị Hà"]),
        ("thi nguyen", ["Nguyễn Thị Hà"]),  # any word order
        ("dang", ["Đặng Thị Thu"]),  # đ typed as d
        ("đặng", ["Đặng Thị Thu"]),
        ("dung", ["Dương Văn Dũng"]),  # tones ignored; "dương" does not begin with "dung"
        ("nguyen", ["Nguyễn Thị Hà", "Nguyễn Văn Hùng", "Trần Văn Nguyên"]),  # Hà < Hùng < Nguyên
        ("van", ["Dương Văn Dũng", "Nguyễn Văn Hùng", "Trần Văn Nguyên"]),  # D < H < N
    ],
)
def test_people_are_found_with_or_without_diacritics_in_vietnamese_order(people, named, typed, found):
    assert names(search.people(user=people["canbo_kv1"], query=typed)) == found


def test_people_outside_the_scope_are_not_found(people, named, tree, loader):
    make_employee(tree["kv2"], loader, citizen_id="001085000299", full_name="Nguyễn Văn Hải")
    assert names(search.people(user=people["canbo_kv1"], query="nguyen van h")) == ["Nguyễn Văn Hùng"]
    assert names(search.people(user=people["canbo_kv2"], query="nguyen van h")) == ["Nguyễn Văn Hải"]
    assert names(search.people(user=people["nobody"], query="nguyen")) == []


def test_a_cccd_prefix_finds_a_person_only_where_the_user_may_see_cccds(people, named):
    assert names(search.people(user=people["canbo_kv1"], query="00108500020")) == names(
        Employee.objects.filter(citizen_id__startswith="00108500020").order_by("sort_key", "id")
    )
    assert names(search.people(user=people["xem_cuc"], query="00108500020")) == []  # a viewer sees no CCCD


def test_units_are_found_by_name_without_diacritics_and_scoped(people, tree):
    assert Unit.objects.get(pk=tree["kv1"].pk).search_key == "chi cuc thue khu vuc i"
    found = [u.name for u in search.units(user=people["xem_cuc"], query="chi cuc thue")]
    assert found == ["Chi cục Thuế khu vực I", "Chi cục Thuế khu vực II"]
    assert [u.name for u in search.units(user=people["canbo_kv1"], query="chi cuc thue")] == ["Chi cục Thuế khu vực I"]
    assert [u.name for u in search.units(user=people["canbo_kv1"], query="BTC.CT.KV")] == ["Chi cục Thuế khu vực I"]
    assert list(search.units(user=people["canbo_kb"], query="thue")) == []


def test_a_renamed_unit_is_found_by_its_new_name(people, tree, loader):
    with setup_context(loader):
        unit = Unit.objects.get(pk=tree["kv2"].pk)
        unit.name = "Đội Thuế liên phường"
        unit.save()
    assert [u.pk for u in search.units(user=people["xem_cuc"], query="doi thue lien")] == [unit.pk]


def test_a_request_is_found_by_number_and_by_the_persons_name(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    assert propose_step(client, employee_kv1, 4, "3.33").status_code == 302
    change_request = ChangeRequest.objects.get(employee=employee_kv1)
    user = people["lanhdao_kv1"]
    assert list(search.requests(user=user, query=f"#{change_request.pk}")) == [change_request]
    assert list(search.requests(user=user, query=str(change_request.pk))) == [change_request]
    assert list(search.requests(user=user, query="nguyen van an")) == [change_request]
    assert list(search.requests(user=people["canbo_kv2"], query=f"#{change_request.pk}")) == []
    assert list(search.requests(user=people["canbo_kv2"], query="nguyen van an")) == []


def test_the_results_page_shows_the_three_groups(client, people, named, tree):
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("search"), {"q": "nguyen van"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn Hùng" in body and "Cán bộ" in body and "Đơn vị" in body and "Yêu cầu thay đổi" in body
    assert "Nguyễn Thị Hà" not in body
    body = client.get(reverse("search"), {"q": "chi cuc thue"}).content.decode()
    assert reverse("units:unit-detail", args=[tree["kv1"].pk]) in body


def test_the_top_bar_has_the_search_box_on_every_page(client, people):
    client.force_login(people["canbo_kv1"])
    body = client.get(reverse("records:employee-list")).content.decode()
    assert f'action="{reverse("search")}"' in body


def test_the_results_page_needs_a_login(client):
    response = client.get(reverse("search"), {"q": "nguyen"})
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("typed", ["", "   ", "\u0301\u0301", "x" * 500, "%_'\"<script>", "#99999999999999999999"])
def test_odd_input_gives_a_page_not_an_error(client, people, named, typed):
    client.force_login(people["canbo_kv1"])
    response = client.get(reverse("search"), {"q": typed, "group": "units"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_an_unknown_group_is_refused_with_a_message(client, people, named):
    client.force_login(people["canbo_kv1"])
    body = client.get(reverse("search"), {"q": "nguyen", "group": "everything"}).content.decode()
    assert "Nhóm kết quả không hợp lệ" in body and "Nguyễn Văn Hùng" in body


def test_more_than_ten_shows_the_see_all_links(client, people, tree, loader):
    for n in range(12):
        make_employee(tree["kv1"], loader, citizen_id=f"0010850003{n:02d}", full_name=f"Nguyễn Văn Số{n}")
        with setup_context(loader):
            fields = {"code": f"KV1.T{n:02d}", "name": f"Tổ Nguyễn {n}", "kind": Unit.Kind.BRANCH}
            Unit.objects.add_child(Unit.objects.get(pk=tree["kv1"].pk), fields)
    client.force_login(people["canbo_kv1"])
    body = client.get(reverse("search"), {"q": "nguyen"}).content.decode()
    assert "Xem tất cả cán bộ tìm thấy" in body and "Xem tất cả đơn vị tìm thấy" in body
    assert body.count("/records/employees/") >= 10
    full = client.get(reverse("search"), {"q": "nguyen", "group": "units"}).content.decode()
    assert full.count("Tổ Nguyễn ") == 12


def _grow(tree, loader, start, stop):
    for n in range(start, stop):
        make_employee(tree["kv1"], loader, citizen_id=f"0010850004{n:02d}", full_name=f"Nguyễn Văn Người{n}")
        with setup_context(loader):
            fields = {"code": f"KV1.N{n:02d}", "name": f"Tổ Nguyễn số {n}", "kind": Unit.Kind.BRANCH}
            Unit.objects.add_child(Unit.objects.get(pk=tree["kv1"].pk), fields)


@pytest.mark.parametrize("group", ["", "units", "requests"])
def test_the_results_page_takes_the_same_queries_whatever_the_rows(client, people, tree, loader, group):
    client.force_login(people["xem_cuc"])

    def count():
        params = {"q": "nguyen", "group": group}
        client.get(reverse("search"), params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("search"), params).status_code == 200
        return len(queries)

    _grow(tree, loader, 0, 2)
    few = count()
    _grow(tree, loader, 2, 14)
    assert count() == few


@pytest.mark.postgres("trigram indexes are PostgreSQL's")
def test_the_name_searches_have_trigram_indexes_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
            [["unit_search_key_trgm", "employee_search_key_trgm"]],
        )
        assert {row[0] for row in cursor.fetchall()} == {"unit_search_key_trgm", "employee_search_key_trgm"}


@pytest.mark.parametrize("typed", ["v.n", "va*", "ng.*", "(nguyen", "[", "\\", "nguyen|tran", "^van", "$"])
def test_a_typed_word_is_read_literally_not_as_a_pattern(people, named, typed):
    """Each word is one regular expression `(^| )word` (tracking.vietnamese.word_start_q, for
    the trigram index): what the user types is escaped, so "v.n" does not find "Văn"."""
    assert names(search.people(user=people["canbo_kv1"], query=typed)) == []


# --- requests by the words of their title and the person's name ---------------------------------

TITLES = {
    "Điều động Đặng Thị Thu": "Đặng Thị Thu",  # Đ of the title and of the name
    "Đề nghị nâng lương Dương Văn Dũng": "Dương Văn Dũng",  # tones: Dương is not Dũng
    "Cập nhật quá trình đào tạo": "Nguyễn Văn Hùng",  # the name is not in the title
}


@pytest.fixture
def titled(people, tree, named):
    """One submitted request per title, each about the person beside it (unit kv1)."""
    from workflows import changesets, services

    requests = {}
    for title, name in TITLES.items():
        employee = Employee.objects.get(pk=named[name].pk)
        requests[title] = services.submit_change_request(
            kind=ChangeRequest.Kind.EMPLOYEE,
            unit=tree["kv1"],
            submitted_by=people["canbo_kv1"],
            operations=[changesets.make_update(employee, {"main_duties": title})],
            reason="Cập nhật",
            title=title,
            employee=employee,
            subject_model="records.employee",
            subject_pk=employee.pk,
        )
    return requests


def titles(rows) -> list[str]:
    return sorted(row.title for row in rows)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("dieu dong", ["Điều động Đặng Thị Thu"]),  # no diacritics; Đ typed as d
        ("ĐIỀU ĐỘNG", ["Điều động Đặng Thị Thu"]),  # capitals and diacritics
        ("dong dieu", ["Điều động Đặng Thị Thu"]),  # any word order
        ("d", ["Điều động Đặng Thị Thu", "Đề nghị nâng lương Dương Văn Dũng", "Cập nhật quá trình đào tạo"]),
        ("de nghi", ["Đề nghị nâng lương Dương Văn Dũng"]),
        ("dung", ["Đề nghị nâng lương Dương Văn Dũng"]),  # Dũng, tones ignored; "dương" does not begin with "dung"
        ("duong", ["Đề nghị nâng lương Dương Văn Dũng"]),
        ("dao tao", ["Cập nhật quá trình đào tạo"]),
        ("dao tao hung", ["Cập nhật quá trình đào tạo"]),  # title words and the person's name together
        ("nguyen van hung", ["Cập nhật quá trình đào tạo"]),  # the name alone, shown in the list, not in the title
        ("ong", []),  # a word is found by its beginning, not by its middle ("động")
        ("dieu thu dung", []),  # every word must be found
    ],
)
def test_requests_are_found_by_title_words_without_diacritics(people, titled, typed, found):
    assert titles(search.requests(user=people["lanhdao_kv1"], query=typed)) == sorted(found)


def test_requests_found_by_title_are_scoped_by_who_may_see_them(people, titled):
    assert titles(search.requests(user=people["xem_cuc"], query="dieu dong")) == ["Điều động Đặng Thị Thu"]
    assert titles(search.requests(user=people["canbo_kv2"], query="dieu dong")) == []
    assert titles(search.requests(user=people["nobody"], query="dieu dong")) == []


def test_the_title_key_is_kept_on_every_save_and_filled_by_the_migration(people, titled):
    change_request = titled["Điều động Đặng Thị Thu"]
    assert ChangeRequest.objects.get(pk=change_request.pk).search_key == "dieu dong dang thi thu"
    change_request.title = "Luân chuyển Đặng Thị Thu"
    change_request.save(update_fields=["title"])
    assert ChangeRequest.objects.get(pk=change_request.pk).search_key == "luan chuyen dang thi thu"
    assert titles(search.requests(user=people["lanhdao_kv1"], query="luan chuyen")) == [change_request.title]
    assert titles(search.requests(user=people["lanhdao_kv1"], query="dieu dong")) == []

    # Rows written before the column (or by a bulk path that forgot derive_fields) get it from the
    # migration's fill.
    import importlib

    from django.apps import apps

    ChangeRequest.objects.update(search_key="")
    importlib.import_module("workflows.migrations.0019_changerequest_search_key").fill_keys(apps, None)
    assert dict(ChangeRequest.objects.values_list("title", "search_key")) == {
        "Luân chuyển Đặng Thị Thu": "luan chuyen dang thi thu",
        "Đề nghị nâng lương Dương Văn Dũng": "de nghi nang luong duong van dung",
        "Cập nhật quá trình đào tạo": "cap nhat qua trinh dao tao",
    }


def test_a_bulk_created_request_gets_its_key_from_derive_fields():
    row = ChangeRequest(kind=ChangeRequest.Kind.UNIT, title="Điều chỉnh biên chế Đội Thuế")
    row.derive_fields()
    assert row.search_key == "dieu chinh bien che doi thue"


def test_the_results_page_lists_a_request_found_without_diacritics(client, people, titled):
    client.force_login(people["lanhdao_kv1"])
    body = client.get(reverse("search"), {"q": "dieu dong", "group": "requests"}).content.decode()
    assert "Điều động Đặng Thị Thu" in body and "Đề nghị nâng lương" not in body
