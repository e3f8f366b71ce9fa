"""The task lists' rows and the site menu's links are written in Python (issue #9:
list_pages.PageDataMixin.get_page_rows_html, home.templatetags.site_menu): the same HTML as
viewflow's own templates print, compared on the same data."""

import re

from django.template import engines
from django.template.context import make_context
from django.urls import reverse

from workflows import views

from .conftest import open_task, task_url
from .test_queue_concurrency import _submit


def _normal(html: str) -> str:
    """Whitespace between tags and runs of it made one; how long a task has waited left out (a
    minute may turn between two requests)."""
    html = re.sub(r"\(\d+ (phút|giờ|ngày)\)", "(…)", html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _table(html: str) -> str:
    found = re.search(r'<table class="vf-list__table".*?</table>', html, re.S)
    assert found, "no list table"
    return _normal(found.group(0))


# viewflow's list page itself (its table's template loop), without the pager, which is ours.
VIEWFLOW_LIST = "{% extends 'viewflow/views/list.html' %}{% block list-pagination %}{% endblock %}"


def _both(client, monkeypatch, view_class, url) -> tuple[str, str]:
    ours = client.get(url).content.decode()
    template = engines["django"].from_string(VIEWFLOW_LIST)
    with monkeypatch.context() as patch:
        patch.setattr(view_class, "get_template_names", lambda self: template)
        theirs = client.get(url).content.decode()
    return ours, theirs


def test_queue_and_inbox_rows_are_those_viewflow_prints(client, monkeypatch, people, employee_kv1, employee_kv2):
    requests = [_submit(employee, people["canbo_kv1"], n) for n, employee in enumerate([employee_kv1] * 3)]
    client.force_login(people["lanhdao_kv1"])
    from workflows.flows import ChangeRequestFlow

    ours, theirs = _both(client, monkeypatch, views.ScopedQueueListView, reverse("changerequest:queue"))
    assert ours.count('<tr data-row-id="') == 3
    assert "Nguyễn Văn An" in _table(ours) and "Thay đổi hồ sơ cán bộ" in _table(ours)
    assert _table(ours) == _table(theirs)

    task = open_task(requests[0], ChangeRequestFlow.approve)
    assert client.post(task_url(task, "assign")).status_code == 302
    ours, theirs = _both(client, monkeypatch, views.ScopedInboxListView, reverse("changerequest:inbox"))
    assert ours.count('<tr data-row-id="') == 1
    assert _table(ours) == _table(theirs)


def test_a_name_with_markup_is_escaped_in_a_row(client, monkeypatch, tree, loader, people):
    from tests.conftest import make_employee

    employee = make_employee(tree["kv1"], loader, citizen_id="001085000077", full_name='Lê <b>"Văn"</b> & Bình')
    _submit(employee, people["canbo_kv1"], 1)
    client.force_login(people["lanhdao_kv1"])
    ours, theirs = _both(client, monkeypatch, views.ScopedQueueListView, reverse("changerequest:queue"))
    assert "Lê &lt;b&gt;&quot;Văn&quot;&lt;/b&gt; &amp; Bình" in _table(ours)
    assert _table(ours) == _table(theirs)


def _site_links(html: str) -> str:
    """The site menu: the <vf-page-menu-navigation> holding the applications' links."""
    menus = re.findall(r"<vf-page-menu-navigation.*?</vf-page-menu-navigation>", html, re.S)
    found = [menu for menu in menus if 'href="/home/"' in menu]
    assert len(found) == 1
    return _normal(found[0])


def test_the_site_menu_is_the_one_viewflow_prints(client, people, employee_kv1):
    """Ours (templates/viewflow/includes/site_menu.html and its tag) against viewflow's own file,
    rendered with the page's request: the same applications for each user, the same links."""
    engine = engines["django"].engine
    ours_template, origin = engine.find_template("viewflow/includes/site_menu.html")
    viewflow_template, _origin = engine.find_template("viewflow/includes/site_menu.html", skip=[origin])
    from config.urls import site

    for user in (people["canbo_kv1"], people["lanhdao_kv1"]):
        client.force_login(user)
        request = client.get(reverse("records:employee-list")).wsgi_request
        shown = {}
        for name, template in (("ours", ours_template), ("viewflow", viewflow_template)):
            context = make_context({"site": site, "viewset": None, "user": user}, request)
            with context.bind_template(template):
                shown[name] = _site_links(template.render(context))
        assert shown["ours"] == shown["viewflow"]
        assert 'href="/records/"' in shown["ours"]
