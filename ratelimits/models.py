"""Rate-limit counters, kept in PostgreSQL so that every server process sees the same ones."""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class HitLog(models.Model):
    """The recent hits of one key (a hashed username, address or user id) in one scope.

    `hits` holds the times of the hits still inside the scope's window (a sliding window:
    "at most N in any M minutes", exactly), oldest first; limiter.py updates it in one
    INSERT … ON CONFLICT DO UPDATE, so concurrent requests in any process queue on the row.
    `expires_at` is when the newest hit leaves the window: after that the row is pruned.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    hits = ArrayField(models.DateTimeField(), default=list)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="ratelimits_one_log_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {len(self.hits)} hits"
