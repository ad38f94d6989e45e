from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_revision"),
    ]

    operations = [
        migrations.AddField(
            model_name="block",
            name="is_subheading",
            field=models.BooleanField(default=False),
        ),
    ]
