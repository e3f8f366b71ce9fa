"""The queue in order of level reads an index range (issue #12): the page's requests come from
the partial index change_request_queue_level (pending unit, level, id) of the unit they wait at,
the first rows of the range, not every waiting request read and sorted; the next page starts the
range at its cursor."""

import json
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.scale_data import clone_requests
from workflows.models import ChangeRequest

from .test_queue_concurrency import _submit

WAITING = 2000
PER_PAGE = 50  # the queue's page (tracking.keyset.KeysetListMixin.paginate_by)


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node):
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _requests_read(plan) -> tuple[set, int]:
    """(the indexes the plan read the requests through, the requests it read: returned plus
    filtered out)."""
    indexes, rows = set(), 0
    for node in _nodes(plan):
        if node.get("Relation Name") == "workflows_changerequest":
            indexes.add(node.get("Index Name"))
            rows += node["Actual Rows"] * node["Actual Loops"] + node.get("Rows Removed by Filter", 0)
    return indexes, rows


def _queue_statement(client, query: str) -> tuple[str, str]:
    """(the page's HTML, the statement that read the page's requests in level order)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("changerequest:queue") + query)
    assert response.status_code == 200
    found = [q["sql"] for q in queries if re.search(r'ORDER BY "workflows_changerequest"."current_level"', q["sql"])]
    assert len(found) == 1, [q["sql"] for q in queries]
    return response.content.decode(), found[0]


@pytest.mark.postgres("the plan is PostgreSQL's")
@pytest.mark.parametrize("order", ["level", "-level"])
def test_the_queue_by_level_reads_the_first_rows_of_its_index_range(client, people, employee_kv1, order):
    template = _submit(employee_kv1, people["canbo_kv1"], 0)
    clone_requests(
        template, template.unit, [employee_kv1.pk] * WAITING, {employee_kv1.pk: template.operations[0]["base"]}
    )
    # Three levels, interleaved with the ids: the level order is not the order of arrival.
    ChangeRequest.objects.filter(pending_unit=template.unit).update(current_level=F("id") % 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_changerequest")
        cursor.execute("ANALYZE viewflow_task")
    client.force_login(people["lanhdao_kv1"])

    html, first = _queue_statement(client, f"?_orderby={order}")
    plan = _plan(first)
    indexes, rows = _requests_read(plan)
    assert indexes == {"change_request_queue_level"}, json.dumps(plan, indent=1)
    assert not any(node["Node Type"] == "Sort" for node in _nodes(plan)), json.dumps(plan, indent=1)
    assert rows <= 2 * (PER_PAGE + 1), rows  # the page, not the 2,001 waiting requests

    following = re.search(r'<a [^>]*rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    _, deeper = _queue_statement(client, following)
    plan = _plan(deeper)
    indexes, rows = _requests_read(plan)
    assert indexes == {"change_request_queue_level"}, json.dumps(plan, indent=1)
    assert rows <= 2 * (PER_PAGE + 1), rows
