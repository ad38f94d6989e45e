"""`Article.revision` (the reading page's cache counter) becomes `render_version`, so it is never
confused with the text's revisions; the text's revisions get their own table.

The database trigger functions that bump the counter (annotations/migrations/0002 and 0006)
are recreated for the new column name here, in the same migration as the rename, so the
column and the functions can never disagree (also when migrating backwards).
"""

import django.db.models.deletion
from django.conf import settings
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
        ("articles", "0005_library_keyset_and_facet_indexes"),
        # The trigger functions recreated below belong to these migrations.
        ("annotations", "0011_tag_use_counters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # SQL functions are checked against the table when created: each direction recreates
        # them once its column name is in place (backwards: after the rename is undone).
        migrations.RunSQL(migrations.RunSQL.noop, BACKWARD),
        migrations.RenameField(
            model_name="article", old_name="revision", new_name="render_version"
        ),
        migrations.RunSQL(FORWARD, migrations.RunSQL.noop),
        migrations.CreateModel(
            name="ArticleRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("blocks", models.JSONField(default=list)),
                ("source", models.CharField(choices=[("paste", "Pasted text"), ("file", "Text file"), ("html", "HTML file"), ("url", "URL"), ("demo", "Demo data"), ("edit", "Extraction fixed by hand")], max_length=16)),
                ("source_url", models.URLField(blank=True, max_length=2000)),
                ("file_name", models.CharField(blank=True, max_length=255)),
                ("original", models.TextField(blank=True)),
                ("summary", models.CharField(blank=True, max_length=300)),
                ("imported_at", models.DateTimeField()),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="revisions", to="articles.article")),
                ("imported_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["article", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("article", "number"), name="article_revision_unique_number"),
                    models.CheckConstraint(condition=models.Q(("source__in", ["paste", "file", "html", "url", "demo", "edit"])), name="article_revision_source_valid"),
                ],
            },
        ),
    ]
