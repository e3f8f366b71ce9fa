"""Who may do what with personnel records: each decision defined once, as a UnitScope
(units.scope) over the managing unit, from which both of its forms come, the check on one
record and the filter over a queryset."""

from django.db.models import Exists, OuterRef, Q

from units.models import Role, RoleGrant
from units.permissions import can_propose_for_unit, list_proposers_of_unit, propose_scope, visible_scope
from units.scope import UnitScope, active_grants, granted_paths, granted_unit_ids

EMPLOYEE_UNIT = "managing_unit__"


# --- see a person ----------------------------------------------------------------------------


def can_view_employee(user, employee) -> bool:
    """Any grant on the managing unit or an ancestor of it lets a user see the record."""
    return visible_scope(user).contains(employee.managing_unit)


def visible_employees_q(user, prefix: str = "") -> Q:
    return visible_scope(user).q(prefix + EMPLOYEE_UNIT)


# Roles that oversee a scope rather than work its files one by one: their home page shows the
# figures of the scope (headcount by unit, status, sex and age band; quota use; retirements and
# salary steps due), aggregated, never a person's data.
FIGURE_ROLES = (Role.APPROVER, Role.INSPECTOR, Role.VIEWER)


def figures_scope(user) -> UnitScope:
    """Approvers (managers), inspectors and viewers see the figures of the subtrees of those
    grants; an officer's home page is their work, a unit administrator's their grants."""
    if not user.is_authenticated:
        return UnitScope()
    return UnitScope(subtrees=granted_paths(user, FIGURE_ROLES))


def can_view_workforce_figures(user) -> bool:
    return not figures_scope(user).is_empty


def figures_q(user, prefix: str = "") -> Q:
    """The same decision as a filter over employees (`prefix` leads to the employee)."""
    return figures_scope(user).q(prefix + EMPLOYEE_UNIT)


# --- propose a change ------------------------------------------------------------------------


def can_propose_change(user, employee) -> bool:
    """Only an officer of the managing unit itself proposes changes (upper units read only)."""
    return can_propose_for_unit(user, employee.managing_unit)


def proposable_employees_q(user, prefix: str = "") -> Q:
    """The same decision as a filter over many employees (units.permissions.propose_scope)."""
    return propose_scope(user).q(prefix + EMPLOYEE_UNIT)


def list_officers_for_employee(employee):
    """The same rule from the other side: every account that may propose changes to
    `employee`'s record (the officers of the managing unit itself), e.g. to give them work."""
    return list_proposers_of_unit(employee.managing_unit)


# --- see sensitive data (records.sensitivity says which data is) -------------------------------


def sensitive_scope(user) -> UnitScope:
    """Identity numbers, addresses, family, health and discipline: the managing unit's own
    people (any grant on exactly that unit), inspectors above it, and superusers (who keep
    the system and see every row in the admin)."""
    if not user.is_authenticated:
        return UnitScope()
    if user.is_superuser:
        return UnitScope(everything=True)
    return UnitScope(unit_ids=granted_unit_ids(user), subtrees=granted_paths(user, [Role.INSPECTOR]))


def can_view_sensitive(user, employee) -> bool:
    return sensitive_scope(user).contains(employee.managing_unit)


def can_view_sensitive_in_unit(user, unit) -> bool:
    """The same for data of a unit's people that is not yet a record (a new hire, an import)."""
    return sensitive_scope(user).contains(unit)


def sensitive_checker(user):
    """can_view_sensitive for many rows at once, from (unit id, unit path), without queries."""
    return sensitive_scope(user).contains_row


def sensitive_scope_q(user, prefix: str = EMPLOYEE_UNIT) -> Q:
    """The same decision as a filter over many employees (the list, and the CCCD search, which
    would otherwise let anyone probe for a number). `prefix` leads to the unit."""
    return sensitive_scope(user).q(prefix)


# --- export, and the read-access log ---------------------------------------------------------


def can_export_employees(user) -> bool:
    """Any user with a grant may export what they may see; every export is logged."""
    return bool(active_grants(user))


def can_open_export_job(user, job) -> bool:
    """A background export (records.export_jobs) is its owner's alone: nobody else learns it
    exists, not an inspector, not a superuser, since the file holds what its owner may see.
    Whether the owner may still take the file out is the export kind's own rule."""
    return user.is_authenticated and job.user_id == user.pk


def export_jobs_q(user) -> Q:
    """The same decision over many jobs."""
    return Q(user=user) if user.is_authenticated else Q(pk__in=[])


def access_log_scope(user) -> UnitScope:
    """The read-access log is read by inspectors, about their subtree, and by superusers."""
    if not user.is_authenticated:
        return UnitScope()
    if user.is_superuser:
        return UnitScope(everything=True)
    return UnitScope(subtrees=granted_paths(user, [Role.INSPECTOR]))


def can_view_access_log(user) -> bool:
    return not access_log_scope(user).is_empty


def access_log_q(user) -> Q:
    """Entries `user` may read: reads of files of employees in the scope, and reads with no
    file (exports, requests for people not yet on file) by accounts holding a grant there."""
    scope = access_log_scope(user)
    if scope.everything:
        return Q()
    readers = RoleGrant.objects.filter(scope.q("unit__"), user=OuterRef("user"))
    return scope.q("employee__managing_unit__") | Q(Exists(readers), employee__isnull=True)


# --- anomalies for inspectors (oversight.anomalies) ---------------------------------------------


def anomaly_scope(user) -> UnitScope:
    """The anomaly signals are read by whoever reads the access log, about the same units: an
    inspector about their subtrees, a superuser about everything. (The signals link to that log,
    so the two cannot be granted apart.)"""
    return access_log_scope(user)


def can_view_anomalies(user) -> bool:
    """Whether the anomaly pages (and their menu entry) are for `user`."""
    return not anomaly_scope(user).is_empty


def anomalies_q(user, unit_prefix: str) -> Q:
    """The rows of a signal `user` may see, by the unit the row belongs to (`unit_prefix` is the
    lookup path to it, e.g. "unit__" for a request or a grant)."""
    return anomaly_scope(user).q(unit_prefix)


def anomaly_actors_q(user, user_field: str = "user") -> Q:
    """Rows about an account's own acts (a read alert, an export), which belong to no unit: those
    of accounts that hold, or held, a grant in the scope."""
    scope = anomaly_scope(user)
    if scope.everything:
        return Q()
    if scope.is_empty:
        return Q(pk__in=[])
    holders = RoleGrant.objects.filter(scope.q("unit__"), user=OuterRef(user_field))
    return Q(Exists(holders))
