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
