"""Who asks, where the object is, and the rules that say what the answer must be.

A rule is a function (who, position, method) -> the set of acceptable answers. Answers are
status codes as strings ("200", "403", "404", "405") or, for a redirect, where it goes:
"login" (the site's login page), "admin_login" (the admin's), "302" (anywhere else).

Positions are relative to the unit every role user holds its grant on ("own"):

    Bộ Tài chính                parent
    ├── Cục Thuế                own       ← officer, approver, viewer, inspector, unit_admin
    │   └── Chi cục Thuế KV I   child
    └── Kho bạc Nhà nước        sibling
        └── Kho bạc KV I        other_branch

and "ministry_admin" holds a unit-administrator grant on the root, so for it every position
but "parent" lies below its unit. Task URLs are tried once more with a crafted pair: a process
the user may see and a task of another branch (FOREIGN_TASK).
"""

from dataclasses import dataclass

from units.models import Role

POSITIONS = ("own", "child", "parent", "sibling", "other_branch")
GLOBAL = None  # the one "position" of a URL that is about no unit's object

# Strict ancestors of each position's unit, by position.
_ANCESTORS = {
    "parent": (),
    "own": ("parent",),
    "child": ("own", "parent"),
    "sibling": ("parent",),
    "other_branch": ("sibling", "parent"),
}

OK = frozenset({"200"})
LOGIN = frozenset({"login"})
ADMIN_LOGIN = frozenset({"admin_login"})
REDIRECT = frozenset({"302"})
DENIED = frozenset({"403"})
NOT_FOUND = frozenset({"404"})
NOT_ALLOWED = frozenset({"405"})


def answers(*tokens) -> frozenset:
    return frozenset(str(t) for t in tokens)


@dataclass(frozen=True)
class Who:
    """A role of the matrix: a user with one grant (role on the unit at `at`), or none."""

    name: str
    authenticated: bool = True
    role: str | None = None
    at: str | None = None  # position of the unit the grant is on
    superuser: bool = False

    @property
    def has_grant(self) -> bool:
        return self.role is not None

    def relation(self, position) -> str:
        """ "same" (the grant's own unit), "below" (a unit under it), "outside", or "none"
        (no grant, or a URL about no unit)."""
        if self.at is None or position is None:
            return "none"
        if position == self.at:
            return "same"
        if self.at in _ANCESTORS[position]:
            return "below"
        return "outside"

    def covers(self, position) -> bool:
        """Whether the user may see data of the position's unit (grant on it or above it)."""
        return self.relation(position) in ("same", "below")


ROLES = (
    Who("anonymous", authenticated=False),
    Who("no_grants"),
    Who("superuser", superuser=True),
    Who("officer", role=Role.OFFICER, at="own"),
    Who("approver", role=Role.APPROVER, at="own"),
    Who("viewer", role=Role.VIEWER, at="own"),
    Who("inspector", role=Role.INSPECTOR, at="own"),
    Who("unit_admin", role=Role.UNIT_ADMIN, at="own"),
    Who("ministry_admin", role=Role.UNIT_ADMIN, at="parent"),
)
ROLE_BY_NAME = {who.name: who for who in ROLES}


# --- building blocks ----------------------------------------------------------------------


def login_required(inner):
    """Anonymous users are sent to the login page, whatever the method; the rest is `inner`."""

    def rule(who, position, method):
        if not who.authenticated:
            return LOGIN
        return inner(who, position, method)

    rule.__name__ = getattr(inner, "__name__", "rule")
    return rule


def _form(get, post=None):
    """A page with a form: `get` on GET; on POST with an empty body the same page comes back
    with errors (200), or the write is done and the user is redirected (302)."""
    return lambda method: get if method == "GET" else (post or answers(200, 302))


# --- public and account pages --------------------------------------------------------------


def public(who, position, method):
    """Anyone, signed in or not: the page (GET) or the form back with errors (POST)."""
    return OK


def public_redirect(who, position, method):
    """Anyone: a redirect (the site's index, the language switch)."""
    return REDIRECT


def logout_post_only(who, position, method):
    """Django 5 logs out on POST only, then sends everyone to the login page."""
    return NOT_ALLOWED if method == "GET" else LOGIN


@login_required
def any_signed_in_user(who, position, method):
    """Any signed-in user, grant or not (own account pages, scoped lists that may be empty)."""
    return _form(OK)(method)


@login_required
def signed_in_post_only(who, position, method):
    """An action on one's own rows (mark read): POST only, then back to the list."""
    return NOT_ALLOWED if method == "GET" else REDIRECT


@login_required
def otp_verify(who, position, method):
    """The second step of the login: with no confirmed device yet the user is sent to enrol."""
    return REDIRECT


