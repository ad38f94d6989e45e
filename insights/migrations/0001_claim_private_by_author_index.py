"""An index for the dashboard's per-reader part: a reader's own claims that not every member
sees (private ones). Without it PostgreSQL reads all of a busy annotator's claims (300,000 at
the scale benchmark's size) to find the few thousand private ones: ~1 s per dashboard view.

The index is on annotations' table but serves only this app's query, so it lives here (raw SQL;
the predicate is the one PostgreSQL derives from visible_claims_q for such a reader)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS insights_claim_private_by_author "
                "ON annotations_claim (workspace_id, author_id, created_at) "
                "INCLUDE (id, status, article_id, visibility) WHERE visibility::text <> 'workspace'::text"
            ),
            reverse_sql="DROP INDEX IF EXISTS insights_claim_private_by_author",
        ),
    ]
