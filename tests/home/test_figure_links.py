"""Each figure of the home page links to the list filtered to what it counts: the headcount
tiles to the employee list (status, sex, within the scope's unit), the due tiles to the due
list (retirements, salary raises soon or overdue, cannot compute), and the charts' bars to the
employee list by unit and category, by sex and age band, or the due list by month. Each link is
opened and its rows counted: the same number as the figure, on a small data set."""

import datetime
import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from duedates.services import refresh_due_items
from records.models import Employee
from tests.conftest import make_employee

from .test_home import cid


def _months_ago(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 - months
    return datetime.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


@pytest.fixture
def workforce(tree, loader):
    """People of both sexes, three statuses and several ages in KV1, KV2 and the Cục itself;
    some retiring within the year, some with a salary step due soon or overdue; and one in
    another subtree (the Kho bạc), which no figure of the Cục counts."""
    today = timezone.localdate()
    # Men retire at 61 years 6 months in 2026 (+3 months a year), women at 57 (+4 months): a man
    # of 61 years 3 months and a woman of 56 years 9 months retire within the next twelve months.
    retiring, retiring_woman = _months_ago(today, 61 * 12 + 3), _months_ago(today, 56 * 12 + 9)
    statuses = list(Employee.EmploymentStatus)
    rows = [
        # (unit, born, sex, status index, salary effective months ago)
        ("kv1", datetime.date(today.year - 26, 5, 2), "male", 0, 35),
        ("kv1", datetime.date(today.year - 45, 2, 3), "female", 0, 40),
        ("kv1", retiring, "male", 0, 10),
        ("kv1", datetime.date(today.year - 33, 7, 9), "female", 1, 34),
        ("kv2", datetime.date(today.year - 55, 9, 1), "female", 2, 50),
        ("kv2", datetime.date(today.year - 38, 1, 20), "male", 1, 12),
        ("kv2", retiring_woman, "female", 0, 35),
        ("cuc", datetime.date(today.year - 48, 11, 11), "male", 0, 37),
        ("kho_bac", datetime.date(today.year - 40, 4, 4), "male", 0, 36),
    ]
    for n, (unit, born, sex, status, months) in enumerate(rows):
        make_employee(
            tree[unit],
            loader,
            citizen_id=cid(born, 500 + n, sex),
            full_name=f"Người số {n}",
            date_of_birth=born,
            sex=sex,
            employment_status=statuses[status % len(statuses)],
            salary_effective_date=_months_ago(today, months),
        )
    refresh_due_items()
    cache.clear()


def _listed(client, url: str) -> int:
    """How many rows the list at `url` shows (all on its first page here)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    assert not page.has_next, url
    assert not response.context.get("filter_errors"), (url, response.context.get("filter_errors"))
    if "form" in response.context and hasattr(response.context["form"], "errors"):
        assert not response.context["form"].errors, (url, response.context["form"].errors)
    return len(page.rows)


TILE = re.compile(
    r'<a class="mdc-card qlcb-home__tile[^"]*" href="([^"]+)"><span class="qlcb-home__figure">([\d.]+)</span>'
)
# A linked part of a chart: pygal's <a> around the shape, its value in a <desc class="value">.
BAR = re.compile(r'<a xlink:href="([^"]+)">(.*?)</a>', re.S)
VALUE = re.compile(r'<desc class="value">([\d.]+)</desc>')


def test_each_tile_lists_what_it_counts(client, people, workforce):
    client.force_login(people["xem_cuc"])
    body = client.get(reverse("home:index")).content.decode()
    tiles = [(html_lib.unescape(url), int(n.replace(".", ""))) for url, n in TILE.findall(body)]
    # cán bộ, three statuses, two sexes, retirements, steps soon, steps overdue (+ cannot compute)
    assert len(tiles) >= 9, tiles
    counted = {url: n for url, n in tiles}
    assert sum(1 for n in counted.values() if n) >= 7, tiles  # the data set gives most tiles something to count
    for url, n in tiles:
        assert _listed(client, url) == n, url
    assert tiles[0][1] == 8  # the Cục's people, not the Kho bạc's
    retirements = [n for url, n in tiles if "kind=retirement" in url]
    assert retirements == [2], tiles


def test_each_bar_of_the_charts_lists_what_it_counts(client, people, workforce):
    client.force_login(people["xem_cuc"])
    body = client.get(reverse("home:index")).content.decode()
    bars = []
    for url, inner in BAR.findall(body):
        value = VALUE.search(inner)
        assert value, inner
        bars.append((html_lib.unescape(url), int(value.group(1).replace(".", ""))))
    kinds = {url.split("?")[0] for url, _n in bars}
    assert kinds == {reverse("records:employee-list"), reverse("duedates:due-list")}, kinds
    assert len(bars) >= 8, bars
    for url, n in bars:
        assert _listed(client, url) == n, url


QUOTA_ROW = re.compile(r'<th scope="row"><a href="([^"]+)">[^<]*</a></th>\s*<td>([\d.]+)</td>')


def test_each_unit_of_the_quota_table_lists_its_people(client, people, workforce):
    """A unit's row links to its subtree's people; the Cục's own row (its people apart from its
    children's) is no filter of the list, so it has no link."""
    client.force_login(people["xem_cuc"])
    body = client.get(reverse("home:index")).content.decode()
    rows = [(html_lib.unescape(url), int(n.replace(".", ""))) for url, n in QUOTA_ROW.findall(body)]
    assert len(rows) == 2 and all(n for _url, n in rows), rows  # KV1 and KV2; the Cục's own row unlinked
    for url, n in rows:
        assert _listed(client, url) == n, url
