"""Writes of the search app: the claim documents are kept by triggers (migration 0001); this
builds them again in one statement, for claims loaded with triggers off (a restore with
session_replication_role = replica, the scale benchmark's bulk load), and rebuilds those of
busy tags after a bulk rename or merge, in the background (migration 0002)."""

from django.db import connection, transaction

from annotations.models import ClaimTag
from jobs.queue import enqueue_once

from .models import PendingTag


def rebuild_claim_documents() -> int:
    """Make or refresh the search document of every claim; returns how many were written.

    The same vector as the triggers' search_claim_vector(), but set-based (tags and replies
    aggregated once per claim in two grouped joins, not looked up claim by claim)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO search_claimdocument (claim_id, config, vector)
            SELECT c.id, a.search_config,
                   setweight(to_tsvector(a.search_config::regconfig, c.exact), 'A')
                   || setweight(to_tsvector(a.search_config::regconfig,
                                            coalesce(t.labels, '')), 'A')
                   || setweight(to_tsvector(a.search_config::regconfig, c.note), 'B')
                   || setweight(to_tsvector(a.search_config::regconfig,
                                            coalesce(r.bodies, '')), 'C')
            FROM annotations_claim c
            JOIN articles_article a ON a.id = c.article_id
            LEFT JOIN (SELECT ct.claim_id, string_agg(st.label, ' ') AS labels
                       FROM annotations_claimtag ct
                       JOIN annotations_sourcetag st ON st.id = ct.tag_id
                       GROUP BY ct.claim_id) t ON t.claim_id = c.id
            LEFT JOIN (SELECT claim_id, string_agg(body, ' ') AS bodies
                       FROM annotations_reply GROUP BY claim_id) r ON r.claim_id = c.id
            ON CONFLICT (claim_id) DO UPDATE
                SET config = EXCLUDED.config, vector = EXCLUDED.vector
            """
        )
        return max(cursor.rowcount, 0)


REFRESH_BATCH = 2000  # documents rebuilt per transaction by the background job
REFRESH_TASK = "search.refresh_pending"


def refresh_pending_documents() -> int:
    """Rebuild the documents of the claims of every tag the triggers queued during a bulk
    rename or merge (search.models.PendingTag), in batches, each its own transaction, so
    searching and writing go on meanwhile. A tag queued again while it was worked on stays
    queued for the next pass. Returns how many documents were rebuilt."""
    rebuilt = 0
    while True:
        pending = list(PendingTag.objects.order_by("queued_at")[:50])
        if not pending:
            return rebuilt
        for row in pending:
            claim_ids = list(
                ClaimTag.objects.filter(tag_id=row.tag_id)
                .order_by("claim_id")
                .values_list("claim_id", flat=True)
            )
            for start in range(0, len(claim_ids), REFRESH_BATCH):
                with transaction.atomic(), connection.cursor() as cursor:
                    batch = claim_ids[start : start + REFRESH_BATCH]
                    cursor.execute("SELECT search_refresh_claims(%s::bigint[])", [batch])
                rebuilt += len(batch)
            PendingTag.objects.filter(tag_id=row.tag_id, queued_at=row.queued_at).delete()


def queue_refresh(**kwargs) -> None:
    """Receiver of annotations.signals.bulk_tag_change (connected in SearchConfig.ready):
    start the job, unless one is already waiting (it will find these tags too)."""
    enqueue_once(REFRESH_TASK, lock=REFRESH_TASK)
