"""The unit list is the tree one level at a time: the user's top units, or (?parent=) one page
of a unit's children under breadcrumbs, each row with its children and staff counts and a plain
link to its own children; nothing outside the user's scope is shown or reachable."""

import html
import re

import pytest
from django.urls import reverse

from tests.conftest import make_employee, make_user
from units import selectors
from units.models import Role


def unit_list(client, **query):
    return client.get(reverse("units:unit-list"), query)


def codes(response):
    return [u.code for u in response.context["units"]]


def test_top_level_is_the_users_top_units_with_their_counts(client, tree, people, loader):
    make_employee(tree["cuc"], loader, citizen_id="001085000101")
    make_employee(tree["kv1"], loader, citizen_id="001085000102")  # below: not the Cục's own staff
    client.force_login(people["xem_cuc"])
    response = unit_list(client)
    assert response.status_code == 200
    (cuc,) = response.context["units"]
    assert (cuc.code, cuc.numchild, cuc.staff) == ("BTC.CT", 2, 1)
    assert f'href="?parent={tree["cuc"].pk}"' in response.content.decode()


def test_several_grants_show_each_top_unit_once(client, tree):
    user = make_user("hai_noi", (tree["kho_bac"], Role.VIEWER), (tree["kv1"], Role.VIEWER), (tree["cuc"], Role.VIEWER))
    client.force_login(user)
    assert codes(unit_list(client)) == ["BTC.CT", "BTC.KB"]  # KV1 lies under the Cục


def test_expanding_a_unit_lists_its_children_under_breadcrumbs(client, tree, people, loader):
    make_employee(tree["kv2"], loader, citizen_id="001085000103")
    user = make_user("xem_bo", (tree["ministry"], Role.VIEWER))
    client.force_login(user)
    response = unit_list(client, parent=tree["cuc"].pk)
    assert response.status_code == 200
    assert codes(response) == ["BTC.CT.KV1", "BTC.CT.KV2"]
    assert [u.staff for u in response.context["units"]] == [0, 1]
    assert [a.code for a in response.context["ancestors"]] == ["BTC"]
    html = response.content.decode()
    assert f'href="?parent={tree["ministry"].pk}"' in html
    assert "?parent=" + str(tree["kv1"].pk) not in html  # a leaf has nothing to expand


def test_breadcrumbs_stop_at_what_the_user_may_see(client, tree, people):
    client.force_login(people["xem_cuc"])
    response = unit_list(client, parent=tree["cuc"].pk)
    assert list(response.context["ancestors"]) == []
    assert f"?parent={tree['ministry'].pk}" not in response.content.decode()


@pytest.mark.parametrize("user, unit", [("xem_cuc", "ministry"), ("xem_cuc", "kho_bac"), ("canbo_kv1", "kv2")])
def test_a_unit_outside_scope_cannot_be_expanded(client, tree, people, user, unit):
    client.force_login(people[user])
    assert unit_list(client, parent=tree[unit].pk).status_code == 404


@pytest.mark.parametrize("query", [{"parent": "abc"}, {"parent": "0"}])
def test_malformed_parents_are_not_found(client, tree, people, query):
    client.force_login(people["xem_cuc"])
    assert unit_list(client, **query).status_code == 404


def follow(client, response, rel):
    """The page a rel="next" or rel="prev" link of `response` leads to."""
    href = re.search(rf'<a [^>]*rel="{rel}" href="\?([^"]*)"', response.content.decode()).group(1)
    return client.get(reverse("units:unit-list") + "?" + html.unescape(href))


def test_many_children_are_paged_by_path_forwards_and_back(client, tree, monkeypatch):
    monkeypatch.setattr(selectors, "CHILDREN_PER_PAGE", 1)
    client.force_login(make_user("xem_bo", (tree["ministry"], Role.VIEWER)))
    first = unit_list(client, parent=tree["ministry"].pk)
    assert codes(first) == ["BTC.CT"] and 'rel="prev"' not in first.content.decode()
    second = follow(client, first, "next")
    assert codes(second) == ["BTC.KB"] and second.context["parent"] == tree["ministry"]  # ?parent= kept
    assert 'rel="next"' not in second.content.decode()
    assert codes(follow(client, second, "prev")) == ["BTC.CT"]


@pytest.mark.parametrize("cursor", ["không", "garbage", ""])
def test_a_bad_cursor_shows_the_first_page_with_a_message(client, tree, monkeypatch, cursor):
    monkeypatch.setattr(selectors, "CHILDREN_PER_PAGE", 1)
    client.force_login(make_user("xem_bo", (tree["ministry"], Role.VIEWER)))
    response = unit_list(client, parent=tree["ministry"].pk, cursor=cursor)
    assert response.status_code == 200 and codes(response) == ["BTC.CT"]
    message = "Liên kết trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu."
    assert (message in response.content.decode()) == bool(cursor)
