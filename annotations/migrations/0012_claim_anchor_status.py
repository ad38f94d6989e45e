"""Claims follow their text across revisions (anchor status, original selectors)."""

from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0011_tag_use_counters"),
        ("articles", "0006_render_version_article_revisions"),
    ]

    operations = [
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
