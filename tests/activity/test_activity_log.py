"""The change log sits below articles: it keeps no foreign key to them and outlives them."""

from django.db import connection
from factories import make_article

from activity.models import Activity, ActivityVerb
from activity.services import record
from articles.models import Article


def test_record_appends_a_row_and_trims_the_summary(workspace, alice):
    row = record(
        workspace_id=workspace.pk, verb=ActivityVerb.TAG_UPDATED, actor=alice, summary="x" * 400
    )
    assert Activity.objects.get(pk=row.pk).summary == "x" * 300


def test_the_log_keeps_rows_about_a_deleted_article(workspace, alice):
    seed = make_article(workspace=workspace, user=alice)
    row = record(
        workspace_id=workspace.pk, verb=ActivityVerb.BLOCK_KIND, actor=alice, article_id=seed.pk
    )
    Article.objects.filter(pk=seed.pk).delete()
    assert Activity.objects.get(pk=row.pk).article_id == seed.pk


def test_the_table_kept_its_name_and_has_no_foreign_key_to_articles(db):
    assert Activity._meta.db_table == "annotations_activity"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint"
            " WHERE conrelid = 'annotations_activity'::regclass AND contype = 'f'"
        )
        targets = {row[0] for row in cursor.fetchall()}
    assert "articles_article" not in targets
    assert "workspaces_workspace" in targets
