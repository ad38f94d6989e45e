"""One search document per claim (search.models.ClaimDocument), kept by triggers.

The triggers run in the writing transaction, so a claim is findable the moment its change
commits, whichever app (or raw SQL) made it:

* a claim inserted: its row is made; its quote or note changed: the vector is rebuilt;
* a reply added, edited or removed, a tag added to or taken off a claim (merges move links):
  that claim's vector is rebuilt;
* a tag renamed: the vectors of the claims carrying it are rebuilt (one UPDATE);
* an article's search configuration changed (its language was corrected): its claims are
  parsed again in the new one.

Only a claim's insert makes a row; the others update rows that exist. So when Django deletes
a claim (its replies and tag links first, then the claim), a trigger never brings back a
document that the delete already removed.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

VECTOR_FUNCTION = """
CREATE FUNCTION search_claim_vector(claim annotations_claim, config text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector(config::regconfig, claim.exact), 'A')
        || setweight(to_tsvector(config::regconfig, coalesce((
               SELECT string_agg(t.label, ' ') FROM annotations_claimtag ct
               JOIN annotations_sourcetag t ON t.id = ct.tag_id
               WHERE ct.claim_id = claim.id), '')), 'A')
        || setweight(to_tsvector(config::regconfig, claim.note), 'B')
        || setweight(to_tsvector(config::regconfig, coalesce((
               SELECT string_agg(r.body, ' ') FROM annotations_reply r
               WHERE r.claim_id = claim.id), '')), 'C')
$$;

CREATE FUNCTION search_refresh_claims(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE search_claimdocument d
    SET config = a.search_config, vector = search_claim_vector(c, a.search_config)
    FROM annotations_claim c JOIN articles_article a ON a.id = c.article_id
    WHERE d.claim_id = c.id AND c.id = ANY(ids)
$$;

CREATE FUNCTION search_claim_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_claimdocument (claim_id, config, vector)
        SELECT NEW.id, a.search_config, search_claim_vector(NEW, a.search_config)
        FROM articles_article a WHERE a.id = NEW.article_id
        ON CONFLICT (claim_id) DO UPDATE SET config = EXCLUDED.config, vector = EXCLUDED.vector;
    ELSIF NEW.exact IS DISTINCT FROM OLD.exact OR NEW.note IS DISTINCT FROM OLD.note
          OR NEW.article_id IS DISTINCT FROM OLD.article_id THEN
        PERFORM search_refresh_claims(ARRAY[NEW.id]);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_claim_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE FUNCTION search_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.label IS DISTINCT FROM OLD.label THEN
        PERFORM search_refresh_claims(ARRAY(
            SELECT ct.claim_id FROM annotations_claimtag ct WHERE ct.tag_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_article_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.search_config IS DISTINCT FROM OLD.search_config THEN
        PERFORM search_refresh_claims(ARRAY(
            SELECT c.id FROM annotations_claim c WHERE c.article_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER search_claim_changed
    AFTER INSERT OR UPDATE OF exact, note, article_id ON annotations_claim
    FOR EACH ROW EXECUTE FUNCTION search_claim_changed();
CREATE TRIGGER search_reply_changed
    AFTER INSERT OR DELETE OR UPDATE OF body, claim_id ON annotations_reply
    FOR EACH ROW EXECUTE FUNCTION search_claim_part_changed();
CREATE TRIGGER search_claimtag_changed
    AFTER INSERT OR DELETE OR UPDATE OF tag_id, claim_id ON annotations_claimtag
    FOR EACH ROW EXECUTE FUNCTION search_claim_part_changed();
CREATE TRIGGER search_tag_renamed
    AFTER UPDATE OF label ON annotations_sourcetag
    FOR EACH ROW EXECUTE FUNCTION search_tag_renamed();
CREATE TRIGGER search_article_config_changed
    AFTER UPDATE OF search_config ON articles_article
    FOR EACH ROW EXECUTE FUNCTION search_article_config_changed();
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS search_claim_changed ON annotations_claim;
DROP TRIGGER IF EXISTS search_reply_changed ON annotations_reply;
DROP TRIGGER IF EXISTS search_claimtag_changed ON annotations_claimtag;
DROP TRIGGER IF EXISTS search_tag_renamed ON annotations_sourcetag;
DROP TRIGGER IF EXISTS search_article_config_changed ON articles_article;
DROP FUNCTION IF EXISTS search_article_config_changed();
DROP FUNCTION IF EXISTS search_tag_renamed();
DROP FUNCTION IF EXISTS search_claim_part_changed();
DROP FUNCTION IF EXISTS search_claim_changed();
DROP FUNCTION IF EXISTS search_refresh_claims(bigint[]);
DROP FUNCTION IF EXISTS search_claim_vector(annotations_claim, text);
"""

# Claims made before this migration: the same vectors as search_claim_vector(), set-based
# (tags and replies aggregated in two grouped joins, not looked up claim by claim).
BACKFILL = """
INSERT INTO search_claimdocument (claim_id, config, vector)
SELECT c.id, a.search_config,
       setweight(to_tsvector(a.search_config::regconfig, c.exact), 'A')
       || setweight(to_tsvector(a.search_config::regconfig, coalesce(t.labels, '')), 'A')
       || setweight(to_tsvector(a.search_config::regconfig, c.note), 'B')
       || setweight(to_tsvector(a.search_config::regconfig, coalesce(r.bodies, '')), 'C')
FROM annotations_claim c
JOIN articles_article a ON a.id = c.article_id
LEFT JOIN (SELECT ct.claim_id, string_agg(st.label, ' ') AS labels
           FROM annotations_claimtag ct JOIN annotations_sourcetag st ON st.id = ct.tag_id
           GROUP BY ct.claim_id) t ON t.claim_id = c.id
LEFT JOIN (SELECT claim_id, string_agg(body, ' ') AS bodies
           FROM annotations_reply GROUP BY claim_id) r ON r.claim_id = c.id
ON CONFLICT (claim_id) DO NOTHING;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("annotations", "0012_claim_anchor_status"),
        ("articles", "0006_render_version_article_revisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimDocument",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="annotations.claim",
                    ),
                ),
                ("config", models.CharField(max_length=32)),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["vector"], name="claim_document_vector"
                    )
                ],
            },
        ),
        migrations.RunSQL(VECTOR_FUNCTION, DROP_FUNCTIONS),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
