"""The user, grants and delegations kept in the cache between requests (config.user_cache):
used while nothing changed, never once a grant, an account or a delegation has changed, even
with the cache warm, and never a copy read while such a change was being committed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config import user_cache
from config.user_cache import CachedUserBackend
from tests.conftest import make_user
from units.models import Role
from units.scope import in_force
from units.services import revoke_grant
from workflows.permissions import approval_capacities
from workflows.services import create_delegation, revoke_delegation


def _sql(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, [q["sql"] for q in queries.captured_queries]


def test_a_warm_copy_costs_no_query(tree):
    user = make_user("canbo_moi", (tree["kv1"], Role.OFFICER))
    backend = CachedUserBackend()
    _first, read = _sql(lambda: backend.get_user(user.pk))
    assert read  # the user, grants, delegations
    again, read = _sql(lambda: backend.get_user(user.pk))
    assert read == [] and again.pk == user.pk
    assert [role for _unit, _path, role in again._active_grants] == [Role.OFFICER]


# Committed transactions, as in production: the generation is renewed again at commit.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_revoked_grant_stops_on_the_next_request_with_the_cache_warm(client, tree):
    admin = make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN))
    newcomer = make_user("canbo_moi", (tree["kv1"], Role.VIEWER))
    url = reverse("units:unit-detail", args=[tree["kv1"].pk])
    client.force_login(newcomer)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # from the cache now
    revoke_grant(admin=admin, grant=newcomer.role_grants.get(), reason="Chuyển công tác")
    assert client.get(url).status_code == 404


def test_a_disabled_account_is_signed_out_on_the_next_request(client, tree):
    user = make_user("canbo_moi", (tree["kv1"], Role.VIEWER))
    url = reverse("units:unit-detail", args=[tree["kv1"].pk])
    client.force_login(user)
    assert client.get(url).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_revoked_delegation_and_a_disabled_delegator_stop_at_once(tree, people):
    delegator, delegate = people["lanhdao_kv1"], people["canbo_kv1"]
    today = timezone.localdate()
    delegation = create_delegation(
        delegator=delegator,
        delegate=delegate,
        valid_from=today,
        valid_to=today + datetime.timedelta(days=5),
        reason="Đi công tác",
    )
    backend = CachedUserBackend()

    def acting_for():
        return [c.acting_for.pk for c in approval_capacities(backend.get_user(delegate.pk)) if c.acting_for]

    assert acting_for() == acting_for() == [delegator.pk]
    delegator.is_active = False
    delegator.save()
    assert acting_for() == []
    delegator.is_active = True
    delegator.save()
    assert acting_for() == [delegator.pk]
    revoke_delegation(delegation=delegation, user=delegator)
    assert acting_for() == []


def test_a_copy_read_while_a_change_commits_is_never_used(tree, monkeypatch):
    user = make_user("canbo_moi", (tree["kv1"], Role.VIEWER))
    backend = CachedUserBackend()
    read = CachedUserBackend._load

    def read_then_a_change_commits(self, user_id):
        bundle = read(self, user_id)
        user_cache.copies.renew([user_id])  # e.g. a grant revoked between our read and our store
        return bundle

    monkeypatch.setattr(CachedUserBackend, "_load", read_then_a_change_commits)
    backend.get_user(user.pk)
    monkeypatch.undo()
    _user, sql = _sql(lambda: backend.get_user(user.pk))
    assert sql  # the copy stored under the old generation was not used


def test_grants_are_judged_on_the_day_the_copy_is_read():
    today = timezone.localdate()
    rows = [(1, "0001", Role.VIEWER, today, today), (2, "0002", Role.OFFICER, today + datetime.timedelta(days=1), None)]
    assert in_force(rows, today) == [(1, "0001", Role.VIEWER)]
    assert in_force(rows, today + datetime.timedelta(days=1)) == [(2, "0002", Role.OFFICER)]
