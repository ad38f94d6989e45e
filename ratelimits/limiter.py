"""Sliding-window rate limits stored in PostgreSQL: "at most N hits per key in any M seconds".

Limits come from settings.RATE_LIMITS ({scope: (limit, window_seconds)}) and apply while
settings.RATE_LIMITS_ENABLED is on (the default). A hit is recorded only when it is allowed: a
refused request does not push the end of the wait further out, so every block ends at most one
window after the last allowed hit, however long someone keeps trying.

One statement per scope (INSERT … ON CONFLICT DO UPDATE … RETURNING) both counts and decides,
under the row's lock, so requests in any number of processes never let more through than the
limit. Keys are HMACs of the username/address/user id: the table holds no one's address.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils.crypto import salted_hmac

# Expired rows removed whenever a new key's row is created: deletions keep pace with growth.
PRUNE_BATCH = 100

_HIT_SQL = """
INSERT INTO ratelimits_hitlog AS log (scope, key, hits, expires_at)
VALUES (%(scope)s, %(key)s, array_fill(statement_timestamp(), ARRAY[%(cost)s]),
        statement_timestamp() + make_interval(secs => %(window)s))
ON CONFLICT (scope, key) DO UPDATE SET
    hits = CASE
        WHEN cardinality(ratelimits_live(log.hits, %(window)s)) + %(cost)s <= %(limit)s
        THEN ratelimits_live(log.hits, %(window)s) || EXCLUDED.hits
        ELSE ratelimits_live(log.hits, %(window)s)
    END,
    expires_at = EXCLUDED.expires_at
RETURNING
    statement_timestamp() = ANY(hits) AS counted,
    statement_timestamp() AS at,
    hits[greatest(1, cardinality(hits) + %(cost)s - %(limit)s)]
        + make_interval(secs => %(window)s) - statement_timestamp() AS wait,
    xmax = 0 AS inserted
"""

_REFUND_SQL = """
UPDATE ratelimits_hitlog SET hits = array_remove(hits, %(at)s)
WHERE scope = %(scope)s AND key = %(key)s
"""

_PRUNE_SQL = """
DELETE FROM ratelimits_hitlog WHERE id IN (
    SELECT id FROM ratelimits_hitlog WHERE expires_at < statement_timestamp()
    ORDER BY expires_at LIMIT %(batch)s FOR UPDATE SKIP LOCKED
)
"""


@dataclass(frozen=True)
class Hit:
    scope: str
    key: str
    at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    scope: str = ""
    retry_after: int = 0  # seconds until the refused request would be allowed
    hits: tuple[Hit, ...] = field(default=())


def enabled() -> bool:
    return bool(getattr(settings, "RATE_LIMITS_ENABLED", True))


def limit_for(scope: str) -> tuple[int, int]:
    try:
        return settings.RATE_LIMITS[scope]
    except KeyError:
        raise LookupError(f"RATE_LIMITS has no limit for {scope!r}") from None


def key_for(value: str) -> str:
    return salted_hmac("ratelimits.key", value.casefold(), algorithm="sha256").hexdigest()


def client_address(request) -> str:
    """The address a request came from: REMOTE_ADDR, or the address that the trusted reverse
    proxy put last in X-Forwarded-For when TRUST_X_FORWARDED_FOR is on. IPv6 addresses count
    by their /64 network, which one person usually holds in full."""
    address = request.META.get("REMOTE_ADDR") or ""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _hit(cursor, *, scope: str, key: str, cost: int) -> tuple[Decision, Hit, bool]:
    limit, window = limit_for(scope)
    cost = max(1, min(cost, limit))
    cursor.execute(
        _HIT_SQL, {"scope": scope, "key": key, "cost": cost, "limit": limit, "window": window}
    )
    counted, at, wait, inserted = cursor.fetchone()
    if counted:
        return Decision(allowed=True), Hit(scope=scope, key=key, at=at), inserted
    seconds = max(1, math.ceil(wait.total_seconds())) if wait is not None else window
    return Decision(allowed=False, scope=scope, retry_after=seconds), Hit(scope, key), inserted


def check(*, hits: list[tuple[str, str]], cost: int = 1) -> Decision:
    """Count one request (worth `cost` hits) against each (scope, raw key) at once.

    Allowed only if every scope allows it; then it is counted in all of them. If any refuses,
    none counts it (the transaction rolls back), and the answer names the longest wait.
    """
    if not enabled() or not hits:
        return Decision(allowed=True)
    counted: list[Hit] = []
    refused: list[Decision] = []
    created = False
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if own_transaction:
            # A hit lost in a crash costs nothing, so this commit does not wait for the disk
            # (several ms here); never changed for a caller's transaction.
            cursor.execute("SET LOCAL synchronous_commit = off")
        # Always the same order, so two requests never wait for each other's rows crosswise.
        for scope, raw in sorted(hits):
            decision, hit, inserted = _hit(cursor, scope=scope, key=key_for(raw), cost=cost)
            created = created or inserted
            if decision.allowed:
                counted.append(hit)
            else:
                refused.append(decision)
        if refused:
            transaction.set_rollback(True)
            return max(refused, key=lambda decision: decision.retry_after)
    if created:
        prune(batch=PRUNE_BATCH)
    return Decision(allowed=True, hits=tuple(counted))


def refund(decision: Decision) -> None:
    """Take back the hits of an allowed request that turned out not to count (e.g. a
    successful sign-in, which is not a failed attempt)."""
    if not decision.hits:
        return
    own_transaction = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if own_transaction:
            cursor.execute("SET LOCAL synchronous_commit = off")
        for hit in sorted(decision.hits, key=lambda hit: (hit.scope, hit.key)):
            cursor.execute(_REFUND_SQL, {"scope": hit.scope, "key": hit.key, "at": hit.at})


def prune(*, batch: int = 10_000) -> int:
    """Delete up to `batch` rows whose every hit has left its window; rows that another
    request holds are skipped (it is renewing them)."""
    with connection.cursor() as cursor:
        cursor.execute(_PRUNE_SQL, {"batch": batch})
        return cursor.rowcount
