"""The Redis cache with one client per connection pool: Django's backend makes a new redis.Redis
for every call (~0.2 ms of CPU each, its response callbacks set up again), and a page makes six
or more (the session, the user, the menu figures, the bell). Caches are per thread (django.core.
cache.caches), and a client only borrows connections from its pool, so keeping it is safe."""

from django.core.cache.backends import redis


class _KeptClientCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache, its client kept (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClientCacheClient
