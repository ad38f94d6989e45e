"""Claims follow their text across revisions (anchor status, original selectors), and the
reading-page cache triggers of 0002 and 0006 use the renamed column `render_version`."""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION sourcemark_bump_revision(article bigint) RETURNS void AS $$
    UPDATE articles_article SET render_version = render_version + 1 WHERE id = article;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION sourcemark_revision_by_tag() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET render_version = render_version + 1
    WHERE id IN (SELECT c.article_id FROM annotations_claim c
                 JOIN annotations_claimtag ct ON ct.claim_id = c.id
                 WHERE ct.tag_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION sourcemark_revision_by_author() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET render_version = render_version + 1
    WHERE id IN (SELECT DISTINCT article_id FROM annotations_claim WHERE author_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION sourcemark_revision_never_back() RETURNS trigger AS $$
BEGIN
    NEW.render_version := GREATEST(OLD.render_version, NEW.render_version);
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION sourcemark_bump_revision(article bigint) RETURNS void AS $$
    UPDATE articles_article SET revision = revision + 1 WHERE id = article;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION sourcemark_revision_by_tag() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET revision = revision + 1
    WHERE id IN (SELECT c.article_id FROM annotations_claim c
                 JOIN annotations_claimtag ct ON ct.claim_id = c.id
                 WHERE ct.tag_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION sourcemark_revision_by_author() RETURNS trigger AS $$
BEGIN
    UPDATE articles_article SET revision = revision + 1
    WHERE id IN (SELECT DISTINCT article_id FROM annotations_claim WHERE author_id = NEW.id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION sourcemark_revision_never_back() RETURNS trigger AS $$
BEGIN
    NEW.revision := GREATEST(OLD.revision, NEW.revision);
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0008_private_tags_unique_claims_tag_changes"),
        ("articles", "0003_render_version_article_revisions"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddField(
            model_name="claim", name="anchor_status",
            field=models.CharField(choices=[("anchored", "Anchored"), ("orphaned", "Orphaned")], default="anchored", max_length=16),
        ),
        migrations.AddField(model_name="claim", name="original_exact", field=models.TextField(blank=True)),
        migrations.AddField(model_name="claim", name="original_prefix", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="claim", name="original_suffix", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(model_name="claim", name="original_start", field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="claim", name="original_end", field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="claim", name="original_text_version", field=models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddField(model_name="claim", name="text_changed_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.RemoveConstraint(model_name="claim", name="claim_unique_span_per_author"),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(condition=models.Q(("original_text_version__isnull", True)), fields=("article", "author", "text_version", "start", "end"), name="claim_unique_span_per_author"),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(condition=models.Q(("anchor_status__in", ["anchored", "orphaned"])), name="claim_anchor_status_valid"),
        ),
    ]
