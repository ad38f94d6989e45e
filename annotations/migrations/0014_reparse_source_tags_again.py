"""Re-parse every source tag with this round's parser (agency credits and lists of media,
"lt."/"acc. to", documents seen by a medium, interviews and statements to a medium, platforms,
unnamed people in a role as anonymous, …): the same step as migration 0009, which keeps a
person's manual anonymous toggle. Reversing leaves the new values."""

import importlib

from django.db import migrations

reparse_source_tags = importlib.import_module(
    "annotations.migrations.0009_reparse_source_tags"
).reparse_source_tags


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0013_blind_rounds_claim_numbers_curation"),
        ("articles", "0008_article_workspace_language_index"),
    ]

    operations = [
        migrations.RunPython(reparse_source_tags, migrations.RunPython.noop),
    ]
