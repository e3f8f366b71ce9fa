"""Each decision's two forms agree, and say what the rule says, on generated worlds.

Hypothesis draws a unit tree, users (some disabled, one maybe a superuser), role grants with
validity dates around today (some revoked), delegations (dated, some revoked), employees and
change requests in every state with earlier decisions. For every user and object, the check
(can_*, on one object) and the queryset (the list, the queue) must give the same answer, and
that answer must be the one computed here from the drawn data by the rule as written in the
README, a third statement of the rule that shares no code with the other two."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings, target
from hypothesis import strategies as st

from records.models import Employee
from records.permissions import can_view_employee, can_view_sensitive, sensitive_checker, sensitive_scope_q
from records.selectors import list_employees
from tests.conftest import setup_context
from units.models import Role, RoleGrant, Unit
from units.permissions import (
    can_manage_grant,
    can_propose_for_unit,
    can_view_unit,
    grant_admin_scope,
    list_proposing_units,
)
from units.selectors import list_visible_units
from workflows.models import ApprovalDecision, ChangeRequest, Delegation
from workflows.permissions import approval_capacity, can_view_change_request, visible_pending_at_q
from workflows.selectors import (
    list_approvable_change_requests,
    list_approvable_change_requests_by_unit,
    list_change_requests,
)

ROLES = list(Role.values)
STATUSES = list(ChangeRequest.Status.values)
USERS = 4
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no example store written into the worktree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- the drawn world ---------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    parents: tuple  # parents[i]: index of unit i's parent, None for a root (unit 0 is a root)
    active: tuple  # active[u]: whether user u's account is enabled
    superuser: int | None
    grants: tuple  # (user, unit, role, starts in days, ends in days or None, revoked)
    delegations: tuple  # (delegator, delegate, starts in days, ends in days, revoked)
    employees: tuple  # the managing unit of each employee
    requests: tuple  # (unit, target, employee, submitter, status, pending, level, decisions)

    def ancestors(self, unit) -> set:
        """The unit and every unit above it."""
        found = set()
        while unit is not None:
            found.add(unit)
            unit = self.parents[unit]
        return found


# Dates are drawn so that most grants and delegations are in force and some are not: ended
# yesterday, starting tomorrow, or revoked; the interesting worlds are those where they meet.
STARTS = st.sampled_from([-2, -1, 0, 0, 1])
ENDS = st.sampled_from([None, None, 0, 2, -1])
REVOKED = st.sampled_from([False, False, False, True])


@st.composite
def worlds(draw, *, approvals: bool = False) -> World:
    """A world; with `approvals`, a small one crowded with approver grants, delegations and
    submitted requests, where the approval rule's every clause is exercised."""
    size = draw(st.integers(min_value=1, max_value=2 if approvals else 6))
    roles = st.sampled_from([Role.APPROVER] * 5 + ROLES) if approvals else st.sampled_from(ROLES)
    parents = (None,) + tuple(draw(st.sampled_from([None, *range(i)])) for i in range(1, size))
    units = st.integers(min_value=0, max_value=size - 1)
    users = st.integers(min_value=0, max_value=USERS - 1)
    grants = draw(
        st.lists(
            st.tuples(users, units, roles, STARTS, ENDS, REVOKED),
            min_size=1,
            max_size=9,
        )
    )
    delegations = draw(
        st.lists(
            st.tuples(users, users, STARTS, ENDS.map(lambda e: 1 if e is None else e), REVOKED).filter(
                lambda d: d[0] != d[1]
            ),
            min_size=1 if approvals else 0,
            max_size=4,
        )
    )
    employees = draw(st.lists(units, min_size=1, max_size=4))
    decision = st.tuples(st.integers(min_value=0, max_value=2), units, users, st.none() | users)
    requests = draw(
        st.lists(
            st.tuples(
                units,
                st.none() | units,
                st.none() | st.integers(min_value=0, max_value=len(employees) - 1),
                users,
                st.sampled_from([ChangeRequest.Status.SUBMITTED] * (9 if approvals else 3) + STATUSES),
                units if approvals else st.none() | units | units,
                st.integers(min_value=0, max_value=2),
                st.lists(decision, max_size=2),
            ),
            min_size=2 if approvals else 0,
            max_size=4,
        )
    )
    return World(
        parents=parents,
        active=tuple(draw(st.lists(st.sampled_from([True, True, True, False]), min_size=USERS, max_size=USERS))),
        superuser=draw(st.none() | users),
        grants=tuple(grants),
        delegations=tuple(delegations),
        employees=tuple(employees),
        requests=tuple(requests),
    )


