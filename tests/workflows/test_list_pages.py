"""The flow's list pages page by cursor (workflows.list_pages on tracking.keyset): rel="next" and
rel="prev" links walk the queue and back, and a cursor that is not ours shows the first page
with the message every list gives."""

import re

from django.urls import reverse

from workflows.list_pages import KeysetListMixin

from .test_queue_concurrency import _submit


def _page(client, query=""):
    response = client.get(reverse("changerequest:queue") + query)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r'<a [^>]*rel="(next|prev)" href="([^"]+)"', html)
    links = {rel: href.replace("&amp;", "&") for rel, href in found}
    return [int(pk) for pk in re.findall(r'<tr data-row-id="(\d+)"', html)], links


def test_queue_pages_forward_and_back_newest_first(client, monkeypatch, people, employee_kv1):
    monkeypatch.setattr(KeysetListMixin, "paginate_by", 2)
    for n in range(5):
        _submit(employee_kv1, people["canbo_kv1"], n)
    client.force_login(people["lanhdao_kv1"])

    first, links = _page(client)
    assert "prev" not in links
    second, links = _page(client, links["next"])
    third, last_links = _page(client, links["next"])
    assert "next" not in last_links
    shown = first + second + third
    assert len(shown) == 5 and shown == sorted(shown, reverse=True)
    assert _page(client, links["prev"])[0] == first


def test_a_cursor_that_is_not_ours_shows_the_first_page_with_a_message(client, people, employee_kv1):
    _submit(employee_kv1, people["canbo_kv1"], 1)
    client.force_login(people["lanhdao_kv1"])
    assert _page(client, "?cursor=forged")[0] == _page(client)[0]
    forged = client.get(reverse("changerequest:queue") + "?cursor=forged").content.decode()
    assert "Liên kết trang không hợp lệ hoặc đã cũ; đang hiển thị trang đầu." in forged
