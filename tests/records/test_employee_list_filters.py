"""The employee list's filters, orderings, saved filters and export columns: combinable, in the
URL, every page once in each ordering (keyset), bad input a Vietnamese message and no error;
names chosen to catch Đ, tones and the given-name order."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import SavedFilter
from records import list_filters
from records.models import Employee, ExportLog
from records.models.employee import today
from records.selectors import list_employees
from tests.conftest import make_employee, setup_context
from units.models import Position

NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="\?([^"]*)"')
LIST = "records:employee-list"


def years_ago(years: int, days: int = 0) -> datetime.date:
    now = today()
    return now.replace(year=now.year - years) - datetime.timedelta(days=days)


def cccd(n: int, sex: str, born: datetime.date) -> str:
    """A CCCD that agrees with the sex and the birth year (records.models.employee.check_citizen_id)."""
    century_sex = (0 if born.year < 2000 else 2) + (0 if sex == "male" else 1)
    return f"001{century_sex}{born.year % 100:02d}{n:06d}"


STEP_3 = {"01.001": Decimal("6.92"), "01.002": Decimal("5.08"), "01.003": Decimal("3.00")}  # the 2004 table

# (name, unit, sex, birth, rank, party member, status)
PEOPLE = [
    ("Trần Văn An", "kv1", "male", years_ago(25), "01.003", True, "civil_servant"),
    ("Nguyễn Thị Bình", "kv1", "female", years_ago(35), "01.002", False, "civil_servant"),
    ("Lê Văn Dũng", "kv2", "male", years_ago(45), "01.003", True, "public_employee"),
    ("Phạm Đức", "kv1", "male", years_ago(55), "01.001", False, "civil_servant"),
    ("Hoàng Thị Hà", "kv2", "female", years_ago(30, days=-1), "01.003", False, "contract"),  # 29 until tomorrow
    ("Hoàng Thị Hạ", "kv1", "female", years_ago(61), "01.003", True, "civil_servant"),
]
IN_VIETNAMESE_ORDER = ["Trần Văn An", "Nguyễn Thị Bình", "Lê Văn Dũng", "Phạm Đức", "Hoàng Thị Hà", "Hoàng Thị Hạ"]


@pytest.fixture
def staff(tree, loader):
    return [
        make_employee(
            tree[unit],
            loader,
            citizen_id=cccd(n, sex, born),
            full_name=name,
            sex=sex,
            date_of_birth=born,
            rank_code=rank,
            salary_coefficient=STEP_3[rank],
            party_join_date=born.replace(year=born.year + 22) if party else None,
            employment_status=status,
        )
        for n, (name, unit, sex, born, rank, party, status) in enumerate(PEOPLE)
    ]


def shown(response) -> list[str]:
    assert response.status_code == 200
    return [e.full_name for e in response.context["page"]]


def test_the_default_order_is_by_given_name_then_middle_then_family(client, people, staff):
    client.force_login(people["xem_cuc"])
    assert shown(client.get(reverse(LIST))) == IN_VIETNAMESE_ORDER


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sex": "female"}, ["Nguyễn Thị Bình", "Hoàng Thị Hà", "Hoàng Thị Hạ"]),
        ({"party": "yes"}, ["Trần Văn An", "Lê Văn Dũng", "Hoàng Thị Hạ"]),
        ({"party": "no"}, ["Nguyễn Thị Bình", "Phạm Đức", "Hoàng Thị Hà"]),
        ({"rank": "01.003"}, ["Trần Văn An", "Lê Văn Dũng", "Hoàng Thị Hà", "Hoàng Thị Hạ"]),
        ({"status": "contract"}, ["Hoàng Thị Hà"]),
        ({"age": "under30"}, ["Trần Văn An", "Hoàng Thị Hà"]),  # Hà turns 30 tomorrow
        ({"age": "30-39"}, ["Nguyễn Thị Bình"]),
        ({"age": "50-59"}, ["Phạm Đức"]),
        ({"age": "60plus"}, ["Hoàng Thị Hạ"]),
        ({"sex": "female", "party": "no", "rank": "01.003"}, ["Hoàng Thị Hà"]),  # combined
        ({"q": "hoang thi ha"}, ["Hoàng Thị Hà", "Hoàng Thị Hạ"]),  # tones ignored, Hà before Hạ
        ({"q": "duc"}, ["Phạm Đức"]),  # Đ typed as D
    ],
)
def test_filters_combine_and_keep_the_vietnamese_order(client, people, staff, params, expected):
    client.force_login(people["xem_cuc"])
    assert shown(client.get(reverse(LIST), params)) == expected


def test_the_unit_filter_takes_the_subtree(client, people, staff, tree):
    client.force_login(people["xem_cuc"])
    assert shown(client.get(reverse(LIST), {"unit": tree["cuc"].pk})) == IN_VIETNAMESE_ORDER
    assert shown(client.get(reverse(LIST), {"unit": tree["kv2"].pk, "sex": "female"})) == ["Hoàng Thị Hà"]


def test_position_filter(client, people, staff, tree, loader):
    with setup_context(loader):
        chief = Position.objects.create(unit=tree["kv1"], name="Chi cục trưởng")
    make_employee(tree["kv1"], loader, citizen_id="001085000999", full_name="Đỗ Văn Trưởng", position=chief)
    client.force_login(people["xem_cuc"])
    assert shown(client.get(reverse(LIST), {"position": "chi cục trưởng"})) == ["Đỗ Văn Trưởng"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", IN_VIETNAMESE_ORDER),
        ("-name", IN_VIETNAMESE_ORDER[::-1]),
        ("birth", ["Hoàng Thị Hạ", "Phạm Đức", "Lê Văn Dũng", "Nguyễn Thị Bình", "Hoàng Thị Hà", "Trần Văn An"]),
        ("-birth", ["Trần Văn An", "Hoàng Thị Hà", "Nguyễn Thị Bình", "Lê Văn Dũng", "Phạm Đức", "Hoàng Thị Hạ"]),
        ("rank", ["Phạm Đức", "Nguyễn Thị Bình", "Trần Văn An", "Lê Văn Dũng", "Hoàng Thị Hà", "Hoàng Thị Hạ"]),
    ],
)
def test_each_ordering(client, people, staff, sort, expected):
    client.force_login(people["xem_cuc"])
    assert shown(client.get(reverse(LIST), {"sort": sort})) == expected


@pytest.mark.parametrize("sort", list(list_filters.ORDERINGS))
def test_keyset_pages_show_everyone_once_in_each_ordering(client, people, tree, loader, sort):
    for n in range(60):
        make_employee(
            tree["kv1"],
            loader,
            citizen_id=cccd(200 + n, "male", datetime.date(1970 + n % 4, 1, 1)),
            full_name=["Lê Văn Nam", "Đặng Văn Ánh", "Dương Văn Ân"][n % 3],
            date_of_birth=datetime.date(1970 + n % 4, 1, 1),
            rank_code=["01.003", "01.002"][n % 2],
            salary_coefficient=STEP_3[["01.003", "01.002"][n % 2]],
        )
    client.force_login(people["xem_cuc"])
    url = reverse(LIST)
    responses = [client.get(url, {"sort": sort, "sex": "male"})]
    while match := NEXT_LINK.search(responses[-1].content.decode()):
        responses.append(client.get(f"{url}?{html.unescape(match.group(1))}"))
        assert len(responses) < 10
    seen = [e.pk for r in responses for e in r.context["page"]]
    expected = list(
        list_employees(user=people["xem_cuc"], filters={"sex": "male"}, sort=sort).values_list("pk", flat=True)
    )
    assert len(responses) == 2 and seen == expected and len(set(seen)) == 60


@pytest.mark.parametrize(
    "params",
    [
        {"sex": "other"},
        {"age": "100-200"},
        {"sort": "citizen_id"},
        {"unit": "abc"},
        {"unit": "999999"},
        {"party": "maybe"},
        {"rank": "x" * 40},
        {"cursor": "forged"},
    ],
)
def test_bad_filter_input_is_a_vietnamese_message_not_an_error(client, people, staff, params):
    client.force_login(people["xem_cuc"])
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert shown(response) == IN_VIETNAMESE_ORDER  # the bad filter ignored
    assert 'role="alert"' in body


def test_a_unit_outside_the_scope_is_refused_with_a_message(client, people, staff, tree):
    client.force_login(people["canbo_kv1"])
    response = client.get(reverse(LIST), {"unit": tree["kv2"].pk})
    assert "không thuộc phạm vi bạn được xem" in response.content.decode()
    assert "Lê Văn Dũng" not in shown(response)


def test_a_user_saves_applies_and_deletes_a_filter(client, people, staff):
    client.force_login(people["xem_cuc"])
    response = client.post(
        reverse(LIST), {"action": "save", "name": "  Nữ   đảng viên ", "query": "sex=female&party=yes&bogus=1"}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=people["xem_cuc"])
    assert saved.name == "Nữ đảng viên" and saved.query == "sex=female&party=yes"
    page = client.get(reverse(LIST)).content.decode()
    assert "Nữ đảng viên" in page and f"{reverse(LIST)}?sex=female&amp;party=yes" in page
    assert shown(client.get(f"{reverse(LIST)}?{saved.query}")) == ["Hoàng Thị Hạ"]
    # another user neither sees nor deletes it
    client.force_login(people["canbo_kv1"])
    assert "Nữ đảng viên" not in client.get(reverse(LIST)).content.decode()
    client.post(reverse(LIST), {"action": "delete", "filter": saved.pk})
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    client.force_login(people["xem_cuc"])
    client.post(reverse(LIST), {"action": "delete", "filter": saved.pk})
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_filter_without_a_proper_name_is_not_saved(client, people, name):
    client.force_login(people["xem_cuc"])
    response = client.post(reverse(LIST), {"action": "save", "name": name, "query": "sex=male"}, follow=True)
    assert response.status_code == 200
    assert not SavedFilter.objects.exists()


def test_the_export_takes_the_filters_and_the_chosen_columns(client, people, staff, export_list):
    client.force_login(people["xem_cuc"])
    response = export_list(sex="female", party="no", columns_chosen="1", columns=["rank_code", "managing_unit"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == ("STT", "Họ và tên khai sinh", "Mã ngạch", "Đơn vị quản lý")
    assert [row[1] for row in rows] == ["Nguyễn Thị Bình", "Hoàng Thị Hà"]
    assert ExportLog.objects.filter(kind=ExportLog.Kind.EMPLOYEE_LIST, row_count=2).exists()


def test_the_export_without_a_choice_keeps_every_column(client, people, staff, export_list):
    client.force_login(people["xem_cuc"])
    sheet = load_workbook(io.BytesIO(b"".join(export_list().streaming_content))).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[2] == "Số CCCD" and len(header) > 20


def test_the_list_fits_a_phone(client, people, staff):
    client.force_login(people["xem_cuc"])
    body = client.get(reverse(LIST)).content.decode()
    assert 'class="qlcb-table-scroll"' in body and "qlcb-table--sticky" in body


@pytest.mark.parametrize("params", [{}, {"sort": "-birth", "sex": "female", "age": "30-39", "party": "no"}])
def test_the_list_takes_the_same_queries_whatever_the_rows(client, people, tree, loader, params):
    client.force_login(people["xem_cuc"])
    client.post(reverse(LIST), {"action": "save", "name": "Một", "query": "sex=male"})

    def count():
        client.get(reverse(LIST), params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(LIST), params).status_code == 200
        return len(queries)

    def grow(start, stop):
        for n in range(start, stop):
            born = years_ago(35)
            make_employee(
                tree["kv1"],
                loader,
                citizen_id=cccd(300 + n, "female", born),
                full_name=f"Đặng Thị Số{n}",
                sex=Employee.Sex.FEMALE,
                date_of_birth=born,
            )

    grow(0, 2)
    few = count()
    grow(2, 12)
    assert count() == few
