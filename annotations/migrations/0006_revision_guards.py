"""Two more ways the cached reading page could go stale, closed in the database:

* a username change (marks and the claim panel show authors' names) bumps the revision of
  every article with claims by that user;
* a save of an article that read its revision before a concurrent bump can never move the
  revision back (a stale number could match an old cached page).
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION sourcemark_revision_by_author() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET revision = revision + 1
    WHERE id IN (SELECT DISTINCT article_id FROM annotations_claim WHERE author_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER username_bumps_revision AFTER UPDATE OF username ON auth_user
    FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username)
    EXECUTE FUNCTION sourcemark_revision_by_author();

CREATE FUNCTION sourcemark_revision_never_back() RETURNS trigger AS $$
BEGIN
    NEW.revision := GREATEST(OLD.revision, NEW.revision);
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER article_revision_never_back BEFORE UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION sourcemark_revision_never_back();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS article_revision_never_back ON articles_article;
DROP FUNCTION IF EXISTS sourcemark_revision_never_back();
DROP TRIGGER IF EXISTS username_bumps_revision ON auth_user;
DROP FUNCTION IF EXISTS sourcemark_revision_by_author();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0005_block_kind_activity"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
