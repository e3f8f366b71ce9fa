"""Defect 4 of issue 8: the history of a change applied by a multi-level request names every
level's decision (who, acting for whom, when), not only the last approver."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from units.models import Role
from workflows.models import ChangeRequest, Decision
from workflows.services import create_delegation, decide_change_request, submit_transfer


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _transfer_decided_by_two_levels(people, tree, employee, *, delegate):
    """KV1 → KV2: level 1 by KV1's head, level 2 by a deputy acting for KV2's head."""
    create_delegation(
        delegator=people["lanhdao_kv2"],
        delegate=delegate,
        valid_from=timezone.localdate(),
        valid_to=timezone.localdate(),
        reason="Đi công tác",
    )
    transfer = submit_transfer(
        employee=employee, target_unit=tree["kv2"], submitted_by=people["canbo_kv1"], reason="Điều động"
    )
    decide_change_request(change_request=transfer, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    decide_change_request(change_request=transfer, user=delegate, decision=Decision.APPROVE)
    transfer.refresh_from_db()
    assert transfer.status == ChangeRequest.Status.APPLIED
    return transfer


def test_history_of_a_two_level_request_names_both_approvers_and_the_delegation(client, people, tree, employee_kv1):
    deputy = make_user("phophong_kv2", (tree["kv2"], Role.VIEWER))
    transfer = _transfer_decided_by_two_levels(people, tree, employee_kv1, delegate=deputy)
    level_1, level_2 = transfer.decisions.order_by("level")

    client.force_login(people["lanhdao_cuc"])
    page = _text(client.get(reverse("records:employee-history", args=[employee_kv1.pk])).content.decode())
    assert (
        f"Cấp 1 (Chi cục Thuế khu vực I): lanhdao_kv1, {timezone.localtime(level_1.decided_at):%d/%m/%Y %H:%M}" in page
    ), page
    assert (
        f"Cấp 2 (Chi cục Thuế khu vực II): phophong_kv2 (thay cho lanhdao_kv2, theo uỷ quyền), "
        f"{timezone.localtime(level_2.decided_at):%d/%m/%Y %H:%M}" in page
    ), page


def _decision_queries(captured) -> int:
    return sum("workflows_approvaldecision" in query["sql"] for query in captured.captured_queries)


def test_history_reads_the_decisions_once_for_all_entries(client, people, tree, employee_kv1):
    deputy = make_user("phophong_kv2", (tree["kv2"], Role.VIEWER))
    _transfer_decided_by_two_levels(people, tree, employee_kv1, delegate=deputy)
    client.force_login(people["lanhdao_cuc"])
    url = reverse("records:employee-history", args=[employee_kv1.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    # A second two-level request on the same file: the decisions are still read in one query.
    back = submit_transfer(
        employee=employee_kv1.__class__.objects.get(pk=employee_kv1.pk),
        target_unit=tree["kv1"],
        submitted_by=people["canbo_kv2"],
        reason="Điều động trở lại",
    )
    decide_change_request(change_request=back, user=people["lanhdao_kv2"], decision=Decision.APPROVE)
    decide_change_request(change_request=back, user=people["lanhdao_kv1"], decision=Decision.APPROVE)
    with CaptureQueriesContext(connection) as two:
        page = _text(client.get(url).content.decode())
    assert (
        "Cấp 1 (Chi cục Thuế khu vực II): lanhdao_kv2" in page and "Cấp 2 (Chi cục Thuế khu vực I): lanhdao_kv1" in page
    )
    # One query reads the decisions; one asks which of the linked requests this reader may open
    # (its scope looks at earlier decisions). Neither grows with the entries.
    assert _decision_queries(one) == _decision_queries(two) == 2