# --- records and units: read, write ---------------------------------------------------------


@login_required
def read(who, position, method):
    """A page about one object: the grant's unit and the units below it see it; everyone else
    gets 404, so existence is not disclosed."""
    return OK if who.covers(position) else NOT_FOUND


@login_required
def write(who, position, method):
    """A page that proposes a change: an officer of exactly the object's unit; users who see
    the object but may not change it (other roles, upper units) 403; out of scope 404."""
    if not who.covers(position):
        return NOT_FOUND
    if who.role == Role.OFFICER and who.relation(position) == "same":
        return _form(OK)(method)
    return DENIED


@login_required
def export_with_grant(who, position, method):
    """An export, or the list of one's exported files: needs a grant (403 without); the unit
    filter is scoped like a read."""
    if not who.has_grant:
        return DENIED
    if position is GLOBAL:
        return OK
    return OK if who.covers(position) else NOT_FOUND


@login_required
def export_files(who, position, method):
    """The list of one's exported files ("Tệp xuất của tôi"): whoever may export something (a
    grant, or a superuser, who may export the inspectors' timeline)."""
    return OK if (who.has_grant or who.superuser) else DENIED


@login_required
def export_start(who, position, method):
    """Starting a background export: POST only (405 on GET); needs a grant (403 without); the
    unit filter is scoped like a read; then the job's page (302)."""
    if method == "GET":
        return NOT_ALLOWED
    if not who.has_grant:
        return DENIED
    if position is GLOBAL:
        return REDIRECT
    return REDIRECT if who.covers(position) else NOT_FOUND


@login_required
def own_export_job(who, position, method):
    """A background export's pages and file: its owner's alone (the role officer asked for the
    one of "own", other officers for the rest), 404 for everyone else who may export, not
    even a superuser or an inspector; 403 for whoever may export nothing (a superuser may export
    the inspectors' timeline, so their answer is 404 too)."""
    if not (who.has_grant or who.superuser):
        return DENIED
    return OK if (who.role == Role.OFFICER and position == "own") else NOT_FOUND


@login_required
def report(who, position, method):
    """A report over a unit: for the default unit (none named) a grant is needed, 403
    without; a named unit is read like any object: in scope 200, else 404 (no grant included)."""
    if position is GLOBAL:
        return OK if who.has_grant else DENIED
    return OK if who.covers(position) else NOT_FOUND


@login_required
def officer_anywhere(who, position, method):
    """The upload form: officers only (they choose among their own units); others 403."""
    return _form(OK)(method) if who.role == Role.OFFICER else DENIED


@login_required
def grant_or_superuser(who, position, method):
    """Ministry-wide reference pages (the approval policy): anyone with a grant, and superusers."""
    return OK if (who.has_grant or who.superuser) else DENIED


@login_required
def ministry_admin_only(who, position, method):
    """Editing the ministry-wide policy: superusers and unit administrators of the root."""
    if who.superuser or (who.role == Role.UNIT_ADMIN and who.at == "parent"):
        return _form(OK)(method)
    return DENIED


@login_required
def approvers_only(who, position, method):
    """Delegating one's approvals: approvers (and people who received a delegation)."""
    return _form(OK)(method) if who.role == Role.APPROVER else DENIED


@login_required
def own_delegation_post(who, position, method):
    """Revoking a delegation: the delegations app refuses (403) whoever may not open it, as
    its menu entry is hidden from them; then POST only; only its delegator (the approver of
    "own" gave the "own" one); for other approvers it does not exist."""
    if who.role != Role.APPROVER:
        return DENIED
    if method == "GET":
        return NOT_ALLOWED
    return REDIRECT if position == "own" else NOT_FOUND


@login_required
def inspectors_only(who, position, method):
    """The read-access log: inspectors (rows scoped to their subtree) and superusers."""
    return OK if (who.superuser or who.role == Role.INSPECTOR) else DENIED


def _administers(who, position):
    return who.superuser or (who.role == Role.UNIT_ADMIN and who.covers(position))


@login_required
def grant_admins(who, position, method):
    """Managing role grants: unit administrators (of their subtree) and superusers; others 403."""
    if who.superuser or who.role == Role.UNIT_ADMIN:
        return _form(OK)(method)
    return DENIED


@login_required
def grant_revoke(who, position, method):
    """Revoking a grant: POST only; an administrator of the grant's unit (or above it) is sent
    back to the list; other administrators get 404 (not theirs to see), everyone else 403."""
    if method == "GET":
        return NOT_ALLOWED
    if not (who.superuser or who.role == Role.UNIT_ADMIN):
        return DENIED
    return REDIRECT if _administers(who, position) else NOT_FOUND


