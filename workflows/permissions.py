"""Who may see, approve, rework or manage a change request, and delegate approvals: each
decision defined once, with both forms its callers need, the check on one request and the
filter over a queryset (the queue, the reminders, viewflow's lists) derived from it."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from records.permissions import (
    can_export_employees,
    can_propose_change,
    can_view_sensitive,
    can_view_sensitive_in_unit,
)
from units.models import Role, RoleGrant, Unit
from units.permissions import can_propose_for_unit, propose_scope, visible_scope
from units.scope import (
    NOTHING,
    UnitScope,
    grant_rows_by_user,
    granted_paths,
    granted_unit_ids,
    in_force,
    preload_grants,
    remembered,
)

from .models import ApprovalDecision, ChangeRequest, Delegation, Escalation

# --- see a request ---------------------------------------------------------------------------


def visible_change_requests_q(user) -> Q:
    """Requests about data of the user's subtrees (or a transfer into them), or routed to one
    of the units they hold a grant on for a decision, now or at an earlier level, or escalated
    to them (workflows.escalation) while their account is active."""
    granted = UnitScope(unit_ids=granted_unit_ids(user))
    scope = visible_scope(user)
    decided_here = ApprovalDecision.objects.filter(granted.q("unit__"), change_request=OuterRef("pk"))
    visible = scope.q("unit__") | scope.q("target_unit__") | granted.q("pending_unit__") | Q(Exists(decided_here))
    if user.is_authenticated and user.is_active:
        escalated = Escalation.objects.filter(change_request=OuterRef("pk"), escalated_to=user.pk)
        visible |= Q(Exists(escalated))
    return visible


def visible_pending_at_q(user, unit_id) -> Q:
    """visible_change_requests_q for requests pending at `unit_id`: nothing more to ask when the
    user holds a grant on that unit (the rule's clause on the pending unit), else the whole rule.
    The queue's per-unit ranges use it, so they need not join the units to test visibility."""
    return Q() if unit_id in granted_unit_ids(user) else visible_change_requests_q(user)


def can_view_change_request(user, change_request) -> bool:
    """The same rule asked of one request (one query)."""
    return ChangeRequest.objects.filter(visible_change_requests_q(user), pk=change_request.pk).exists()


def can_view_sensitive_in_request(user, change_request) -> bool:
    """Sensitive values in a request (identity numbers, health, family, discipline) are shown
    to those who see them in the file (for a person not yet on file: in the unit's files),
    and to approvers of any of the request's levels."""
    if change_request.employee_id:
        if can_view_sensitive(user, change_request.employee):
            return True
    elif can_view_sensitive_in_unit(user, change_request.unit):
        return True
    approvers_of = granted_unit_ids(user, [Role.APPROVER])
    return any(unit.pk in approvers_of for unit in change_request.approval_units())


# --- approve the current level -----------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    """One way a user may decide: on their own approver grants (acting_for None), or for an
    approver who delegated to them (acting_for, under `delegation`). `unit_ids`: the units
    whose approvers they act as."""

    unit_ids: frozenset
    acting_for: object = None
    delegation: Delegation | None = None


def delegation_rows(user_id) -> list[tuple]:
    """The delegations to the user not revoked and not yet ended, from approvers whose account
    is active, each with its delegator and the delegator's grants (`grant_rows`): what a cached
    copy keeps, so that dates are judged when it is read."""
    return delegation_rows_by_user([user_id])[user_id]


def delegation_rows_by_user(user_ids) -> dict[int, list[tuple]]:
    """delegation_rows of several users, {user id: rows}: two queries whatever their number."""
    rows = {pk: [] for pk in user_ids}
    delegations = list(
        Delegation.objects.filter(
            delegate_id__in=list(rows),
            revoked_at__isnull=True,
            valid_to__gte=timezone.localdate(),
            delegator__is_active=True,
        )
        .select_related("delegator")
        .order_by("valid_from", "pk")
    )
    grants = grant_rows_by_user({d.delegator_id for d in delegations}) if delegations else {}
    for delegation in delegations:
        rows[delegation.delegate_id].append((delegation, grants[delegation.delegator_id]))
    return rows


def preload_approval_capacities(users) -> None:
    """Reads what approval_capacities asks of each user for many users at once (the approvers
    told of a request, who are not the signed-in user): their grants and the delegations to
    them, a few queries in all instead of two per user."""
    users = [user for user in users if not hasattr(user, "_approval_capacities")]
    if not users:
        return
    ids = [user.pk for user in users]
    grants, delegations = grant_rows_by_user(ids), delegation_rows_by_user(ids)
    for user in users:
        preload_grants(user, grants[user.pk])
        user._delegation_rows = delegations[user.pk]


def received_delegations(user_id) -> bool:
    """Whether the user has ever received a delegation (the menu shows them the page)."""
    return Delegation.objects.filter(delegate_id=user_id).exists()


def preload_delegations(user, rows, received: bool) -> None:
    """Gives the user object its delegations from `delegation_rows` and `received_delegations`
    kept elsewhere (config.user_cache), so this request asks the database nothing about them."""
    user._delegation_rows = rows
    user._received_delegations = received


def _capacities_from(rows) -> list[Capacity]:
    today = timezone.localdate()
    return [
        Capacity(
            frozenset(unit for unit, _path, role in in_force(grants, today) if role == Role.APPROVER),
            delegation.delegator,
            delegation,
        )
        for delegation, grants in rows
        if delegation.valid_from <= today <= delegation.valid_to
    ]


def approval_capacities(user) -> list[Capacity]:
    """The user's own approver grants, then each delegation in force to them from an approver
    whose account is still active; read once per user object (once per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return remembered(
        user,
        "_approval_capacities",
        lambda: [
            Capacity(granted_unit_ids(user, [Role.APPROVER])),
            *_capacities_from(remembered(user, "_delegation_rows", lambda: delegation_rows(user.pk))),
        ],
    )


def approval_capacity(user, change_request):
    """How `user` may decide the request's current level: None when they may not; otherwise
    (acting_for, delegation): (None, None) on their own grant, or the approver and the
    delegation they act under. The submitter never decides their own request, nobody decides
    two levels of one request, and a delegation changes neither rule."""
    if change_request.status != ChangeRequest.Status.SUBMITTED or change_request.pending_unit_id is None:
        return None
    if not user.is_authenticated or change_request.submitted_by_id == user.pk:
        return None
    capacities = [c for c in approval_capacities(user) if change_request.pending_unit_id in c.unit_ids]
    if not capacities:
        return None
    earlier = change_request.earlier_deciders()
    if user.pk in earlier:
        return None
    for capacity in capacities:
        acting_for = capacity.acting_for
        if acting_for is not None and (acting_for.pk == change_request.submitted_by_id or acting_for.pk in earlier):
            continue
        return (acting_for, capacity.delegation)
    return None


def may_approve_somewhere(user) -> bool:
    """Whether the user decides anywhere now (an approver grant, or a delegation in force from
    an approver): the queue is theirs to look at (the home page shows it exactly then)."""
    return any(capacity.unit_ids for capacity in approval_capacities(user))


def can_approve_change_request(user, change_request) -> bool:
    """An approver of the unit at the current level decides, or a colleague acting for one."""
    return approval_capacity(user, change_request) is not None


def _decided_earlier(person_pk) -> Exists:
    return Exists(
        ApprovalDecision.objects.filter(change_request=OuterRef("pk"), level__lt=OuterRef("current_level")).filter(
            Q(decided_by=person_pk) | Q(acting_for=person_pk)
        )
    )


def _approvable_terms(user) -> tuple[Q, list[tuple[frozenset, Q]]]:
    """approval_capacity as filters: (what every approvable request satisfies, [(units, what a
    request pending at one of `units` must also satisfy)]). Units are grouped by the capacities
    that cover them, so one term serves all the units of the user's own grants."""
    capacities = approval_capacities(user)
    common = Q(status=ChangeRequest.Status.SUBMITTED) & ~Q(submitted_by_id=user.pk) & ~Q(_decided_earlier(user.pk))
    covering = {}  # unit -> the capacities that include it, in order
    for index, c in enumerate(capacities):
        for unit in c.unit_ids:
            covering.setdefault(unit, []).append(index)
    groups = {}
    for unit, indexes in covering.items():
        groups.setdefault(tuple(indexes), set()).add(unit)
    terms = []
    for indexes, units in sorted(groups.items()):
        chosen = [capacities[i] for i in indexes]
        if any(c.acting_for is None for c in chosen):
            extra = Q()  # on their own grant: nothing more to ask
        else:
            extra = Q(pk__in=[])
            for c in chosen:
                extra |= ~Q(submitted_by_id=c.acting_for.pk) & ~Q(_decided_earlier(c.acting_for.pk))
        terms.append((frozenset(units), extra))
    return common, terms


def approvable_change_requests_q(user) -> Q:
    """approval_capacity as a filter: the requests `user` may decide now."""
    common, terms = _approvable_terms(user)
    if not terms:
        return Q(pk__in=[])
    capacity = Q(pk__in=[])
    for units, extra in terms:
        capacity |= Q(pending_unit_id__in=sorted(units)) & extra
    return common & capacity


def approvable_change_requests_by_unit_q(user) -> dict[int, Q]:
    """The same filter split by the unit the request waits at, {unit id: filter}: the queue
    reads each unit's requests through the index on (pending unit, pending since), a range per
    unit, instead of walking every open request. Their union is approvable_change_requests_q
    (tests/test_permissions_property.py checks both against the rule)."""
    common, terms = _approvable_terms(user)
    return {unit: common & Q(pending_unit_id=unit) & extra for units, extra in terms for unit in sorted(units)}


# --- rework, manage ------------------------------------------------------------------------------


def can_rework_change_request(user, change_request) -> bool:
    """The submitter edits a returned request, while still an officer of the unit."""
    return change_request.submitted_by_id == user.pk and can_propose_for_unit(user, change_request.unit)


def can_manage_workflow(user) -> bool:
    """Cancelling, undoing or reviving flow tasks is a system administrator's act."""
    return user.is_authenticated and user.is_superuser


def can_use_workflow(user) -> bool:
    """The approval app (queue, inbox, requests) is for users with a grant."""
    return bool(granted_unit_ids(user))


# --- delegate approvals -----------------------------------------------------------------------------


def can_delegate_approvals(user) -> bool:
    """Anyone who approves somewhere may hand their approvals to a colleague for a while."""
    return bool(granted_unit_ids(user, [Role.APPROVER]))


def delegate_candidates_q(delegator) -> Q:
    """To whom `delegator` may delegate (over users): an active colleague holding a grant on a
    unit where the delegator approves, never the delegator."""
    units = sorted(granted_unit_ids(delegator, [Role.APPROVER]))
    colleagues = RoleGrant.objects.active().filter(unit_id__in=units).values("user_id")
    return Q(pk__in=colleagues, is_active=True) & ~Q(pk=delegator.pk)


def can_delegate_to(delegator, delegate) -> bool:
    """The same rule asked of one colleague (one query)."""
    return get_user_model().objects.filter(delegate_candidates_q(delegator), pk=delegate.pk).exists()


def can_view_delegations(user) -> bool:
    """The delegations page: approvers, and whoever has received a delegation (read once per
    request, since the menu asks on every page)."""
    if not user.is_authenticated:
        return False
    if can_delegate_approvals(user):
        return True
    return remembered(user, "_received_delegations", lambda: received_delegations(user.pk))


def revocable_delegations_q(user) -> Q:
    """Delegations `user` may revoke: their own; a superuser any (to stop one being misused)."""
    return Q() if user.is_superuser else Q(delegator_id=user.pk)


def can_revoke_delegation(user, delegation) -> bool:
    """The same rule asked of one delegation."""
    return user.is_superuser or delegation.delegator_id == user.pk


def can_withdraw_change_request(user, change_request) -> bool:
    """The submitter, while still an officer of the unit, withdraws a request no level has
    decided since it was (re)submitted, or one returned to them (workflows.lifecycle)."""
    from .lifecycle import ChangeRequestLifecycle

    return (
        user.is_authenticated
        and change_request.submitted_by_id == user.pk
        and ChangeRequestLifecycle(change_request).withdraw.can_proceed()
        and can_propose_for_unit(user, change_request.unit)
    )


# --- work due items give the officers (workflows.due_work) ----------------------------------


def can_act_on_due_task(user, task) -> bool:
    """A draft or a deadline about a person is for whoever may propose changes to that
    person's record (records.permissions.can_propose_change): the officers of the managing unit."""
    return user.is_authenticated and can_propose_change(user, task.employee)


def due_tasks_q(user) -> Q:
    """The same rule over many tasks (the inbox)."""
    return propose_scope(user).q("employee__managing_unit__")


# --- the inspectors' timeline (oversight.timeline) ---------------------------------------------

TIMELINE_ROLES = (Role.INSPECTOR, Role.VIEWER)


def timeline_scope(user) -> UnitScope:
    """The timeline of every change (oversight) is read by inspectors and viewers about their
    subtree, and by superusers about everything, as the read-access log is
    (records.permissions.access_log_scope). A request is in the timeline of its managing unit
    and of its other unit, a transfer's receiving one (timeline_units): the person's old and new
    units both see the move. Officers and approvers see requests through the approval app."""
    if not user.is_authenticated:
        return UnitScope()
    if user.is_superuser:
        return UnitScope(everything=True)
    return UnitScope(subtrees=granted_paths(user, TIMELINE_ROLES))


def can_view_timeline(user) -> bool:
    """Whether the timeline (its page, menu entry and exports) is for `user` at all."""
    return not timeline_scope(user).is_empty


def can_view_timeline_of(user, change_request) -> bool:
    """The same rule asked of one request (no query when its units are read with it)."""
    scope = timeline_scope(user)
    return scope.contains(change_request.unit) or (
        change_request.target_unit_id is not None and scope.contains(change_request.target_unit)
    )


def timeline_q(user, prefix: str = "") -> Q:
    """The same rule over change requests (`prefix` leads to the request): its managing unit or
    its receiving unit in the scope."""
    scope = timeline_scope(user)
    if scope.is_empty:
        return NOTHING
    if scope.everything or _covers_every_tree(scope):
        return Q()  # no check at all, not one against every unit (the planner misjudges it)
    return requests_of_units_q(Unit.objects.filter(scope.q()), prefix)


def timeline_units(user):
    """The units whose requests `user` reads in the timeline (a queryset: every unit for a
    superuser), as timeline_q checks them."""
    return Unit.objects.filter(timeline_scope(user).q())


def _covers_every_tree(scope: UnitScope) -> bool:
    """Whether the scope's subtrees hold every root unit (a ministry inspector): every request."""
    roots = Unit.objects.filter(depth=1).values_list("path", flat=True)
    return bool(scope.subtrees) and all(any(root.startswith(p) for p in scope.subtrees) for root in roots)


UNIT_IDS_INLINE = 1000  # up to this many units, their ids are written into the query


def requests_of_units_q(units, prefix: str = "") -> Q:
    """Change requests whose managing unit or receiving unit is one of `units` (a queryset), as
    the timeline checks them on its index of (submitted_at, id) that carries both units: no join
    to the units' paths for every request walked. Up to UNIT_IDS_INLINE units, their ids (one
    query; the planner sees how many requests each has); beyond, a subquery (PostgreSQL hashes
    it once), so a ministry-wide scope is not thousands of literals to plan."""
    ids = list(units.order_by().values_list("pk", flat=True)[: UNIT_IDS_INLINE + 1])
    if len(ids) > UNIT_IDS_INLINE:
        ids = units.order_by().values("pk")
    return Q(**{f"{prefix}unit_id__in": ids}) | Q(**{f"{prefix}target_unit_id__in": ids})


def requests_of_units_ranges(unit_ids: list) -> list[tuple[Q, str, list]]:
    """requests_of_units_q's rule as disjoint index ranges (where, column, values), for the
    timeline of a few units (tracking.keyset.paginate_union): per unit, its own requests; per
    unit, the transfers it receives whose managing unit is not one of `unit_ids` (those are
    already in their managing unit's range)."""
    ids = sorted(unit_ids)
    return [(Q(), "unit_id", ids), (~Q(unit_id__in=ids), "target_unit_id", ids)]


def can_export_timeline(user) -> bool:
    """Exporting the timeline (xlsx, pdf): whoever reads it and may export what they see."""
    return can_view_timeline(user) and (user.is_superuser or can_export_employees(user))
