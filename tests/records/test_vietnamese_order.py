"""The employee list in Vietnamese order (given name, then middle and family name; a < ă < â,
d < đ …; tones after letters) and a name search that ignores diacritics and case, on SQLite and
PostgreSQL, kept right by every path that writes a name."""

import importlib

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from records.models import Employee
from records.selectors import list_employees
from tests.conftest import make_employee, setup_context
from tests.records.test_import import approve, cccd, person, upload, xlsx
from tests.workflows.conftest import decide, propose
from tracking.models import bulk_create_tracked
from tracking.vietnamese import person_sort_key, search_key, sort_key
from workflows.models import ChangeRequest

# Each pair in the order the list must show it, chosen so that a plain sort of full_name, a sort
# ignoring Vietnamese letters or tones, or one by family name gets it wrong.
ORDERED_PAIRS = [
    ("Trần Văn An", "Nguyễn Thị Bình"),  # by given name, not family name
    ("Lê An", "Trần Văn An"),  # same given name: then middle, then family name (Lê < Văn)
    ("Lê Văn Dũng", "Phạm Đức"),  # đ after d, even though u < ư would not decide it
    ("Ngô Văn Dương", "Lê Đào"),  # đ is a letter after every d…
    ("Lê Đào", "Lê Em"),  # …and before e
    ("Hoàng Ha", "Hoàng Hà"),  # tones: ngang < huyền
    ("Hoàng Hà", "Hoàng Hả"),  # huyền < hỏi
    ("Hoàng Hả", "Hoàng Hã"),  # hỏi < ngã
    ("Hoàng Hã", "Hoàng Há"),  # ngã < sắc
    ("Hoàng Há", "Hoàng Hạ"),  # sắc < nặng
    ("Hoàng Hạ", "Hoàng Hai"),  # letters first: tones decide only between equal letters
    ("Lê An", "Lê Anh"),  # a shorter name first
    ("Lê Anh", "Lê Ăn"),  # a < ă, whatever follows
    ("Lê Ăn", "Lê Ân"),  # ă < â
    ("Lê Ân", "Lê Bảo"),  # â < b
    ("Lê On", "Lê Ôn"),  # o < ô
    ("Lê Ôn", "Lê Ơn"),  # ô < ơ
    ("Lê Ơn", "Lê Phúc"),
    ("Lê Uy", "Lê Ưu"),  # u < ư
    ("Lê Ưu", "Lê Vũ"),
    ("Lê Em", "Lê Ên"),  # e < ê
    ("Lê Ên", "Lê Giang"),
]
NAMES = ["Nguyễn Thị Bình", "Phạm Đức", "Lê Văn Dũng", "Hoàng Hạ", "Hoàng Ha", "Hoàng Hà", "Trần Văn An", "Lê Ân"]
IN_ORDER = ["Trần Văn An", "Lê Ân", "Nguyễn Thị Bình", "Lê Văn Dũng", "Phạm Đức", "Hoàng Ha", "Hoàng Hà", "Hoàng Hạ"]


@pytest.mark.parametrize(("first", "second"), ORDERED_PAIRS)
def test_sort_key_orders_names_the_vietnamese_way(first, second):
    assert person_sort_key(first) < person_sort_key(second)


def test_case_and_spacing_do_not_change_the_order_only_break_ties():
    assert person_sort_key("LÊ ĂN").split("!")[:2] == person_sort_key("Lê  Ăn").split("!")[:2]
    assert sort_key("Chi cục Thuế") < sort_key("Chi cục Thuế khu vực I") < sort_key("Cục Thuế")


def test_search_key_drops_diacritics_and_case():
    assert search_key("  Đặng THỊ   Hồng Nhung ") == "dang thi hong nhung"
    assert search_key("Nguyễn Văn Ưng") == "nguyen van ung"


def ordered_names(queryset) -> list[str]:
    return list(queryset.values_list("full_name", flat=True))


@pytest.fixture
def named(tree, loader):
    """The NAMES in KV1, each with its own CCCD, created in an order unrelated to the list's."""
    return [
        make_employee(tree["kv1"], loader, citizen_id=f"0010850001{n:02d}", full_name=name)
        for n, name in enumerate(NAMES)
    ]


def test_list_is_in_vietnamese_order(people, named):
    assert ordered_names(list_employees(user=people["canbo_kv1"])) == IN_ORDER


def test_page_shows_rows_in_vietnamese_order(client, people, named):
    client.force_login(people["xem_cuc"])
    page = client.get(reverse("records:employee-list")).content.decode()
    assert sorted(IN_ORDER, key=lambda name: page.index(f">{name}<")) == IN_ORDER


