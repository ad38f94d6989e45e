"""Sessions read from the shared cache (Redis), kept in PostgreSQL.

Django's `cached_db` engine with one race closed. On a cache miss it reads the row and puts
it in the cache; a sign-out in another process between that read and that write (row deleted,
cache key deleted) would leave the ended session alive in the cache until it expires. So after
filling the cache on a miss, the row is looked up once more and the cache entry is dropped when
the row is gone: a signed-out session never outlives the sign-out, in any process. A hit costs
one cache read and no query; only a miss pays the extra query.
"""

from __future__ import annotations

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.core.cache.backends.dummy import DummyCache


class SessionStore(CachedDbSessionStore):
    def load(self):
        if isinstance(self._cache, DummyCache):  # no CACHE_URL: the table alone, one query
            return DbSessionStore.load(self)
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # as Django's: an invalid cache key means no cached session
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        if not self.model.objects.filter(session_key=row.session_key).exists():
            self._cache.delete(self.cache_key)  # ended while we were filling the cache
            self._session_key = None
            return {}
        return data
