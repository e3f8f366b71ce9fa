"""A campaign's cast: the Cục's unit administrator, people in KV1 (two), KV2 and Kho bạc."""

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from campaigns import services
from tests.conftest import make_employee, make_user
from units.models import Role


@pytest.fixture
def quantri_cuc(tree):
    return make_user("quantri_cuc", (tree["cuc"], Role.UNIT_ADMIN))


@pytest.fixture
def staff(tree, loader, employee_kv1, employee_kv2):
    """Two people in KV1, one in KV2, one in Kho bạc."""
    return {
        "kv1": employee_kv1,
        "kv1b": make_employee(tree["kv1"], loader, citizen_id="001085000021", full_name="Lê Văn Cường"),
        "kv2": employee_kv2,
        "kb": make_employee(tree["kho_bac"], loader, citizen_id="001085000022", full_name="Phạm Thị Dung"),
    }


def in_days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def start(user, unit, *, days=30, include_subtree=True, title="Rà soát hồ sơ năm 2026", today=None, prepare=True):
    """Start a campaign; with `prepare`, its task (eager in the tests) runs on the start's commit."""
    with TestCase.captureOnCommitCallbacks(execute=prepare):
        campaign = services.start_campaign(
            user=user, title=title, unit=unit, include_subtree=include_subtree, deadline=in_days(days), today=today
        )
    campaign.refresh_from_db()
    return campaign
