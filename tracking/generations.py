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
    """The copies of one kind of state (`name`), one per key (a user id; "" for one table).

    `shared`: one generation for every key (state whose writes cannot say which keys they touch,
    such as who approves for a unit: a grant, a delegation or an account renews them all)."""

    GENERATION_SECONDS = 24 * 3600  # outlives every copy

    def __init__(self, name: str, ttl: int, *, shared: bool = False):
        self.name = name
        self.ttl = ttl
        self.shared = shared

    def _keys(self, key) -> tuple[str, str]:
        if self.shared:
            return f"{self.name}:{key}", f"{self.name}-generation"
        return f"{self.name}:{key}", f"{self.name}-generation:{key}"

    def get(self, key, load):
        """The copy for `key`, or `load()` (stored unless it is None)."""
        return self.get_many([key], lambda missing: {key: load()}).get(key)

    def get_many(self, keys, load_many) -> dict:
        """{key: copy} for several keys in one round trip to the cache; `load_many(missing keys)`
        returns {key: value} for those with no usable copy (stored unless None)."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        if not settings.CACHE_IS_COHERENT:
            return load_many(keys)
        names = {key: self._keys(key) for key in keys}
        try:
            found, generations = self._read(names)
        except Exception:  # noqa: BLE001 - any cache failure is a miss (module docstring)
            logger.warning("Cache unusable for %s:%s; reading the database", self.name, keys, exc_info=True)
            return load_many(keys)
        if not generations:
            return found
        loaded = load_many(list(generations))  # read after the generations: see above
        kept = {
            names[key][0]: (generation, loaded.get(key))
            for key, generation in generations.items()
            if loaded.get(key) is not None and generation is not None
        }
        if kept:
            try:
                cache.set_many(kept, self.ttl)
            except Exception:  # noqa: BLE001
                logger.warning("Cache unusable for %s:%s; copies not kept", self.name, keys, exc_info=True)
        return {**found, **loaded}

    def _read(self, names) -> tuple[dict, dict]:
        """({key: usable copy}, {key: generation to load it under} for the others)."""
        found, generations = {}, {}
        kept = cache.get_many({name for pair in names.values() for name in pair})
        for key, (copy_key, generation_key) in names.items():
            generation, copy = kept.get(generation_key), kept.get(copy_key)
            if generation is not None and copy is not None and copy[0] == generation:
                found[key] = copy[1]
            else:
                generations[key] = generation
        absent = {names[key][1] for key, generation in generations.items() if generation is None}
        if absent:
            for generation_key in absent:
                cache.add(generation_key, uuid.uuid4().hex, self.GENERATION_SECONDS)
            started = cache.get_many(absent)
            for key, generation in generations.items():
                if generation is None:
                    generations[key] = started.get(names[key][1])
        return found, generations

    def renew(self, keys) -> None:
        """New generations for `keys` (with `shared`: for every key), now and when the
        transaction commits."""
        generation_keys = {self._keys(key)[1] for key in keys if key is not None}

        def new_generations():
            cache.set_many({name: uuid.uuid4().hex for name in generation_keys}, self.GENERATION_SECONDS)

        if generation_keys:
            new_generations()
            transaction.on_commit(new_generations)
