"""Who may do what with a unit's data: the single place each decision is made."""

from .models import Role
from .selectors import has_grant_covering, has_role_on_unit


def can_view_unit(user, unit) -> bool:
    """A grant on the unit or an ancestor lets a user see it (upper units read their subtree)."""
    return has_grant_covering(user=user, unit=unit)


def can_propose_for_unit(user, unit) -> bool:
    """Only an officer of the unit itself proposes changes to the data it manages."""
    return has_role_on_unit(user=user, unit=unit, role=Role.OFFICER)


def can_manage_policy(user) -> bool:
    """The approval policy is ministry-wide: superusers and administrators of a root unit."""
    from .models import Role, RoleGrant

    if not user.is_authenticated:
        return False
    return user.is_superuser or RoleGrant.objects.active().filter(user=user, role=Role.UNIT_ADMIN, unit__depth=1).exists()
