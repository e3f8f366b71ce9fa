"""The signed-in user, their grants and the delegations they hold, kept in the cache between
requests (issue 9): every page asked the database for the user row, the grants and the
delegations, three queries before doing anything.

What is kept: the user row, the grants not revoked and not yet ended with their dates, the
delegations to the user with each delegator and the delegator's grants. Dates are judged when
the copy is read, so a grant or delegation that ends today stops today. A copy is kept under a
generation (tracking.generations): any write to a user, a grant or a delegation renews the
generations of the users it affects (the user; for a delegator, also their delegates), so a
revoked grant, a disabled account or a revoked delegation stops on the very next request. A
login (which saves only last_login) does not count as a change: last_login in a copy may be old.

Only on when every web process sees the same cache (settings.CACHE_IS_COHERENT), as for
sessions. Otherwise this backend is ModelBackend."""

from django.contrib.auth.backends import ModelBackend

from tracking.generations import Generational

copies = Generational("user-bundle", ttl=300)


def _attach(bundle):
    from units.scope import preload_grants
    from workflows.permissions import preload_delegations

    user = bundle["user"]
    preload_grants(user, bundle["grants"])
    preload_delegations(user, bundle["delegations"], bundle["received"])
    return user


class CachedUserBackend(ModelBackend):
    """ModelBackend whose get_user (once per request, for the session's user) reads the user's
    copy from the cache, or builds and stores it; the user object comes back with its grants
    and delegations already on it."""

    def _load(self, user_id):
        from units.scope import grant_rows
        from workflows.permissions import delegation_rows, received_delegations

        user = super().get_user(user_id)
        if user is None:
            return None
        return {
            "user": user,
            "grants": grant_rows(user.pk),
            "delegations": delegation_rows(user.pk),
            "received": received_delegations(user.pk),
        }

    def get_user(self, user_id):
        bundle = copies.get(user_id, lambda: self._load(user_id))
        if bundle is None:
            return None
        user = _attach(bundle)
        return user if self.user_can_authenticate(user) else None


def _with_delegates(user_id) -> set:
    """The user and everyone they delegated to: a delegate's copy holds the delegator's grants
    and account state."""
    from workflows.models import Delegation

    return {user_id, *Delegation.objects.filter(delegator_id=user_id).values_list("delegate_id", flat=True)}


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return  # a login: nothing a copy is used for has changed
    copies.renew(_with_delegates(instance.pk))


def _grant_changed(sender, instance, **kwargs):
    copies.renew(_with_delegates(instance.user_id))


def _delegation_changed(sender, instance, **kwargs):
    copies.renew([instance.delegate_id, instance.delegator_id])


def connect_signals() -> None:
    """Called by config.security.SecurityConfig.ready."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from units.models import RoleGrant
    from workflows.models import Delegation

    receivers = ((get_user_model(), _user_changed), (RoleGrant, _grant_changed), (Delegation, _delegation_changed))
    for sender, receiver in receivers:
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(receiver, sender=sender, dispatch_uid=f"qlcb_user_cache_{sender.__name__}_{name}")
