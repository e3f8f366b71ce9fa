"""categories_q (a filter over requests) agrees with categories_of (the policy's reading of one
request), for every kind of request, every sub-record model and every field of the profile."""

import pytest

from records.models import SUBRECORD_MODELS, Employee
from tests.conftest import make_user
from workflows.models import ChangeRequest
from workflows.policy import Category, categories_of, categories_q


def samples():
    """(kind, operations) of one request each: a profile field changed, a sub-record added with
    its fields, a transfer, a new hire, an import."""
    found = [("transfer", []), ("new_hire", [{"model": "records.employee", "action": "create", "values": {}}])]
    found.append(("import", []))
    for name in Employee.CHANGEABLE_FIELDS:
        found.append(("employee", [{"model": "records.employee", "action": "update", "pk": 1, "values": {name: "x"}}]))
    for model in SUBRECORD_MODELS:
        values = {f.name: "x" for f in model._meta.concrete_fields if not f.primary_key and f.name != "employee"}
        found.append(("employee", [{"model": model._meta.label_lower, "action": "create", "values": values}]))
    return found


@pytest.mark.parametrize("category", Category.values)
def test_the_filter_finds_exactly_the_requests_of_a_category(tree, category):
    user = make_user("canbo")
    unit = tree["kv1"]
    expected = set()
    for kind, operations in samples():
        change_request = ChangeRequest.objects.create(
            kind=kind,
            unit=unit,
            title="t",
            reason="r",
            operations=operations,
            submitted_by=user,
            submitted_at="2026-11-18T10:00+07:00",
            pending_since="2026-11-18T10:00+07:00",
        )
        if category in categories_of(kind=kind, operations=operations):
            expected.add(change_request.pk)
    found = set(ChangeRequest.objects.filter(categories_q([category])).values_list("pk", flat=True))
    assert found == expected
