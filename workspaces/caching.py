"""The signed-in user and their memberships, read from the shared cache.

Every page needs both (the header shows the current workspace); reading them from PostgreSQL
cost two queries per request. They are kept in the `shared` cache (Redis when CACHE_URL is
set, shared by every process and replica; a cache that keeps nothing otherwise, so a single
laptop process never serves from a private copy another process cannot invalidate).

Invalidation is by generation, not by deleting entries: each entry is stored with the token
current when it was read, and any change replaces the token after its transaction commits.
A reader that read the old rows while the change was being written stores them with the old
token, which no longer matches, so they are never served. A removed member, a new role or a
new password is seen by the very next request in every process.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.db import transaction

SHARED_CACHE = "shared"
# Entries expire anyway after this long (the generation token makes them stale at once).
ENTRY_SECONDS = 15 * 60

T = TypeVar("T")


def _cache():
    return caches[SHARED_CACHE]


def _generation_key(kind: str, user_id: int) -> str:
    return f"workspaces:{kind}:{user_id}:generation"


def cached(*, kind: str, user_id: int, load: Callable[[], T]) -> T:
    """The cached value of `kind` for this user, else `load()` (then cached).

    One round trip reads the generation token and the entry; the entry counts only when it
    was stored under the token that is current now."""
    cache = _cache()
    generation_key, entry_key = _generation_key(kind, user_id), f"workspaces:{kind}:{user_id}"
    found = cache.get_many([generation_key, entry_key])
    generation = found.get(generation_key)
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, None)  # another process may win: use theirs
        generation = cache.get(generation_key)
    entry = found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    # Read after the token: rows read now are at least as new as the token says.
    value = load()
    if generation is not None and value is not None:
        cache.set(entry_key, (generation, value), ENTRY_SECONDS)
    return value


def forget(*, kind: str, user_ids) -> None:
    """Make the cached `kind` of these users stale, once the current transaction commits
    (before that, other processes still read the old rows and would cache them again)."""
    keys = [_generation_key(kind, user_id) for user_id in set(user_ids)]
    if keys:
        transaction.on_commit(
            lambda: _cache().set_many({key: uuid.uuid4().hex for key in keys}, None)
        )


USER = "user"
MEMBERSHIPS = "memberships"


class CachedModelBackend(ModelBackend):
    """Django's model backend, with the signed-in user read from the shared cache."""

    def get_user(self, user_id):
        user = cached(
            kind=USER,
            user_id=user_id,
            load=lambda: super(CachedModelBackend, self).get_user(user_id),
        )
        return user if user is not None and self.user_can_authenticate(user) else None
