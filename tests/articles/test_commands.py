import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories import SEED_PATH, make_seed_article, make_workspace

from articles import services
from articles.models import Article, Block
from workspaces.models import Workspace


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_prints_paths(tmp_path, alice):
    make_workspace(owner=alice)
    other = tmp_path / "other.txt"
    other.write_text("A headline\n\nA paragraph of text.", encoding="utf-8")
    out, _ = run("import_article", str(SEED_PATH), str(other), "--outlet", "Fox News")
    articles = list(Article.objects.order_by("id"))
    assert out.split() == [f"/articles/{a.pk}/" for a in articles]
    assert articles[0].blocks.count() == 24
    assert articles[0].outlet == "Fox News"
    assert articles[0].language == "de"


@pytest.mark.django_db
def test_dry_run_prints_json_and_saves_nothing(tmp_path):
    out, _ = run("import_article", "--dry-run", str(SEED_PATH))
    record = json.loads(out.strip())
    assert record["path"] == str(SEED_PATH)
    assert record["language"] == "de"
    assert record["title"].startswith("Laut Bericht")
    assert len(record["blocks"]) == 24
    assert record["blocks"][0] == {"kind": "headline", "text": record["title"]}
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_bad_file_is_reported_and_the_rest_imported(tmp_path, alice):
    make_workspace(owner=alice)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="1 of 2 imports failed"):
        run("import_article", str(empty), str(SEED_PATH))
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_several_workspaces_need_a_choice(alice):
    make_workspace(owner=alice)
    second = make_workspace(owner=alice)
    with pytest.raises(CommandError, match="--workspace"):
        run("import_article", str(SEED_PATH))
    run("import_article", str(SEED_PATH), "--workspace", second.slug)
    assert Article.objects.get().workspace == second


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    first, _ = run("load_demo")
    second, _ = run("load_demo")
    assert "Loaded the seed article" in first
    assert "already loaded" in second
    assert "password: sourcemark" in second
    demo = Workspace.objects.get(slug="demo")
    assert Article.objects.filter(workspace=demo).count() == 1
    assert set(demo.memberships.values_list("user__username", "role")) == {
        ("alice", "owner"),
        ("bob", "editor"),
    }


@pytest.mark.django_db
def test_resegment_articles_keeps_manual_kinds_and_skips_web_pages(alice):
    workspace = make_workspace(owner=alice)
    article = make_seed_article(workspace=workspace, user=alice)
    services.change_block_kind(block=article.blocks.get(position=5), kind="paragraph", user=alice)
    Block.objects.filter(article=article, position=6).update(kind="paragraph")  # a caption
    page = services.import_file(
        workspace=workspace,
        user=alice,
        name="en.html",
        data=(Path(__file__).parent.parent / "fixtures/html/en_article.html").read_bytes(),
    )
    page_kinds = list(page.blocks.values_list("kind", flat=True))
    Block.objects.filter(article=page).update(kind="boilerplate")

    out, _ = run("resegment_articles", "--workspace", workspace.slug)
    assert out.strip() == "1 blocks changed kind in 1 articles."
    assert article.blocks.get(position=5).kind == "paragraph"  # fixed by hand
    assert article.blocks.get(position=6).kind == "caption"
    assert set(page.blocks.values_list("kind", flat=True)) == {"boilerplate"} != set(page_kinds)
    with pytest.raises(CommandError, match=rf"No text-imported article \[{page.pk}\]"):
        run("resegment_articles", str(page.pk))
    with pytest.raises(services.ArticleImportError):
        services.resegment_article(article=page)
