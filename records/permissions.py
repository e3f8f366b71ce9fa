"""Who may do what with a personnel record: the single place each decision is made."""

from units.models import Role
from units.permissions import can_propose_for_unit, can_view_unit
from units.selectors import has_any_grant, has_grant_covering


def can_view_employee(user, employee) -> bool:
    """Any grant on the managing unit or an ancestor of it lets a user see the record."""
    return can_view_unit(user, employee.managing_unit)


def can_propose_change(user, employee) -> bool:
    """Only an officer of the managing unit itself proposes changes (upper units read only)."""
    return can_propose_for_unit(user, employee.managing_unit)


def can_view_sensitive(user, employee) -> bool:
    """Family, health and discipline: the managing unit's own people, and inspectors above it."""
    if not user.is_authenticated:
        return False
    unit = employee.managing_unit
    if has_any_grant(user=user, unit=unit):
        return True
    return has_grant_covering(user=user, unit=unit, roles=[Role.INSPECTOR])


def can_export_employees(user) -> bool:
    """Any user with a grant may export what they may see; every export is logged."""
    return has_any_grant(user=user)

