"""Writes of the search app: the claim documents are kept by triggers (migration 0001); this
builds them again in one statement, for claims loaded with triggers off (a restore with
session_replication_role = replica, the scale benchmark's bulk load)."""

from django.db import connection


def rebuild_claim_documents() -> int:
    """Make or refresh the search document of every claim; returns how many were written."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO search_claimdocument (claim_id, config, vector)
            SELECT c.id, a.search_config, search_claim_vector(c, a.search_config)
            FROM annotations_claim c JOIN articles_article a ON a.id = c.article_id
            ON CONFLICT (claim_id) DO UPDATE
                SET config = EXCLUDED.config, vector = EXCLUDED.vector
            """
        )
        return max(cursor.rowcount, 0)
