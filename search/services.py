"""Writes of the search app: the claim documents are kept by triggers (migration 0001); this
builds them again in one statement, for claims loaded with triggers off (a restore with
session_replication_role = replica, the scale benchmark's bulk load)."""

from django.db import connection


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
