"""Tag use counters kept by PostgreSQL: SourceTag.shared_claim_count (shared claims carrying
the tag) and PrivateTagUse (per author, their private claims carrying it).

Triggers on annotations_claimtag (insert, delete, update of claim or tag) and on
annotations_claim (update of visibility or author) keep them, whichever code path writes
(services, admin, shell, bulk updates). Django deletes a claim's or tag's claim tags before
the claim or tag, so the delete trigger still finds the claim. Decrements only update: a
PrivateTagUse row already removed with its user or tag is not re-created.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FORWARD = """
CREATE FUNCTION sourcemark_count_tag_use(
    p_tag bigint, p_visibility text, p_author bigint, p_delta int
) RETURNS void AS $$
BEGIN
    IF p_visibility = 'workspace' THEN
        UPDATE annotations_sourcetag
        SET shared_claim_count = GREATEST(shared_claim_count + p_delta, 0)
        WHERE id = p_tag;
    ELSIF p_delta > 0 THEN
        INSERT INTO annotations_privatetaguse (tag_id, author_id, uses)
        VALUES (p_tag, p_author, p_delta)
        ON CONFLICT (author_id, tag_id)
        DO UPDATE SET uses = annotations_privatetaguse.uses + EXCLUDED.uses;
    ELSE
        UPDATE annotations_privatetaguse SET uses = GREATEST(uses + p_delta, 0)
        WHERE tag_id = p_tag AND author_id = p_author;
        DELETE FROM annotations_privatetaguse
        WHERE tag_id = p_tag AND author_id = p_author AND uses = 0;
    END IF;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION sourcemark_tag_use_by_claim_tag() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.claim_id = OLD.claim_id AND NEW.tag_id = OLD.tag_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM sourcemark_count_tag_use(OLD.tag_id, c.visibility, c.author_id, -1)
        FROM annotations_claim c WHERE c.id = OLD.claim_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM sourcemark_count_tag_use(NEW.tag_id, c.visibility, c.author_id, 1)
        FROM annotations_claim c WHERE c.id = NEW.claim_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION sourcemark_tag_use_by_claim() RETURNS trigger AS $$
BEGIN
    IF NEW.visibility IS DISTINCT FROM OLD.visibility
       OR NEW.author_id IS DISTINCT FROM OLD.author_id THEN
        PERFORM sourcemark_count_tag_use(ct.tag_id, OLD.visibility, OLD.author_id, -1),
                sourcemark_count_tag_use(ct.tag_id, NEW.visibility, NEW.author_id, 1)
        FROM annotations_claimtag ct WHERE ct.claim_id = NEW.id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER sourcemark_tag_use_claim_tag
AFTER INSERT OR DELETE OR UPDATE OF claim_id, tag_id ON annotations_claimtag
FOR EACH ROW EXECUTE FUNCTION sourcemark_tag_use_by_claim_tag();

CREATE TRIGGER sourcemark_tag_use_claim
AFTER UPDATE OF visibility, author_id ON annotations_claim
FOR EACH ROW EXECUTE FUNCTION sourcemark_tag_use_by_claim();
"""

# Also annotations.services.recount_tag_uses (after bulk loads with triggers off).
BACKFILL = """
UPDATE annotations_sourcetag t SET shared_claim_count = COALESCE((
    SELECT count(*) FROM annotations_claimtag ct
    JOIN annotations_claim c ON c.id = ct.claim_id
    WHERE ct.tag_id = t.id AND c.visibility = 'workspace'), 0);
INSERT INTO annotations_privatetaguse (tag_id, author_id, uses)
SELECT ct.tag_id, c.author_id, count(*) FROM annotations_claimtag ct
JOIN annotations_claim c ON c.id = ct.claim_id
WHERE c.visibility <> 'workspace'
GROUP BY ct.tag_id, c.author_id;
"""

BACKWARD = """
DROP TRIGGER sourcemark_tag_use_claim ON annotations_claim;
DROP TRIGGER sourcemark_tag_use_claim_tag ON annotations_claimtag;
DROP FUNCTION sourcemark_tag_use_by_claim();
DROP FUNCTION sourcemark_tag_use_by_claim_tag();
DROP FUNCTION sourcemark_count_tag_use(bigint, text, bigint, int);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0010_suggestions'),
        ('workspaces', '0003_membership_invitation_last_used'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PrivateTagUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uses', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='sourcetag',
            name='shared_claim_count',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name='sourcetag',
            index=models.Index(fields=['workspace', '-shared_claim_count', 'label'], name='source_tag_by_use'),
        ),
        migrations.AddField(
            model_name='privatetaguse',
            name='author',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='privatetaguse',
            name='tag',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='private_uses', to='annotations.sourcetag'),
        ),
        migrations.AddConstraint(
            model_name='privatetaguse',
            constraint=models.UniqueConstraint(fields=('author', 'tag'), name='private_tag_use_unique'),
        ),
        migrations.AddIndex(
            model_name='claim',
            index=models.Index(fields=['workspace', 'author'], name='claim_workspace_author'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
