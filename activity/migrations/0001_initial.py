"""The change log moves from `annotations` to its own app below `articles`.

The table keeps its name (`annotations_activity`), its rows, indexes and NOTIFY trigger. Only
the foreign key on `article_id` goes: `activity` may not depend on `articles`, and the log
outlives what it mentions, as it already did for claims.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROP_ARTICLE_FK = """
DO $$
DECLARE fk text;
BEGIN
    SELECT c.conname INTO fk
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.conrelid = 'annotations_activity'::regclass AND c.contype = 'f'
      AND a.attname = 'article_id';
    IF fk IS NOT NULL THEN
        EXECUTE format('ALTER TABLE annotations_activity DROP CONSTRAINT %I', fk);
    END IF;
END $$;
"""

RESTORE_ARTICLE_FK = """
ALTER TABLE annotations_activity ADD CONSTRAINT annotations_activity_article_id_fk
    FOREIGN KEY (article_id) REFERENCES articles_article (id) DEFERRABLE INITIALLY DEFERRED;
"""

VERBS = [
    ("claim.created", "created a claim"),
    ("claim.updated", "edited a claim"),
    ("claim.deleted", "deleted a claim"),
    ("claim.moderated", "removed a claim (moderation)"),
    ("claim.shared", "shared a claim with the workspace"),
    ("claim.hidden", "made a claim private"),
    ("tag.added", "tagged a claim"),
    ("tag.removed", "removed a tag from a claim"),
    ("tag.renamed", "renamed a source tag"),
    ("tag.merged", "merged source tags"),
    ("tag.updated", "changed a source tag"),
    ("reply.created", "replied to a claim"),
    ("reply.updated", "edited a reply"),
    ("reply.deleted", "deleted a reply"),
    ("block.kind", "changed a block's kind"),
]


class Migration(migrations.Migration):
    initial = True

    # The table was created by annotations/0003 (and its trigger by 0004); this only takes it
    # over, so it has to come after them. A migration's dependency is not an import: the
    # layer rule (tests/test_layers.py) is about code.
    dependencies = [
        ("annotations", "0006_revision_guards"),
        ("workspaces", "0002_invite"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("article_id", models.BigIntegerField(blank=True, null=True)),
                        ("verb", models.CharField(choices=VERBS, max_length=32)),
                        ("claim_id", models.BigIntegerField(blank=True, null=True)),
                        ("summary", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True, null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+", to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "visible_to",
                            models.ForeignKey(
                                blank=True, null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+", to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "workspace",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="activity", to="workspaces.workspace",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "annotations_activity",
                        "ordering": ["-id"],
                        "verbose_name_plural": "activity",
                        "indexes": [
                            models.Index(
                                fields=["workspace", "-id"], name="activity_workspace_recent"
                            ),
                            models.Index(
                                fields=["article_id", "id"], name="activity_article_since"
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[migrations.RunSQL(DROP_ARTICLE_FK, RESTORE_ARTICLE_FK)],
        ),
    ]
