"""A new installation founds its root unit by command, with history naming who and why."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from units.models import Unit


def test_root_unit_is_created_once_with_history(db):
    admin = get_user_model().objects.create_superuser("root", "root@example.test", "Root-password-2026")
    call_command("create_root_unit", code="BTC", name="Bộ Tài chính", by="root", reason="QĐ 1/QĐ-BTC")
    unit = Unit.objects.get(code="BTC")
    row = unit.history.get()
    assert row.history_user == admin and row.history_change_reason == "QĐ 1/QĐ-BTC"
    with pytest.raises(CommandError):
        call_command("create_root_unit", code="BTC2", name="Bộ khác", by="root", reason="x")
    with pytest.raises(CommandError):
        call_command("create_root_unit", code="X", name="Y", by="nobody", reason="x")
