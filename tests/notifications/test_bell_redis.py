"""notifications.bell.redis_client, the one place that reaches Django's RedisCache's redis-py
client (Django 5.2 documents none): the client it gives holds what the cache stored under the
key it names, on a real Redis; any other cache gives None (the bell then uses add and incr)."""

import os

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from notifications.bell import redis_client


def test_another_cache_has_no_redis_client():
    assert redis_client(LocMemCache("bell-test", {}), "k") is None


def test_the_client_holds_what_the_cache_stored_under_the_key_it_names():
    location = os.environ.get("REDIS_URL", "")
    if not location.startswith("redis"):
        pytest.skip("needs Redis: run with REDIS_URL=redis://…")
    backend = RedisCache(location, {"KEY_PREFIX": "bell-test"})
    backend.set("figure", 7, 30)
    try:
        client, full = redis_client(backend, "figure")
        assert full == backend.make_and_validate_key("figure") and full.startswith("bell-test:")
        assert client.get(full) == b"7"
        client.incrby(full, 2)
        assert backend.get("figure") == 9
    finally:
        backend.delete("figure")
