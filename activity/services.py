"""Writing to the change log. Every app above this one records its changes here."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Activity


def record(
    *,
    workspace_id: int,
    verb: str,
    actor=None,
    article_id: int | None = None,
    claim_id: int | None = None,
    visible_to_id: int | None = None,
    summary: str = "",
) -> Activity:
    """Append one row; its insert trigger tells every server process (NOTIFY)."""
    return Activity.objects.create(
        workspace_id=workspace_id,
        article_id=article_id,
        actor=actor,
        verb=verb,
        claim_id=claim_id,
        visible_to_id=visible_to_id,
        summary=summary[:300],
    )


def record_many(*, rows: list[Activity]) -> list[Activity]:
    """Append several rows in one statement (a tag change touching many articles)."""
    return Activity.objects.bulk_create(rows)


def prune(*, older_than: timedelta, batch_size: int = 5000) -> int:
    """Delete the change log's rows older than `older_than`, oldest first, `batch_size` at a
    time (each batch its own short transaction: no long lock on the log, and the live stream
    keeps running). Returns how many rows went.

    The old rows are found through the BRIN index on created_at (the log is appended in
    time order)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    cutoff = timezone.now() - older_than
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Activity.objects.filter(created_at__lt=cutoff)
                .order_by("id")
                .values_list("id", flat=True)[:batch_size]
            )
            if not ids:
                return deleted
            count, _ = Activity.objects.filter(id__in=ids).delete()
            deleted += count
