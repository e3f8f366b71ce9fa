"""The menu's Inbox and Queue figures are kept per user for a few seconds (RecentCount in
workflows/viewsets.py): a page within them costs no COUNT, and may show an old figure, but the
queue page itself lists a task sent a moment ago."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.workflows.conftest import open_task, propose, task_url
from workflows.flows import ChangeRequestFlow
from workflows.models import ChangeRequest


def _counts(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The bell's unread figure (notifications, kept under its own generation) is not a menu figure.
    menu = [q["sql"] for q in queries.captured_queries if "notifications_notification" not in q["sql"]]
    return response, sum("COUNT(" in sql for sql in menu)


def test_the_figures_are_kept_a_few_seconds_and_the_queue_still_lists_a_new_task(client, people, employee_kv1):
    queue_url = reverse("changerequest:queue")
    client.force_login(people["lanhdao_kv1"])
    _page, counted = _counts(client, queue_url)
    assert counted == 2  # the Inbox and Queue figures
    _page, counted = _counts(client, queue_url)
    assert counted == 0  # kept

    client.force_login(people["canbo_kv1"])
    assert propose(client, employee_kv1, main_duties="Kiểm tra thuế").status_code == 302
    task = open_task(ChangeRequest.objects.get(employee=employee_kv1), ChangeRequestFlow.approve)
    client.force_login(people["lanhdao_kv1"])
    page, _counted = _counts(client, queue_url)
    assert task_url(task, "assign").encode() in page.content or str(task.pk).encode() in page.content
