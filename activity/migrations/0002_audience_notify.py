"""NOTIFY sourcemark_activity when a logged row's audience changes (a claim went private).

Each server process caches an article's recent log rows with their audience; without this it
would go on replaying what a now-private claim said to everyone. The payload carries ids
only, like the insert trigger's (annotations 0004); `revoked` names the claim whose rows changed.
Identical payloads within one transaction are delivered once, however many rows changed.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION sourcemark_notify_activity_audience() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('sourcemark_activity', json_build_object(
        'workspace', NEW.workspace_id, 'article', NEW.article_id, 'revoked', NEW.claim_id
    )::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER activity_audience_notifies AFTER UPDATE OF visible_to_id ON annotations_activity
    FOR EACH ROW WHEN (OLD.visible_to_id IS DISTINCT FROM NEW.visible_to_id)
    EXECUTE FUNCTION sourcemark_notify_activity_audience();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS activity_audience_notifies ON annotations_activity;
DROP FUNCTION IF EXISTS sourcemark_notify_activity_audience();
"""


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
