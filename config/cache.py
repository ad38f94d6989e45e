"""Django's Redis cache, with one connection pool and one client per process and server.

Django builds a `redis.Redis` client for every cache operation (its constructor fills a table
of ~170 response callbacks) and a connection pool per cache object, of which there is one per
thread, and under ASGI one per request context: each request would open a new connection to
Redis. The shared cache is read several times on every request (workspaces/caching.py,
config/sessions.py), so its pools and clients are made once per process (redis-py's pool is
thread-safe and reconnects after a fork by itself).
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

_pools: dict = {}
_clients: dict = {}
_lock = threading.Lock()


class RedisCacheClient(DjangoRedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], repr(sorted(self._pool_options.items(), key=str)))
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(
                        self._servers[index], **self._pool_options
                    )
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))
        if client is None:
            client = _clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
