"""`Article.revision` (the reading page's cache counter) becomes `render_version`, so it is never
confused with the text's revisions; the text's revisions get their own table.

The database triggers that bump the counter are recreated for the new column name in
annotations/migrations/0009.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_article_revision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="article", old_name="revision", new_name="render_version"
        ),
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
