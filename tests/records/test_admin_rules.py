"""The admin asks the same rules as the pages: a staff account that reads the admin sees a
person's sensitive data there only where records.permissions lets it (superusers everywhere)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from records.models import Discipline
from tests.conftest import setup_context
from units.models import Role, RoleGrant

CCCD = "001085000001"


@pytest.fixture
def discipline(loader, employee_kv1):
    with setup_context(loader):
        return Discipline.objects.create(
            employee=employee_kv1,
            form=Discipline.Form.REPRIMAND,
            reason="Chậm nộp báo cáo",
            effective_from=datetime.date(2021, 1, 1),
        )


@pytest.fixture
def staff_viewer(tree):
    """A support account: staff with the admin's view permissions, and a viewer grant on the Cục."""
    user = get_user_model().objects.create_user("hotro", password="Hotro-password-2026", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_employee", "view_discipline", "view_changerequest"])
    )
    RoleGrant.objects.create(user=user, unit=tree["cuc"], role=Role.VIEWER)
    return user


def test_the_admin_masks_what_the_rules_mask(client, staff_viewer, employee_kv1, discipline):
    client.force_login(staff_viewer)
    listing = client.get(reverse("admin:records_employee_changelist")).content.decode()
    assert "Nguyễn Văn An" in listing and CCCD not in listing
    found = client.get(reverse("admin:records_employee_changelist"), {"q": CCCD[:6]}).content.decode()
    assert "Nguyễn Văn An" not in found  # no probing for a number one may not see
    page = client.get(reverse("admin:records_employee_change", args=[employee_kv1.pk]))
    assert page.status_code == 200 and CCCD not in page.content.decode()
    assert client.get(reverse("admin:records_discipline_changelist")).context["cl"].result_count == 0
    detail = client.get(reverse("admin:records_discipline_change", args=[discipline.pk]))
    assert detail.status_code in (302, 403)  # not offered: Django sends the user back, or refuses


def test_with_the_right_to_see_it_the_admin_shows_it(client, tree, staff_viewer, employee_kv1, discipline):
    RoleGrant.objects.create(user=staff_viewer, unit=tree["cuc"], role=Role.INSPECTOR)
    client.force_login(staff_viewer)
    assert CCCD in client.get(reverse("admin:records_employee_changelist")).content.decode()
    assert client.get(reverse("admin:records_discipline_changelist")).context["cl"].result_count == 1
    detail = client.get(reverse("admin:records_discipline_change", args=[discipline.pk]))
    assert "Chậm nộp báo cáo" in detail.content.decode()
    superuser = get_user_model().objects.create_superuser("root", "root@example.test", "Root-password-2026")
    client.force_login(superuser)
    assert CCCD in client.get(reverse("admin:records_employee_change", args=[employee_kv1.pk])).content.decode()
