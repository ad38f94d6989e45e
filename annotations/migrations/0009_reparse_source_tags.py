"""Re-parse every source tag with the parser of issue 14 (source-before-outlet shapes, relative
clauses, prefixed frames, the outlet gazetteer, unnamed spokespeople as anonymous).

`outlet` and `cited` are derived from the label and always re-parsed; `anonymous` keeps a
person's manual toggle (`anonymous_is_manual`). The outlets of a workspace's articles count as
media for its tags. Reversing leaves the new values (the old parse is not worth restoring).
"""

from django.db import migrations

from annotations.source_tags import SourceTagError, parse_source_tag

_BATCH = 500


def reparse_source_tags(apps, schema_editor):
    SourceTag = apps.get_model("annotations", "SourceTag")
    Article = apps.get_model("articles", "Article")
    outlets_by_workspace: dict[int, list[str]] = {}
    changed = []
    for tag in SourceTag.objects.order_by("pk").iterator(chunk_size=_BATCH):
        if tag.workspace_id not in outlets_by_workspace:
            outlets_by_workspace[tag.workspace_id] = list(
                Article.objects.filter(workspace_id=tag.workspace_id)
                .exclude(outlet="")
                .values_list("outlet", flat=True)
                .distinct()
            )
        try:
            parsed = parse_source_tag(
                label=tag.label, known_outlets=outlets_by_workspace[tag.workspace_id]
            )
        except SourceTagError:
            continue  # the label constraint keeps these out; nothing to re-parse
        anonymous = tag.anonymous if tag.anonymous_is_manual else parsed.anonymous
        new = (parsed.outlet[:200], parsed.cited[:200], anonymous)
        if new != (tag.outlet, tag.cited, tag.anonymous):
            tag.outlet, tag.cited, tag.anonymous = new
            changed.append(tag)
    SourceTag.objects.bulk_update(changed, ["outlet", "cited", "anonymous"], batch_size=_BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_private_tags_unique_claims_tag_changes"),
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(reparse_source_tags, migrations.RunPython.noop),
    ]