# --- the due lists (duedates.permissions) ----------------------------------------------------


@login_required
def due_lists(who, position, method):
    """The due lists: whoever sees some unit (a grant); the section refuses everyone else (403),
    superusers included, who read no personnel data without a grant."""
    return OK if who.has_grant else DENIED


@login_required
def due_person(who, position, method):
    """One person's due items and their reasons: the section refuses users without a grant (403);
    then read like the person's file (upper units too), out of scope 404."""
    if not who.has_grant:
        return DENIED
    return OK if who.covers(position) else NOT_FOUND


@login_required
def due_export(who, position, method):
    """ "Xuất Excel" of the due list: POST only (405 on GET), needs a grant (403), then the job's page."""
    if not who.has_grant:
        return DENIED
    return NOT_ALLOWED if method == "GET" else REDIRECT


# --- the inspectors' timeline (workflows.permissions.timeline_scope) ----------------------------


def _reads_timeline(who) -> bool:
    return who.superuser or who.role in (Role.INSPECTOR, Role.VIEWER)


@login_required
def timeline_readers(who, position, method):
    """The timeline of every change and its PDF report: inspectors and viewers (rows scoped to
    their subtree) and superusers, as the read-access log; the section refuses everyone else."""
    return OK if _reads_timeline(who) else DENIED


@login_required
def timeline_export(who, position, method):
    """ "Xuất Excel" of the timeline: POST only (405 on GET) for its readers, then the job's page."""
    if not _reads_timeline(who):
        return DENIED
    return NOT_ALLOWED if method == "GET" else REDIRECT


# --- review campaigns (a campaign of each position's unit and its subtree) ---------------------


@login_required
def campaign_read(who, position, method):
    """A campaign's progress and its xlsx: whoever sees its unit (upper units read), whoever holds
    a grant on a unit it covers (their part), superusers (who may start one anywhere); else 403."""
    if who.superuser or who.covers(position) or (who.at is not None and position in _ANCESTORS[who.at]):
        return OK
    return DENIED


@login_required
def campaign_close(who, position, method):
    """Ending a campaign: POST only; whoever may start one on its unit, then back to it; else 403
    (the campaigns app itself refuses users without a grant, whatever the method)."""
    if not (who.has_grant or who.superuser):
        return DENIED
    if method == "GET":
        return NOT_ALLOWED
    return REDIRECT if _administers(who, position) else DENIED


@login_required
def campaign_confirm(who, position, method):
    """Confirming a person's record unchanged: POST only; whoever may propose changes for the
    person (an officer of exactly their unit), then back to the list; else 403 (the app refuses
    users without a grant, whatever the method)."""
    if not (who.has_grant or who.superuser):
        return DENIED
    if method == "GET":
        return NOT_ALLOWED
    return REDIRECT if (who.role == Role.OFFICER and who.relation(position) == "same") else DENIED


@login_required
def campaign_retry(who, position, method):
    """Making a campaign's items again: POST only; the scenario's campaigns are ready, so it is
    refused to everyone (who may start campaigns there is offered it after a failure or a lost
    task: tests/campaigns/test_preparing.py); the app refuses users without a grant first."""
    if not (who.has_grant or who.superuser):
        return DENIED
    return NOT_ALLOWED if method == "GET" else DENIED


@login_required
def campaign_bulk_confirm(who, position, method):
    """Confirming the selected items of a campaign unchanged: POST only; an officer who sees the
    campaign, then back to the list (nothing selected: a message, nothing written); else 403."""
    if not (who.has_grant or who.superuser):
        return DENIED
    if method == "GET":
        return NOT_ALLOWED
    return REDIRECT if who.role == Role.OFFICER and campaign_read(who, position, method) == OK else DENIED


# --- the approval workflow (viewflow) --------------------------------------------------------


def flow(inner):
    """Every page of the workflow app: anonymous → login, no grant → 403 (the app itself is
    refused), then `inner`. A request is visible to users whose grant covers its unit."""

    def rule(who, position, method):
        if not who.authenticated:
            return LOGIN
        if not who.has_grant:
            return DENIED
        return inner(who, position, method)

    rule.__name__ = inner.__name__
    return rule


@flow
def flow_list(who, position, method):
    """Dashboards, inbox, queue, archive, charts: any user with a grant (rows are scoped)."""
    return OK


@flow
def flow_read(who, position, method):
    """A process or task page: visible → 200, out of scope → 404."""
    return OK if who.covers(position) else NOT_FOUND