@dataclass
class Built:
    units: list
    users: list
    employees: list
    requests: list

    def fresh(self, index):
        """User `index` as a new request would load them: nothing cached from an earlier check."""
        return get_user_model().objects.get(pk=self.users[index].pk)

    @property
    def requests_by_pk(self) -> dict:
        return {change_request.pk: change_request for change_request in self.requests}


def build(world: World) -> Built:
    """Write the world to the database (inside the example's transaction)."""
    today = timezone.localdate()
    day = lambda offset: today + datetime.timedelta(days=offset)  # noqa: E731
    User = get_user_model()
    loader = User.objects.create_user(username="property_loader")
    units = []
    with setup_context(loader):
        for i, parent in enumerate(world.parents):
            fields = {"code": f"P{i}", "name": f"Đơn vị {i}", "kind": Unit.Kind.AGENCY}
            if parent is None:
                unit = Unit.objects.add_root(fields)
            else:
                unit = Unit.objects.add_child(Unit.objects.get(pk=units[parent].pk), fields)
            units.append(unit)
    units = [Unit.objects.get(pk=u.pk) for u in units]
    users = [
        User.objects.create_user(username=f"property_{u}", is_active=world.active[u], is_superuser=world.superuser == u)
        for u in range(USERS)
    ]
    for user, unit, role, starts, ends, revoked in world.grants:
        RoleGrant.objects.create(
            user=users[user],
            unit=units[unit],
            role=role,
            valid_from=day(starts),
            valid_to=None if ends is None else day(ends),
            revoked_at=timezone.now() if revoked else None,
        )
    for delegator, delegate, starts, ends, revoked in world.delegations:
        Delegation.objects.create(
            delegator=users[delegator],
            delegate=users[delegate],
            valid_from=day(starts),
            valid_to=day(ends),
            reason="Đi công tác",
            revoked_at=timezone.now() if revoked else None,
        )
    employees = []
    with setup_context(loader):
        for n, unit in enumerate(world.employees):
            employees.append(
                Employee.objects.create(
                    full_name=f"Cán bộ số {n}",
                    date_of_birth=datetime.date(1985, 3, 14),
                    sex=Employee.Sex.MALE,
                    citizen_id=f"00108500{n:04d}",
                    rank_code="01.003",
                    salary_step=3,
                    salary_coefficient="3.00",
                    employment_status=Employee.EmploymentStatus.CIVIL_SERVANT,
                    managing_unit=units[unit],
                )
            )
    requests = []
    for unit, target_unit, employee, submitter, status, pending, level, decisions in world.requests:
        change_request = ChangeRequest.objects.create(
            unit=units[unit],
            target_unit=None if target_unit is None else units[target_unit],
            employee=None if employee is None else employees[employee],
            title="Yêu cầu",
            reason="Lý do",
            status=status,
            pending_unit=None if pending is None else units[pending],
            pending_since=timezone.now() if status == ChangeRequest.Status.SUBMITTED else None,
            current_level=level,
            submitted_by=users[submitter],
            submitted_at=timezone.now(),
        )
        for decided_level, decision_unit, decided_by, acting_for in decisions:
            ApprovalDecision.objects.create(
                change_request=change_request,
                level=decided_level,
                unit=units[decision_unit],
                decision=ApprovalDecision.Decision.APPROVE,
                decided_by=users[decided_by],
                acting_for=None if acting_for is None else users[acting_for],
                decided_at=timezone.now(),
            )
        requests.append(change_request)
    return Built(units, users, employees, requests)