def listed(client, q) -> set[str]:
    response = client.get(reverse("records:employee-list"), {"q": q})
    assert response.status_code == 200
    return {name for name in NAMES + ["Nguyễn Văn An", "Trần Thị Bình"] if f">{name}<" in response.content.decode()}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("nguyen van", {"Nguyễn Văn An"}),
        ("Nguyễn Văn", {"Nguyễn Văn An"}),
        ("NGUYEN VAN", {"Nguyễn Văn An"}),
        ("văn nguyễn", {"Nguyễn Văn An"}),  # words in any order
        ("ng an", {"Nguyễn Văn An"}),  # each word a prefix of a word of the name
        ("binh", {"Nguyễn Thị Bình", "Trần Thị Bình"}),
        ("duc", {"Phạm Đức"}),  # đ is found as d
        ("ĐỨC", {"Phạm Đức"}),
        ("dung", {"Lê Văn Dũng"}),
        ("ha", {"Hoàng Hạ", "Hoàng Ha", "Hoàng Hà"}),  # word prefixes: not "Phạm", "Thị", "Nhung"
        ("an", {"Nguyễn Văn An", "Trần Văn An", "Lê Ân"}),  # not Hoàng (an inside a word)
        ("van an", {"Nguyễn Văn An", "Trần Văn An"}),
        ("an van", {"Nguyễn Văn An", "Trần Văn An"}),
        ("hoang x", set()),
    ],
)
def test_name_search_ignores_diacritics_and_case(client, people, named, employee_kv1, employee_kv2, query, found):
    client.force_login(people["xem_cuc"])
    assert listed(client, query) == found


def test_cccd_prefix_search_only_where_cccds_are_shown(client, people, named, employee_kv2):
    client.force_login(people["canbo_kv1"])
    assert listed(client, "00108500010") == set(NAMES)
    assert listed(client, "001085000101") == {"Phạm Đức"}
    client.force_login(people["xem_cuc"])  # sees the people, not their CCCDs
    assert listed(client, "00108500010") == set()


# --- every write path keeps the keys -----------------------------------------------------------


def keys(employee) -> tuple[str, str]:
    employee.refresh_from_db()
    return employee.sort_key, employee.search_key


def expected(name) -> tuple[str, str]:
    return person_sort_key(name), search_key(name)


def test_save_and_save_of_some_fields_keep_the_keys(loader, named):
    employee = named[0]
    assert keys(employee) == expected("Nguyễn Thị Bình")
    with setup_context(loader):
        employee.full_name = "Đặng Thị Bích"
        employee.save(update_fields=["full_name"])
    assert keys(employee) == expected("Đặng Thị Bích")


def test_bulk_create_tracked_fills_the_keys(tree, loader):
    template = make_employee(tree["kv1"], loader, citizen_id="001085000199")
    rows = []
    for n, name in enumerate(["Võ Thị Ánh", "Đỗ Văn Ân"]):
        row = Employee.objects.get(pk=template.pk)
        row.pk, row.full_name, row.citizen_id, row.sort_key = None, name, f"00108500020{n}", ""
        rows.append(row)
    with setup_context(loader):
        bulk_create_tracked(Employee, rows)
    assert [keys(e) for e in rows] == [expected("Võ Thị Ánh"), expected("Đỗ Văn Ân")]


def test_import_creates_and_renames_with_the_keys(officer, client, tree, people, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    rows = {Employee: [person(0, full_name="Đinh Văn Ước")]}
    approve(client, people["lanhdao_kv1"], upload(officer, tree["kv1"], xlsx(rows), capture=capture), capture=capture)
    assert keys(Employee.objects.get(citizen_id=cccd(0))) == expected("Đinh Văn Ước")

    rows[Employee][0]["full_name"] = "Đinh Văn Ưng"
    officer.force_login(people["canbo_kv1"])
    approve(client, people["lanhdao_kv1"], upload(officer, tree["kv1"], xlsx(rows), capture=capture), capture=capture)
    assert keys(Employee.objects.get(citizen_id=cccd(0))) == expected("Đinh Văn Ưng")


def test_approved_change_request_renaming_keeps_the_keys(client, people, employee_kv1):
    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, full_name="Đoàn Văn Ân", reason="Cải chính họ tên").status_code == 302
    client.force_login(people["lanhdao_kv1"])
    assert decide(client, ChangeRequest.objects.get(employee=employee_kv1)).status_code == 302
    assert keys(employee_kv1) == expected("Đoàn Văn Ân")
    # The history shows the name's change, not the keys derived from it (not editable fields).
    page = client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode()
    assert "<td>Họ và tên khai sinh</td>" in page
    assert str(Employee._meta.get_field("sort_key").verbose_name) not in page


def test_migration_fills_the_keys_of_people_already_on_file(named):
    models.QuerySet(model=Employee).update(sort_key="", search_key="")  # as before the migration
    name = "0014_employee_sort_and_search_keys"
    state = MigrationExecutor(connection).loader.project_state(("records", name))
    importlib.import_module(f"records.migrations.{name}").fill_keys(state.apps, None)
    assert [keys(e) for e in named] == [expected(name) for name in NAMES]


# --- PostgreSQL: byte order whatever the database's collation ---------------------------------


@pytest.mark.postgres("collations are PostgreSQL's")
def test_sort_key_column_compares_bytes_on_postgresql(people, named):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns"
            " WHERE table_name = 'records_employee' AND column_name = 'sort_key'"
        )
        assert cursor.fetchone() == ("C",)
        # The same keys in a linguistic collation: punctuation and case weigh differently, and
        # "Lê Ân" (a|n…) no longer follows "Trần Văn An" (an#…). The column's own order holds.
        cursor.execute('SELECT full_name FROM records_employee ORDER BY sort_key COLLATE "und-x-icu", id')
        assert [name for (name,) in cursor.fetchall()] != IN_ORDER
    assert ordered_names(list_employees(user=people["canbo_kv1"])) == IN_ORDER
