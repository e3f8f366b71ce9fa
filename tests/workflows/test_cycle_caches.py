"""Issue 9: what every submission and decision reads, kept in the cache (tracking.generations),
each copy read once and seen fresh on the very next read after any write that changes it: the
approval policy and its rules, the approvers of a level with their grants and delegations,
each person's notification settings, and whether a review campaign is running."""

import datetime

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import any_campaign_running
from notifications import language
from notifications.models import Delivery, Kind, NotificationSettings
from notifications.recipients import level_candidates
from notifications.services import cached_settings_for
from tests.conftest import make_user
from units.models import Role, RoleGrant
from workflows.models import Delegation, PolicyRule
from workflows.policy import current_policy, rule_levels, save_policy


def _no_queries(read):
    with CaptureQueriesContext(connection) as queries:
        value = read()
    assert not queries.captured_queries, [q["sql"] for q in queries.captured_queries]
    return value


def _levels():
    policy = current_policy()
    return policy.version, rule_levels(policy, "salary", "sub_agency")


def test_the_policy_is_read_once_and_a_new_version_or_an_edited_rule_is_seen_at_once(db, people, tree):
    version, levels = _levels()
    assert _no_queries(_levels) == (version, levels)
    # a new version through the editor's service (its rules written in bulk, without signals)
    rules = [{"category": "salary", "unit_kind": "sub_agency", "levels": ["unit_leader", "parent_leader"]}]
    save_policy(rules=rules, user=people["lanhdao_cuc"], note="QĐ 1")
    assert _levels() == (version + 1, ["unit_leader", "parent_leader"])
    # a rule edited in place (the admin saves the model)
    rule = PolicyRule.objects.get(policy__version=version + 1, category="salary", unit_kind="sub_agency")
    rule.levels = ["unit_leader"]
    rule.save()
    assert _levels() == (version + 1, ["unit_leader"])
    rule.delete()
    assert _levels()[1] == rule_levels(None, "salary", "sub_agency")


def _candidates(unit):
    return sorted(user.username for user in level_candidates(unit.pk))


def test_the_approvers_of_a_level_are_read_once_and_any_grant_delegation_or_account_change_is_seen(db, people, tree):
    kv1 = tree["kv1"]
    assert _candidates(kv1) == ["lanhdao_kv1"]
    assert _no_queries(lambda: _candidates(kv1)) == ["lanhdao_kv1"]
    # a new approver's grant
    newcomer = make_user("lanhdao_moi", (kv1, Role.APPROVER))
    assert _candidates(kv1) == ["lanhdao_kv1", "lanhdao_moi"]
    # a delegation from an approver brings in the delegate, with the delegation on them
    today = timezone.localdate()
    delegation = Delegation.objects.create(
        delegator=people["lanhdao_kv1"],
        delegate=people["canbo_kv1"],
        valid_from=today,
        valid_to=today + datetime.timedelta(days=3),
        reason="Đi công tác",
    )
    by_name = {user.username: user for user in level_candidates(kv1.pk)}
    assert set(by_name) == {"canbo_kv1", "lanhdao_kv1", "lanhdao_moi"}
    assert [row[0].pk for row in by_name["canbo_kv1"]._delegation_rows] == [delegation.pk]
    delegation.revoked_at = timezone.now()
    delegation.save()
    assert _candidates(kv1) == ["lanhdao_kv1", "lanhdao_moi"]
    # a revoked grant, a disabled account
    RoleGrant.objects.filter(user=newcomer).get().delete()
    assert _candidates(kv1) == ["lanhdao_kv1"]
    approver = people["lanhdao_kv1"]
    approver.is_active = False
    approver.save()
    assert _candidates(kv1) == []


def _delivery(user):
    return cached_settings_for([user.pk])[user.pk].delivery_for(Kind.SUBMITTED)


def test_notification_settings_are_read_once_and_a_saved_choice_is_seen_at_once(db, people):
    user = people["lanhdao_kv1"]
    first = _delivery(user)
    assert _no_queries(lambda: _delivery(user)) == first
    other = Delivery.OFF if first != Delivery.OFF else Delivery.IMMEDIATE
    NotificationSettings.objects.create(user=user, language="vi", deliveries={Kind.SUBMITTED: other})
    assert _delivery(user) == other
    # the language switch writes by an update (no signal)
    request = RequestFactory().post("/")
    request.user, request.session = user, {}
    language.remember(request, "en")
    assert cached_settings_for([user.pk])[user.pk].language == "en"
    # the admin deletes the row: the defaults again
    settings_row = NotificationSettings.objects.get(user=user)
    settings_row.delete()
    assert _delivery(user) == first


def test_whether_a_campaign_runs_is_read_once_and_a_start_or_close_is_seen_at_once(db, people, tree):
    assert any_campaign_running() is False
    assert _no_queries(any_campaign_running) is False
    campaign = Campaign.objects.create(
        title="Rà soát 2026", unit=tree["kv1"], deadline=timezone.localdate(), started_by=people["lanhdao_kv1"]
    )
    assert any_campaign_running() is True
    assert _no_queries(any_campaign_running) is True
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    assert any_campaign_running() is False
