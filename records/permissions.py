"""Who may do what with a personnel record: the single place each decision is made."""

from django.db.models import Q

from units.models import Role
from units.permissions import can_propose_for_unit, can_view_unit
from units.selectors import active_grants, has_any_grant, subtree_q


def can_view_employee(user, employee) -> bool:
    """Any grant on the managing unit or an ancestor of it lets a user see the record."""
    return can_view_unit(user, employee.managing_unit)


def can_propose_change(user, employee) -> bool:
    """Only an officer of the managing unit itself proposes changes (upper units read only)."""
    return can_propose_for_unit(user, employee.managing_unit)


def can_view_sensitive(user, employee) -> bool:
    """Identity numbers, addresses, family, health and discipline: the managing unit's own
    people, and inspectors above it."""
    if not user.is_authenticated:
        return False
    unit = employee.managing_unit
    return sensitive_checker(user)(unit.pk, unit.path)


def sensitive_checker(user):
    """can_view_sensitive for many rows at once, from (unit id, unit path), without queries."""
    own = {unit_id for unit_id, _path, _role in active_grants(user)}
    inspected = [path for _unit, path, role in active_grants(user) if role == Role.INSPECTOR]
    return lambda unit_id, unit_path: unit_id in own or any(unit_path.startswith(p) for p in inspected)


def sensitive_scope_q(user, prefix: str = "managing_unit__"):
    """The same decision as can_view_sensitive, as a filter over many employees (the list, and
    the CCCD search, which would otherwise let anyone probe for a number)."""
    own = {unit_id for unit_id, _path, _role in active_grants(user)}
    return Q(**{f"{prefix}id__in": own}) | subtree_q(user=user, prefix=prefix, roles=[Role.INSPECTOR])


def can_export_employees(user) -> bool:
    """Any user with a grant may export what they may see; every export is logged."""
    return has_any_grant(user=user)

