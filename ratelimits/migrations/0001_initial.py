import django.contrib.postgres.fields
from django.db import migrations, models

# The hits of a log that are still inside a window of `window` seconds, oldest first.
LIVE_HITS_FUNCTION = """
CREATE FUNCTION ratelimits_live(hits timestamptz[], window_seconds double precision)
RETURNS timestamptz[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(hit ORDER BY hit), '{}')
    FROM unnest(hits) AS hit
    WHERE hit > statement_timestamp() - make_interval(secs => window_seconds)
$$;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="HitLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=40)),
                ("key", models.CharField(max_length=64)),
                ("hits", django.contrib.postgres.fields.ArrayField(base_field=models.DateTimeField(), default=list, size=None)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("scope", "key"), name="ratelimits_one_log_per_key")
                ],
            },
        ),
        migrations.RunSQL(
            LIVE_HITS_FUNCTION,
            reverse_sql="DROP FUNCTION ratelimits_live(timestamptz[], double precision);",
        ),
    ]