@flow
def flow_task_index(who, position, method):
    """A task's index redirects (to execute, assign or detail) for users who see it; 404 otherwise."""
    return REDIRECT if who.covers(position) else NOT_FOUND


def _flow_action(entitled, *, get=OK, post=REDIRECT):
    @flow
    def rule(who, position, method):
        if not who.covers(position):
            return NOT_FOUND
        if entitled(who, position):
            return get if method == "GET" else post
        return DENIED

    return rule


def _approver_of(who, position):
    # The role approver is the approver of its own unit; requests of "own" were submitted by
    # the role officer, so the approver is never the submitter.
    return who.role == Role.APPROVER and who.relation(position) == "same"


def _officer_of(who, position):
    return who.role == Role.OFFICER and who.relation(position) == "same"


def _nobody(who, position):
    return False


# Take an unassigned approval: the approver of the request's unit (confirmation page, then 302).
flow_assign = _flow_action(_approver_of)
flow_assign.__name__ = "flow_assign"
# Hand back an approval one holds: its owner (the "assigned" request of "own" is the approver's).
flow_unassign = _flow_action(_approver_of)
flow_unassign.__name__ = "flow_unassign"
# Decide an approval one holds: GET the page; an empty POST returns it with errors.
flow_execute_approval = _flow_action(_approver_of, post=OK)
flow_execute_approval.__name__ = "flow_execute_approval"
# Rework a returned request: its submitter (the role officer submitted those of "own").
flow_execute_rework = _flow_action(_officer_of, post=OK)
flow_execute_rework.__name__ = "flow_execute_rework"
# Withdraw a request no level has decided, from its page: its submitter (the role officer
# submitted those of "own"); GET the confirmation, POST withdraws it and goes back to the request.
flow_withdraw = _flow_action(_officer_of)
flow_withdraw.__name__ = "flow_withdraw"
# A draft or deadline a due item gives (workflows.due_work): an officer of exactly the person's
# unit; an empty POST returns the form with errors (200).
flow_due_task = _flow_action(_officer_of, post=OK)
flow_due_task.__name__ = "flow_due_task"
# A rework task is assigned by the flow to the submitter; handing it back would strand it
# (nobody may take a rework task), so nobody may unassign it.
flow_unassign_rework = _flow_action(_nobody)
flow_unassign_rework.__name__ = "flow_unassign_rework"
# Assigning a task the flow assigns itself (rework), or nodes without an assign step.
flow_no_assign = _flow_action(_nobody)
flow_no_assign.__name__ = "flow_no_assign"
# Undo, cancel, revive a task, cancel a process: workflow managers (superusers) only; role
# users who see the request get 403, and a superuser without grants is refused by the app.
flow_manage = _flow_action(_nobody)
flow_manage.__name__ = "flow_manage"


# A task URL whose process the user may see, but whose task belongs to another process (the
# id a user would guess): the URL names no real task, so every signed-in user gets 404 —
# even one who could see the other task — and nothing about the other task is disclosed.
FOREIGN_TASK = "foreign_task"


def foreign_task(inner):
    def rule(who, position, method):
        if not who.has_grant:  # refused before any object is looked at (login, or the app's 403)
            return inner(who, "other_branch", method)
        return NOT_FOUND

    rule.__name__ = f"foreign_task({inner.__name__})"
    return rule


@flow
def flow_bulk(who, position, method):
    """Bulk assign/unassign from the queue/inbox: GET just redirects back; a confirmed POST
    naming a task: 302 for a user entitled to it, 403 if visible only, 404 if out of scope."""
    if method == "GET" or position is GLOBAL:
        return REDIRECT
    if not who.covers(position):
        return NOT_FOUND
    return REDIRECT if _approver_of(who, position) else DENIED


# --- the Django admin -------------------------------------------------------------------------


def admin(superuser_answer, *, post=None):
    """Any admin page: everyone but staff is sent to the admin login; the superuser gets
    `superuser_answer` (GET) or `post` (POST, defaults to the same)."""

    def rule(who, position, method):
        if not who.superuser:
            return ADMIN_LOGIN
        if method == "POST" and post is not None:
            return post
        return superuser_answer

    rule.__name__ = f"admin({'/'.join(sorted(superuser_answer))})"
    return rule


def admin_login_page(who, position, method):
    """The admin's login form: shown to everyone not yet staff; the superuser is sent on."""
    return REDIRECT if who.superuser else OK


def admin_logout(who, position, method):
    """Non-staff are sent to the admin's index (Django's admin_view special-cases its logout);
    staff log out by POST only (Django 5) and land on LOGOUT_REDIRECT_URL, the login page."""
    if not who.superuser:
        return REDIRECT
    return NOT_ALLOWED if method == "GET" else LOGIN
