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
    from .models import Unit

    if not user.is_authenticated:
        return False
    return user.is_superuser or any(len(path) == Unit.steplen for _unit, path, _role in _admin_grants(user))


def list_managed_units(user):
    """Units whose grants `user` administers: the subtrees of their unit-admin grants."""
    from .models import Role, Unit
    from .selectors import subtree_q

    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(subtree_q(user=user, roles=[Role.UNIT_ADMIN]))


def can_manage_grant(admin, *, unit, role, grantee) -> bool:
    """Administrators of a unit manage grants on it and below it; nobody changes their own
    grants, and a unit-admin grant is given only from strictly above (no peers made admins)."""
    from .models import Role
    from .selectors import has_grant_covering

    if not admin.is_authenticated or (grantee is not None and grantee.pk == admin.pk):
        return False
    if admin.is_superuser:
        return True
    if role == Role.UNIT_ADMIN:
        return any(
            unit.path.startswith(path) and unit.path != path
            for _unit, path, granted in _admin_grants(admin)
        )
    return has_grant_covering(user=admin, unit=unit, roles=[Role.UNIT_ADMIN])


def _admin_grants(admin):
    from .models import Role
    from .selectors import active_grants

    return [g for g in active_grants(admin) if g[2] == Role.UNIT_ADMIN]
