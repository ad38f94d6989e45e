"""Writing to the change log. Every app above this one records its changes here."""

from __future__ import annotations

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
