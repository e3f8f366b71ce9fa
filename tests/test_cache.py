"""config.cache: the Redis cache keeps its client (one per pool) instead of making one per call."""

import os

import pytest
from django.core.cache import caches
from redis.exceptions import ConnectionError

from config.cache import RedisCache

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def cache():
    backend = RedisCache(URL, {"KEY_PREFIX": "test-config-cache"})
    try:
        backend._cache.get_client().ping()
    except ConnectionError:
        pytest.skip("no Redis")
    yield backend
    backend.delete_many(["a", "b"])


def test_the_client_is_made_once_and_answers_as_django_s(cache):
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set("a", {"n": 1}, 30)
    assert cache.get("a") == {"n": 1}
    assert cache.add("a", 2, 30) is False
    assert cache.add("b", 1, 30) is True
    assert cache.incr("b") == 2
    assert cache.get_many(["a", "b"]) == {"a": {"n": 1}, "b": 2}


def test_the_settings_choose_it_for_a_redis_url():
    from config.settings import _cache_from_url

    assert _cache_from_url("redis://127.0.0.1:6379/1")["BACKEND"] == "config.cache.RedisCache"
    assert caches  # the handler imports it by that path
