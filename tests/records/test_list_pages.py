"""The keyset-paginated pages of the personnel record: the list and one person's history show
every row once across pages, in their order, following the pager's rel="next" links."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import Employee, WorkHistory
from records.selectors import list_employees
from tests.conftest import make_employee, setup_context
from tracking.history import PER_PAGE

NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="\?([^"]*)"')


def follow(client, url):
    """Every page of a list from `url`, following rel="next": the responses."""
    responses = [client.get(url)]
    while match := NEXT_LINK.search(responses[-1].content.decode()):
        responses.append(client.get(f"{url}?{html.unescape(match.group(1))}"))
        assert len(responses) < 50
    return responses


@pytest.fixture
def namesakes(tree, loader):
    """More people than a page, most with the same name (ties on the sort column)."""
    return [
        make_employee(
            tree["kv2" if n % 10 == 0 else "kv1"],
            loader,
            citizen_id=f"0010850010{n:02d}",
            full_name="Lê Văn Nam" if n % 5 else f"Phạm Thị {n:02d}",
        )
        for n in range(70)
    ]


def test_employee_list_shows_everyone_once_in_the_selectors_order(client, people, namesakes):
    client.force_login(people["xem_cuc"])
    pages = follow(client, reverse("records:employee-list"))
    shown = [e.pk for response in pages for e in response.context["page"]]
    assert len(pages) == 2
    assert shown == list(list_employees(user=people["xem_cuc"]).values_list("pk", flat=True))
    assert "70 cán bộ" in pages[0].content.decode()


def test_employee_list_pages_keep_the_filters(client, people, namesakes, tree):
    client.force_login(people["xem_cuc"])
    pages = follow(client, f"{reverse('records:employee-list')}?q=Nam&unit={tree['kv1'].pk}")
    shown = [e for response in pages for e in response.context["page"]]
    assert {e.managing_unit_id for e in shown} == {tree["kv1"].pk}
    assert len(pages) == 2 and {e.full_name for e in shown} == {"Lê Văn Nam"}
    assert len(shown) == len({e.pk for e in shown}) == 56


def test_employee_list_counts_up_to_a_cap(client, people, namesakes, monkeypatch):
    monkeypatch.setattr("tracking.keyset.COUNT_CAP", 50)
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("records:employee-list"))
    assert "Hơn 50 cán bộ" in response.content.decode()
    assert len(response.context["page"]) == 50  # more than the cap: the page walks the ordering


def test_under_the_cap_the_page_is_the_rows_counted(client, people, namesakes, monkeypatch):
    """Below the cap the page is read by the ids the count found (tracking.keyset
    .counted_and_narrowed): the same rows, in the same order, as the search itself gives."""
    client.force_login(people["xem_cuc"])
    whole = client.get(reverse("records:employee-list"), {"q": "le van"}).context
    monkeypatch.setattr("tracking.keyset.COUNT_CAP", whole["count"] - 1)
    capped = client.get(reverse("records:employee-list"), {"q": "le van"}).context
    assert not whole["more"] and capped["more"] and whole["count"] > 2
    assert [e.pk for e in whole["page"]] == [e.pk for e in capped["page"]]


def test_a_bad_cursor_on_a_list_page_shows_its_first_page(client, people, namesakes):
    client.force_login(people["xem_cuc"])
    response = client.get(reverse("records:employee-list"), {"cursor": "khong-hop-le"})
    assert response.status_code == 200
    assert "Liên kết trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu." in response.content.decode()
    assert len(response.context["page"]) == 50


@pytest.fixture
def long_history(employee_kv1, loader):
    """A file with more versions than two pages: the profile saved again and again, with
    sub-records added in between (two history tables, many versions on the same instant)."""
    employee = Employee.objects.get(pk=employee_kv1.pk)
    with setup_context(loader):
        for n in range(2 * PER_PAGE + 10):
            employee.other_names = f"Tên gọi {n}"
            employee.save()
            if n % 7 == 0:
                WorkHistory(
                    employee=employee,
                    start_date=datetime.date(2000 + n // 7, 1, 1),
                    organisation="Cục Thuế",
                    title=f"Chuyên viên {n}",
                ).save()
    return employee


def test_history_pages_show_every_version_once_newest_first(client, people, long_history):
    client.force_login(people["xem_cuc"])
    pages = follow(client, reverse("records:employee-history", args=[long_history.pk]))
    items = [item for r in pages for entry in r.context["entries"] for item in entry["items"]]
    shown = [(type(item["row"]).__name__, item["row"].history_id) for item in items]
    expected = [("HistoricalEmployee", h) for h in long_history.history.values_list("history_id", flat=True)]
    expected += [
        ("HistoricalWorkHistory", h)
        for h in WorkHistory.history.filter(employee_id=long_history.pk).values_list("history_id", flat=True)
    ]
    assert len(pages) == 3 and sorted(shown) == sorted(expected) and len(shown) == len(set(shown))
    dates = [entry["date"] for r in pages for entry in r.context["entries"]]
    assert dates == sorted(dates, reverse=True)


def test_each_change_is_compared_with_the_version_before_even_on_an_earlier_page(client, people, long_history):
    client.force_login(people["xem_cuc"])
    pages = follow(client, reverse("records:employee-history", args=[long_history.pk]))
    changes = [
        item for r in pages for entry in r.context["entries"] for item in entry["items"] if item["action"] == "changed"
    ]
    assert len(changes) == 2 * PER_PAGE + 10  # every save after the creation, page boundaries included
    for item in changes:
        n = int(item["row"].other_names.rsplit(" ", 1)[1])
        assert [(c["old"], c["new"]) for c in item["fields"]] == [(f"Tên gọi {n - 1}" if n else "—", f"Tên gọi {n}")]


def _file_with_versions(tree, loader, citizen_id, versions):
    """A person saved `versions` times, then a work period added and changed: the first page
    holds the newest versions of both tables and, for each, a change whose previous version is
    not on the page once the file has more versions than a page."""
    employee = make_employee(tree["kv1"], loader, citizen_id=citizen_id)
    with setup_context(loader):
        for n in range(versions):
            employee.other_names = f"Tên gọi {n}"
            employee.salary_step = 3 + n % 5
            employee.save()
        period = WorkHistory(
            employee=employee, start_date=datetime.date(2001, 1, 1), organisation="Cục Thuế", title="Chuyên viên"
        )
        period.save()
        period.title = "Chuyên viên chính"
        period.save()
    return employee


def test_the_first_page_of_a_history_takes_the_same_statements_with_30_and_300_versions(client, people, tree, loader):
    short = _file_with_versions(tree, loader, "001085000031", 30)
    long = _file_with_versions(tree, loader, "001085000301", 300)
    client.force_login(people["xem_cuc"])
    counts, pages = [], []
    for employee in (short, long):
        url = reverse("records:employee-history", args=[employee.pk])
        client.get(url)  # warm: sessions, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        pages.append(response)
        # No statement reads the whole history: each one over a history table is bounded by
        # the page (LIMIT) or names its rows.
        for query in queries.captured_queries:
            sql = query["sql"]
            if "historical" in sql and sql.lstrip().upper().startswith("SELECT"):
                assert "LIMIT" in sql or "IN (" in sql, sql
    assert counts[0] == counts[1], counts
    items = [item for entry in pages[1].context["entries"] for item in entry["items"]]
    assert len(items) == PER_PAGE
    # The oldest profile version on the page is still compared with the one before it.
    oldest = [item for item in items if item["model"] == Employee._meta.verbose_name][-1]
    n = int(oldest["row"].other_names.rsplit(" ", 1)[1])
    shown = {c["old"] for c in oldest["fields"]} | {c["new"] for c in oldest["fields"]}
    assert {f"Tên gọi {n - 1}", f"Tên gọi {n}"} <= shown


def test_history_pages_read_backwards_show_the_same_rows(client, people, long_history):
    """The previous-page link of the last page gives the rows the next-page link gave."""
    client.force_login(people["xem_cuc"])
    url = reverse("records:employee-history", args=[long_history.pk])
    pages = follow(client, url)
    previous = re.search(r'<a [^>]*rel="prev" href="\?([^"]*)"', pages[-1].content.decode())
    back = client.get(f"{url}?{html.unescape(previous.group(1))}")

    def shown(response):
        return [(type(i["row"]).__name__, i["row"].history_id) for e in response.context["entries"] for i in e["items"]]

    assert shown(back) == shown(pages[-2])
