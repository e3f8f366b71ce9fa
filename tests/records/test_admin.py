"""The admin shows every tracked model read-only: no add, change or delete path bypasses requests."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tracking.models import TrackedModel


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.test", "Root-password-2026")


def tracked_admin_models():
    return [m for m in admin.site._registry if issubclass(m, TrackedModel)]


def test_every_tracked_model_is_in_the_admin_read_only(client, superuser, employee_kv1):
    models = tracked_admin_models()
    assert len(models) >= 13
    client.force_login(superuser)
    for model in models:
        meta = model._meta
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    change = reverse("admin:records_employee_change", args=[employee_kv1.pk])
    response = client.post(change, {"full_name": "Tên khác"})
    assert response.status_code == 403
    employee_kv1.refresh_from_db()
    assert employee_kv1.full_name == "Nguyễn Văn An"
    assert (
        client.post(reverse("admin:records_employee_delete", args=[employee_kv1.pk]), {"post": "yes"}).status_code
        == 403
    )
