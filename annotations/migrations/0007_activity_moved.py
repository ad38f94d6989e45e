"""The Activity model now lives in the `activity` app (same table, see activity/0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_revision_guards"),
        ("activity", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Activity")],
            database_operations=[],
        ),
    ]
