"""The bell's figure (a user's unread notifications) kept in the cache and kept up to date by the
writes themselves (issue 9: recounting it after every new notification was one COUNT on the
next page of each person a transition tells; two per approval cycle).

A figure, once counted, is raised by the notifications a transaction writes when it commits (an
atomic "add if present" in the cache) instead of being thrown away. What could make it wrong
is a page counting between that commit and that raise (its count has the new rows already, and
the raise would add them again), so a writer marks the users it tells as *pending* before it
commits and unmarks them after the raise: while a user is pending, their pages ask the database
and keep nothing, and a page that stored a count checks right after that no writer started
meanwhile (else it drops what it stored). A transaction rolled back leaves its mark until it
expires (PENDING_SECONDS; the pages ask the database meanwhile). Marking read forgets the
figure (the next page counts again); so does a write that cannot say how many rows it added.

Only on when every process sees the same cache (settings.CACHE_IS_COHERENT); a cache that
fails is a miss: the database answers and a warning is logged."""

import logging

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

logger = logging.getLogger(__name__)

FIGURE_SECONDS = 600
PENDING_SECONDS = 300

# KEYS[1], ARGV[1] = delta, ARGV[2] = "present" (only if the key exists) or seconds to expire in.
_ADD = """
if ARGV[2] == 'present' then
  if redis.call('exists', KEYS[1]) == 0 then return false end
  return redis.call('incrby', KEYS[1], ARGV[1])
end
local value = redis.call('incrby', KEYS[1], ARGV[1])
redis.call('expire', KEYS[1], ARGV[2])
return value
"""


def _figure_key(pk) -> str:
    return f"notifications-unread-figure:{pk}"


def _pending_key(pk) -> str:
    return f"notifications-unread-pending:{pk}"


def redis_client(backend, key: str):
    """(the redis-py client that holds `key`, the key as stored there) when `backend` is Django's
    RedisCache, else None. Django 5.2 documents no way to its client (the backend keeps a
    RedisCacheClient in the private `_cache`, whose get_client picks the server a key lives on,
    the first for writes): this is the one place that reaches for it, pinned by
    tests/notifications/test_bell_redis.py against a real Redis."""
    if not isinstance(backend, RedisCache):
        return None
    full = backend.make_and_validate_key(key)
    return backend._cache.get_client(full, write=True), full


def _add(key: str, delta: int, *, expire: int | None = None) -> None:
    """Add `delta` to the integer at `key`: only if it is there (expire None), else creating it
    with that lifetime. One atomic step on Redis."""
    found = redis_client(caches[DEFAULT_CACHE_ALIAS], key)
    if found is not None:
        client, full = found
        client.eval(_ADD, 1, full, delta, "present" if expire is None else expire)
        return
    if expire is not None:
        cache.add(key, 0, expire)
    try:
        cache.incr(key, delta)
    except ValueError:  # not there (forgotten, expired): nothing to raise
        pass


def unread_figure(pk, count) -> int:
    """The unread figure of user `pk`: kept, or `count()` (and kept when no write is pending)."""
    if not settings.CACHE_IS_COHERENT:
        return count()
    figure_key, pending_key = _figure_key(pk), _pending_key(pk)
    try:
        kept = cache.get_many([figure_key, pending_key])
    except Exception:  # noqa: BLE001 - a cache failure is a miss
        logger.warning("Cache unusable for the bell of %s; counting", pk, exc_info=True)
        return count()
    if (kept.get(pending_key) or 0) > 0:
        return count()
    if figure_key in kept:
        return kept[figure_key]
    value = count()
    try:
        if cache.add(figure_key, value, FIGURE_SECONDS) and (cache.get(pending_key) or 0) > 0:
            cache.delete(figure_key)  # a writer started meanwhile: `value` may or may not have its rows
    except Exception:  # noqa: BLE001
        logger.warning("Cache unusable for the bell of %s; figure not kept", pk, exc_info=True)
    return value


def notifications_added(added: dict) -> None:
    """{user id: unread notifications the current transaction wrote for them}: their figures
    are raised by as much when it commits."""
    added = {pk: n for pk, n in added.items() if n}
    if not added or not settings.CACHE_IS_COHERENT:
        return
    try:
        for pk in added:
            _add(_pending_key(pk), 1, expire=PENDING_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unusable for the bells of %s; forgetting them", list(added), exc_info=True)
        forget_figures(added)
        return

    def raise_figures():
        try:
            for pk, n in added.items():
                _add(_figure_key(pk), n)
                _add(_pending_key(pk), -1)
        except Exception:  # noqa: BLE001
            logger.warning("Cache unusable for the bells of %s", list(added), exc_info=True)
            forget_figures(added)

    transaction.on_commit(raise_figures)


def forget_figures(pks) -> None:
    """The figures of these users are counted again by their next page (now, and once the
    transaction commits)."""
    keys = [_figure_key(pk) for pk in pks if pk is not None]
    if not keys or not settings.CACHE_IS_COHERENT:
        return

    def forget():
        try:
            cache.delete_many(keys)
        except Exception:  # noqa: BLE001
            logger.warning("Cache unusable; bell figures %s not forgotten", keys, exc_info=True)

    forget()
    transaction.on_commit(forget)
