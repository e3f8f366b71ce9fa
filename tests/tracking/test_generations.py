"""A cached copy that cannot be read is a miss, not an error page: after a deploy the cache may
hold copies pickled by the previous release (a class renamed or gone), and Redis may be down."""

import sys

import pytest
from django.core.cache import cache

from tracking.generations import Generational


class Shape:  # a stand-in for a class an earlier release pickled and this one no longer has
    pass


@pytest.fixture
def copies(settings):
    settings.CACHE_IS_COHERENT = True
    cache.clear()
    yield Generational("test-copies", ttl=60)
    cache.clear()


def test_a_copy_that_no_longer_unpickles_is_a_miss_and_is_replaced(copies):
    assert copies.get("k", lambda: Shape()).__class__ is Shape  # kept, pickled
    module = sys.modules[__name__]
    del module.Shape  # the next release renamed the class
    try:
        assert copies.get("k", lambda: "fresh") == "fresh"
    finally:
        module.Shape = Shape_
    cache.clear()
    assert copies.get("k", lambda: "again") == "again"
    assert copies.get("k", lambda: "not asked") == "again"  # kept once more


Shape_ = Shape


def test_several_copies_are_read_at_once_and_only_the_renewed_ones_are_loaded_again(copies, db):
    asked = []

    def load(keys):
        asked.append(sorted(keys))
        return {key: f"{key}-{len(asked)}" for key in keys}

    assert copies.get_many([1, 2, 2, 3], load) == {1: "1-1", 2: "2-1", 3: "3-1"}
    assert copies.get_many([3, 1], load) == {1: "1-1", 3: "3-1"}  # nothing loaded
    copies.renew([2])
    assert copies.get_many([1, 2, 3], load) == {1: "1-1", 2: "2-2", 3: "3-1"}
    assert asked == [[1, 2, 3], [2]]
    assert copies.get(1, lambda: "not asked") == "1-1"


def test_a_shared_generation_is_renewed_for_every_key_at_once(settings, db):
    settings.CACHE_IS_COHERENT = True
    cache.clear()
    shared = Generational("test-shared", ttl=60, shared=True)
    assert (shared.get("a", lambda: 1), shared.get("b", lambda: 2)) == (1, 2)
    assert (shared.get("a", lambda: 0), shared.get("b", lambda: 0)) == (1, 2)
    shared.renew([""])
    assert (shared.get("a", lambda: 3), shared.get("b", lambda: 4)) == (3, 4)
    cache.clear()
