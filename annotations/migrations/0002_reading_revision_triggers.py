"""Triggers that bump articles_article.revision whenever the reading page would change.

The reading page is cached per (article, revision): any write that alters blocks, claims,
their tags or replies, whichever code path makes it (views, admin, shell, bulk updates),
bumps the revision in the same transaction, so a cached page is never stale.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION sourcemark_bump_revision(article bigint) RETURNS void AS $$
    UPDATE articles_article SET revision = revision + 1 WHERE id = article;
$$ LANGUAGE sql;

CREATE FUNCTION sourcemark_revision_by_article() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM sourcemark_bump_revision(OLD.article_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.article_id <> OLD.article_id) THEN
        PERFORM sourcemark_bump_revision(NEW.article_id);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION sourcemark_revision_by_claim() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM sourcemark_bump_revision(c.article_id)
        FROM annotations_claim c WHERE c.id = OLD.claim_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.claim_id <> OLD.claim_id) THEN
        PERFORM sourcemark_bump_revision(c.article_id)
        FROM annotations_claim c WHERE c.id = NEW.claim_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION sourcemark_revision_by_tag() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET revision = revision + 1
    WHERE id IN (SELECT c.article_id FROM annotations_claim c
                 JOIN annotations_claimtag ct ON ct.claim_id = c.id
                 WHERE ct.tag_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER block_bumps_revision AFTER INSERT OR UPDATE OR DELETE ON articles_block
    FOR EACH ROW EXECUTE FUNCTION sourcemark_revision_by_article();
CREATE TRIGGER claim_bumps_revision AFTER INSERT OR UPDATE OR DELETE ON annotations_claim
    FOR EACH ROW EXECUTE FUNCTION sourcemark_revision_by_article();
CREATE TRIGGER claimtag_bumps_revision AFTER INSERT OR UPDATE OR DELETE ON annotations_claimtag
    FOR EACH ROW EXECUTE FUNCTION sourcemark_revision_by_claim();
CREATE TRIGGER reply_bumps_revision AFTER INSERT OR DELETE ON annotations_reply
    FOR EACH ROW EXECUTE FUNCTION sourcemark_revision_by_claim();
CREATE TRIGGER sourcetag_bumps_revision AFTER UPDATE ON annotations_sourcetag
    FOR EACH ROW WHEN (OLD.label IS DISTINCT FROM NEW.label
                       OR OLD.anonymous IS DISTINCT FROM NEW.anonymous)
    EXECUTE FUNCTION sourcemark_revision_by_tag();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS sourcetag_bumps_revision ON annotations_sourcetag;
DROP TRIGGER IF EXISTS reply_bumps_revision ON annotations_reply;
DROP TRIGGER IF EXISTS claimtag_bumps_revision ON annotations_claimtag;
DROP TRIGGER IF EXISTS claim_bumps_revision ON annotations_claim;
DROP TRIGGER IF EXISTS block_bumps_revision ON articles_block;
DROP FUNCTION IF EXISTS sourcemark_revision_by_tag();
DROP FUNCTION IF EXISTS sourcemark_revision_by_claim();
DROP FUNCTION IF EXISTS sourcemark_revision_by_article();
DROP FUNCTION IF EXISTS sourcemark_bump_revision(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("articles", "0002_article_revision"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