def delegation_cases(world) -> int:
    """How many (request, delegation) pairs put a delegation to the test: in force, from an
    approver of the request's level who is not the delegate's own level, on a submitted
    request of neither of them; hypothesis steers towards worlds with many (the rule's
    clauses about delegators, disabled or earlier deciders, only bite there)."""
    cases = 0
    for _unit, _target, _employee, submitter, status, pending, _level, _decisions in world.requests:
        for delegator, delegate, starts, ends, revoked in world.delegations:
            cases += (
                status == ChangeRequest.Status.SUBMITTED
                and submitter not in (delegator, delegate)
                and _in_force(starts, ends, revoked)
                and any(g == pending for g, _r in grants_of(world, delegator, [Role.APPROVER]))
                and not any(g == pending for g, _r in grants_of(world, delegate, [Role.APPROVER]))
            )
    return cases


def in_world(test=None, *, approvals=False, examples=None, cases=()):
    """Run `test(world, built)` on each drawn world (and on the worlds `cases`, always tried
    first), rolled back after each example."""
    if test is None:
        return lambda test: in_world(test, approvals=approvals, examples=examples, cases=cases)

    @pytest.mark.django_db
    @(settings(PROPERTY, max_examples=examples) if examples else PROPERTY)
    @given(world=worlds(approvals=approvals))
    def run(world):
        if approvals:
            target(float(delegation_cases(world)), label="delegation cases")
        with transaction.atomic():
            test(world, build(world))
            transaction.set_rollback(True)

    for case in cases:
        run = example(world=case)(run)
    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


# --- the rules as the README states them, on the drawn data -----------------------------------------


def _in_force(starts, ends, revoked) -> bool:
    return starts <= 0 and (ends is None or ends >= 0) and not revoked


def grants_of(world, user, roles=None) -> list:
    """(unit, role) of the user's grants in force today."""
    return [
        (unit, role)
        for who, unit, role, starts, ends, revoked in world.grants
        if who == user and _in_force(starts, ends, revoked) and (roles is None or role in roles)
    ]


def sees_unit(world, user, unit) -> bool:
    return any(granted in world.ancestors(unit) for granted, _role in grants_of(world, user))


def sees_sensitive(world, user, unit) -> bool:
    if world.superuser == user:
        return True
    exact = any(granted == unit for granted, _role in grants_of(world, user))
    return exact or any(granted in world.ancestors(unit) for granted, _r in grants_of(world, user, [Role.INSPECTOR]))


def manages_grant(world, user, unit, role) -> bool:
    if world.superuser == user:
        return True
    above = world.ancestors(unit) - ({unit} if role == Role.UNIT_ADMIN else set())
    return any(granted in above for granted, _role in grants_of(world, user, [Role.UNIT_ADMIN]))


def sees_request(world, user, request) -> bool:
    unit, target, _employee, _submitter, _status, pending, _level, decisions = request
    exact = {granted for granted, _role in grants_of(world, user)}
    return (
        sees_unit(world, user, unit)
        or (target is not None and sees_unit(world, user, target))
        or pending in exact
        or any(decision_unit in exact for _lvl, decision_unit, _by, _for in decisions)
    )


def may_approve(world, user, request) -> bool:
    """The submitter never decides, nobody decides two levels (nor for someone who did), and
    a delegation from an active approver of the level lets a colleague act for them."""
    _unit, _target, _employee, submitter, status, pending, level, decisions = request
    if status != ChangeRequest.Status.SUBMITTED or pending is None or not world.active[user] or user == submitter:
        return False
    earlier = {person for lvl, _u, by, for_ in decisions if lvl < level for person in (by, for_) if person is not None}
    if user in earlier:
        return False

    def approves_here(person):
        return any(granted == pending for granted, _role in grants_of(world, person, [Role.APPROVER]))

    if approves_here(user):
        return True
    return any(
        delegate == user
        and _in_force(starts, ends, revoked)
        and world.active[delegator]
        and delegator != submitter
        and delegator not in earlier
        and approves_here(delegator)
        for delegator, delegate, starts, ends, revoked in world.delegations
    )


