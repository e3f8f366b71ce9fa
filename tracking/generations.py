"""Copies of database state kept in the cache, each under a generation (issue 9: state read on
every request, changed rarely: the signed-in user's grants, the salary table).

Each copy has a generation, a random token in the cache, and is used only under the generation
it was read under. Whoever changes the state renews the generation, at once and again when the
transaction commits. A reader reads the generation before the database, so a copy read just
before a commit is stored under the old generation and never used: the change is seen on the
very next request. A lost generation (evicted) only costs a reload.

Only on when every process sees the same cache (settings.CACHE_IS_COHERENT: Redis, or a single
process with the local-memory cache); otherwise every read goes to the database. A cache that
fails (Redis down, a copy pickled by an earlier release that no longer unpickles after a deploy)
is a miss: the database answers, the page works, and a warning is logged."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


class Generational:
    """The copies of one kind of state (`name`), one per key (a user id; "" for one table)."""

    GENERATION_SECONDS = 24 * 3600  # outlives every copy

    def __init__(self, name: str, ttl: int):
        self.name = name
        self.ttl = ttl

    def _keys(self, key) -> tuple[str, str]:
        return f"{self.name}:{key}", f"{self.name}-generation:{key}"

    def get(self, key, load):
        """The copy for `key`, or `load()` (stored unless it is None)."""
        if not settings.CACHE_IS_COHERENT:
            return load()
        copy_key, generation_key = self._keys(key)
        try:
            kept = cache.get_many([copy_key, generation_key])
            generation, copy = kept.get(generation_key), kept.get(copy_key)
            if generation is not None and copy is not None and copy[0] == generation:
                return copy[1]
            if generation is None:
                cache.add(generation_key, uuid.uuid4().hex, self.GENERATION_SECONDS)
                generation = cache.get(generation_key)
        except Exception:  # noqa: BLE001 - any cache failure is a miss (module docstring)
            logger.warning("Cache unusable for %s:%s; reading the database", self.name, key, exc_info=True)
            return load()
        value = load()  # read after the generation: see above
        if value is not None and generation is not None:
            try:
                cache.set(copy_key, (generation, value), self.ttl)
            except Exception:  # noqa: BLE001
                logger.warning("Cache unusable for %s:%s; copy not kept", self.name, key, exc_info=True)
        return value

    def renew(self, keys) -> None:
        """New generations for `keys`, now and when the transaction commits."""
        keys = {key for key in keys if key is not None}

        def new_generations():
            cache.set_many({self._keys(key)[1]: uuid.uuid4().hex for key in keys}, self.GENERATION_SECONDS)

        if keys:
            new_generations()
            transaction.on_commit(new_generations)
