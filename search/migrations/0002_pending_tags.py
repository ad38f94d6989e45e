"""Bulk tag changes leave the rebuilding of search documents to a background job.

Renaming or merging a tag on 100,000 claims rebuilt 100,000 documents inside the change (22 s
at 100,000 articles). While `sourcemark.bulk_tag_change` is on (annotations sets it for such
changes only), the triggers note the tag in search_pendingtag instead; the job
`search.refresh_pending` rebuilds its claims' documents in batches. Without the setting,
everything is rebuilt in the writing transaction as before. Removed links are always handled
at once (the claim no longer carries the tag, so the tag's claims would not include it).
"""

from django.db import migrations, models

FUNCTIONS = """
CREATE FUNCTION search_bulk_tag_change() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('sourcemark.bulk_tag_change', true), '') = 'on'
$$;

-- Queued once per transaction (a later transaction's now() is later: it queues again).
CREATE FUNCTION search_queue_tag(tag bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_pendingtag (tag_id, queued_at) VALUES (tag, now())
    ON CONFLICT (tag_id) DO UPDATE SET queued_at = EXCLUDED.queued_at
    WHERE search_pendingtag.queued_at < EXCLUDED.queued_at
$$;

CREATE OR REPLACE FUNCTION search_claim_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_refresh_claims(ARRAY[OLD.claim_id]);
    ELSIF TG_TABLE_NAME = 'annotations_claimtag' AND search_bulk_tag_change()
          AND NEW.claim_id IS NOT DISTINCT FROM OLD.claim_id THEN
        PERFORM search_queue_tag(NEW.tag_id);
    ELSIF TG_OP = 'UPDATE' AND NEW.claim_id IS DISTINCT FROM OLD.claim_id THEN
        PERFORM search_refresh_claims(ARRAY[OLD.claim_id, NEW.claim_id]);
    ELSE
        PERFORM search_refresh_claims(ARRAY[NEW.claim_id]);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.label IS DISTINCT FROM OLD.label THEN
        IF search_bulk_tag_change() THEN
            PERFORM search_queue_tag(NEW.id);
        ELSE
            PERFORM search_refresh_claims(ARRAY(
                SELECT ct.claim_id FROM annotations_claimtag ct WHERE ct.tag_id = NEW.id));
        END IF;
    END IF;
    RETURN NULL;
END $$;
"""

# Migration 0001's versions.
PREVIOUS = """
CREATE OR REPLACE FUNCTION search_claim_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM search_refresh_claims(ARRAY[OLD.claim_id]);
    ELSIF TG_OP = 'UPDATE' AND NEW.claim_id IS DISTINCT FROM OLD.claim_id THEN
        PERFORM search_refresh_claims(ARRAY[OLD.claim_id, NEW.claim_id]);
    ELSE
        PERFORM search_refresh_claims(ARRAY[NEW.claim_id]);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.label IS DISTINCT FROM OLD.label THEN
        PERFORM search_refresh_claims(ARRAY(
            SELECT ct.claim_id FROM annotations_claimtag ct WHERE ct.tag_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;

DROP FUNCTION IF EXISTS search_queue_tag(bigint);
DROP FUNCTION IF EXISTS search_bulk_tag_change();
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0001_claim_documents")]

    operations = [
        migrations.CreateModel(
            name="PendingTag",
            fields=[
                ("tag_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("queued_at", models.DateTimeField()),
            ],
        ),
        migrations.RunSQL(FUNCTIONS, PREVIOUS),
    ]