# A world every scope test tries first: a ministry (0) with an agency (1) above a sub-agency
# (2), and another agency (3). User 0 administers the agency and has an officer grant on the
# other from tomorrow; user 1 inspects the agency and approved the sub-agency until yesterday;
# user 2 views the agency; user 3 is a superuser with no grant. A request of the sub-agency
# transfers a person to the other agency, and its first level was decided at the other agency.
SCOPE_CASES = (
    World(
        parents=(None, 0, 1, 0),
        active=(True, True, True, True),
        superuser=3,
        grants=(
            (0, 1, Role.UNIT_ADMIN, 0, None, False),
            (1, 1, Role.INSPECTOR, 0, None, False),
            (2, 1, Role.VIEWER, 0, 2, False),
            (0, 3, Role.OFFICER, 1, None, False),
            (1, 2, Role.APPROVER, -2, -1, False),
            (2, 3, Role.VIEWER, 0, None, True),
        ),
        delegations=(),
        employees=(0, 1, 2, 3),
        requests=(
            (2, 3, 2, 0, ChangeRequest.Status.SUBMITTED, 1, 1, ((0, 3, 1, None),)),
            (3, None, None, 1, ChangeRequest.Status.RETURNED, None, 0, ()),
        ),
    ),
)


# --- check form == queryset form == the rule ----------------------------------------------------------


@in_world(cases=SCOPE_CASES)
def test_see_unit(world, built):
    for u in range(USERS):
        user = built.fresh(u)
        listed = set(list_visible_units(user=user).values_list("pk", flat=True))
        for i, unit in enumerate(built.units):
            assert can_view_unit(user, unit) == (unit.pk in listed) == sees_unit(world, u, i), (u, i)


@in_world(cases=SCOPE_CASES)
def test_see_employee(world, built):
    for u in range(USERS):
        user = built.fresh(u)
        listed = set(list_employees(user=user).values_list("pk", flat=True))
        for n, employee in enumerate(built.employees):
            expected = sees_unit(world, u, world.employees[n])
            assert can_view_employee(user, employee) == (employee.pk in listed) == expected, (u, n)


@in_world(cases=SCOPE_CASES)
def test_see_sensitive(world, built):
    for u in range(USERS):
        user = built.fresh(u)
        listed = set(Employee.objects.filter(sensitive_scope_q(user)).values_list("pk", flat=True))
        rows = sensitive_checker(user)
        for n, employee in enumerate(built.employees):
            unit = employee.managing_unit
            expected = sees_sensitive(world, u, world.employees[n])
            assert can_view_sensitive(user, employee) == (employee.pk in listed) == expected, (u, n)
            assert rows(unit.pk, unit.path) == expected, (u, n)


@in_world(cases=SCOPE_CASES)
def test_propose_for_unit(world, built):
    for u in range(USERS):
        user = built.fresh(u)
        listed = set(list_proposing_units(user).values_list("pk", flat=True))
        for i, unit in enumerate(built.units):
            expected = any(g == i for g, _r in grants_of(world, u, [Role.OFFICER]))
            assert can_propose_for_unit(user, unit) == (unit.pk in listed) == expected, (u, i)


@in_world(cases=SCOPE_CASES)
def test_manage_grants(world, built):
    grantee = get_user_model().objects.create_user(username="property_grantee")
    for u in range(USERS):
        user = built.fresh(u)
        for role in ROLES:
            listed = set(Unit.objects.filter(grant_admin_scope(user, role).q()).values_list("pk", flat=True))
            for i, unit in enumerate(built.units):
                expected = manages_grant(world, u, i, role)
                checked = can_manage_grant(user, unit=unit, role=role, grantee=grantee)
                assert checked == (unit.pk in listed) == expected, (u, i, role)
            # Nobody changes their own grants, whatever their scope.
            assert not any(can_manage_grant(user, unit=unit, role=role, grantee=user) for unit in built.units)


