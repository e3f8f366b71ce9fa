"""Who may do what with a personnel record: the single place each decision is made."""

from units.models import Role
from units.selectors import has_grant_covering, has_role_on_unit


def can_view_employee(user, employee) -> bool:
    """Any grant on the managing unit or an ancestor of it lets a user see the record."""
    return has_grant_covering(user=user, unit=employee.managing_unit)


def can_propose_change(user, employee) -> bool:
    """Only an officer of the managing unit itself proposes changes (upper units read only)."""
    return has_role_on_unit(user=user, unit=employee.managing_unit, role=Role.OFFICER)
