"""NOTIFY sourcemark_activity on every new activity row: the bus between server processes.

The payload carries only ids (never claim text), so a listener must read the row, through
the same visibility rules as any other read, before it tells a browser anything.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION sourcemark_notify_activity() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('sourcemark_activity', json_build_object(
        'id', NEW.id, 'workspace', NEW.workspace_id, 'article', NEW.article_id)::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER activity_notifies AFTER INSERT ON annotations_activity
    FOR EACH ROW EXECUTE FUNCTION sourcemark_notify_activity();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS activity_notifies ON annotations_activity;
DROP FUNCTION IF EXISTS sourcemark_notify_activity();
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_activity")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