@in_world(cases=SCOPE_CASES)
def test_see_change_request(world, built):
    for u in range(USERS):
        user = built.fresh(u)
        listed = set(list_change_requests(user=user).values_list("pk", flat=True))
        for n, change_request in enumerate(built.requests):
            expected = sees_request(world, u, world.requests[n])
            assert can_view_change_request(user, change_request) == (change_request.pk in listed) == expected, (u, n)
        # The queue's shortcut, asked per unit a request waits at: the same requests.
        for unit in built.units:
            pending_here = ChangeRequest.objects.filter(pending_unit=unit)
            shortcut = set(pending_here.filter(visible_pending_at_q(user, unit.pk)).values_list("pk", flat=True))
            assert shortcut == {pk for pk in pending_here.values_list("pk", flat=True) if pk in listed}, (u, unit)


def _one_level(
    *, active=(True, True, True, True), approver_grant=(0, None, False), delegation=(0, 1, False), level=0, decisions=()
) -> World:
    """One unit; user 0 approves there (grant dates and revocation as given), user 1 may act
    for them under `delegation` (starts, ends, revoked), user 2 submitted, user 3 approves too."""
    starts, ends, revoked = approver_grant
    return World(
        parents=(None,),
        active=active,
        superuser=None,
        grants=(
            (0, 0, Role.APPROVER, starts, ends, revoked),
            (1, 0, Role.VIEWER, 0, None, False),
            (2, 0, Role.OFFICER, 0, None, False),
            (3, 0, Role.APPROVER, 0, None, False),
        ),
        delegations=((0, 1, *delegation),),
        employees=(0,),
        requests=((0, None, 0, 2, ChangeRequest.Status.SUBMITTED, 0, level, decisions),),
    )


# Worlds every run tries first: each clause of the approval rule, the delegation ones above all.
APPROVAL_CASES = (
    _one_level(),  # the delegate acts for the approver
    _one_level(active=(False, True, True, True)),  # the approver's account is disabled: no one acts for them
    _one_level(delegation=(0, 1, True)),  # the delegation was revoked
    _one_level(delegation=(1, 2, False)),  # the delegation starts tomorrow
    _one_level(delegation=(-2, -1, False)),  # the delegation ended yesterday
    _one_level(approver_grant=(1, None, False)),  # the approver's grant starts tomorrow
    _one_level(approver_grant=(-2, -1, False)),  # ... ended yesterday
    _one_level(approver_grant=(0, None, True)),  # ... was revoked
    _one_level(level=1, decisions=((0, 0, 0, None),)),  # the approver decided level 1: not level 2, nor for them
    _one_level(level=1, decisions=((0, 0, 3, 0),)),  # level 1 was decided for the approver
    _one_level(level=1, decisions=((0, 0, 1, None),)),  # the delegate decided level 1 themselves
    _one_level(level=1, decisions=((1, 0, 1, None),)),  # a decision at this level, not an earlier one
)


@in_world(approvals=True, examples=80, cases=APPROVAL_CASES)
def test_approve_change_request_with_delegations(world, built):
    for u in range(USERS):
        user = built.fresh(u)
        queue = set(list_approvable_change_requests(user=user).values_list("pk", flat=True))
        # The queue's form, a queryset per unit the requests wait at: the same requests, each
        # under the unit it waits at.
        by_unit = {
            unit: set(queryset.values_list("pk", flat=True))
            for unit, queryset in list_approvable_change_requests_by_unit(user=user).items()
        }
        assert set().union(*by_unit.values()) == queue, u
        for unit, pks in by_unit.items():
            assert all(built.requests_by_pk[pk].pending_unit_id == unit for pk in pks), (u, unit)
        for n, change_request in enumerate(built.requests):
            fresh_request = ChangeRequest.objects.get(pk=change_request.pk)
            capacity = approval_capacity(user, fresh_request)
            expected = may_approve(world, u, world.requests[n])
            assert (capacity is not None) == (change_request.pk in queue) == expected, (u, n)
            if capacity is not None and capacity[0] is not None:  # acting for someone: a real delegation to u
                acting_for, delegation = capacity
                assert delegation.delegate_id == user.pk and delegation.delegator_id == acting_for.pk
