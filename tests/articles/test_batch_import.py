"""Batch import: many URLs and/or files; every item on its own, failures never stop the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import SEED_PATH, make_user
from test_url_import_support import PageServer

from articles.models import Article, ArticleSource
from workspaces.models import Role

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
BATCH_URL = reverse("articles:import_batch")
ITEM_URL = reverse("articles:import_batch_item")


@pytest.fixture(scope="module")
def pages():
    with PageServer() as server:
        yield server


@pytest.fixture
def allow_local(settings):
    settings.ARTICLE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    return settings


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def rows(html: str) -> list[str]:
    return re.findall(r"<li id=\"batch-[^\"]+\".*?</li>", html, re.S)


@pytest.mark.django_db
def test_batch_page_lists_urls_as_pending_rows(alice_client, workspace, pages):
    urls = [pages.url("/en"), pages.url("/json"), pages.url("/de"), pages.url("/to-en")]
    response = alice_client.post(BATCH_URL, {"urls": "\n".join(urls + [urls[0], "  "])})
    assert response.status_code == 200
    html = response.content.decode()
    found = rows(html)
    assert len(found) == 4  # the duplicate and the blank line are dropped
    assert all('data-state="pending"' in row and f'hx-post="{ITEM_URL}"' in row for row in found)
    # three start at once, the fourth when the first answer says so
    assert [('hx-trigger="load"' in row) for row in found] == [True, True, True, False]
    assert 'hx-trigger="batch-next-3 from:body"' in found[3]
    assert '<progress id="batch-progress" max="4" value="0"' in html
    assert "js/batch.js" in html
    assert Article.objects.count() == 0  # nothing is fetched until the rows ask


@pytest.mark.django_db
def test_each_item_imports_alone_and_a_failure_does_not_stop_the_rest(
    alice_client, workspace, pages, allow_local
):
    urls = [pages.url("/en"), pages.url("/json"), "ftp://example.com/x", pages.url("/de")]
    results = []
    for index, url in enumerate(urls):
        response = alice_client.post(
            ITEM_URL, {"url": url, "index": index}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert response["HX-Trigger"] == f"batch-next-{index + 3}"
        results.append(response.content.decode())
    assert 'data-state="imported"' in results[0] and 'data-state="imported"' in results[3]
    assert 'data-state="failed"' in results[1] and "Only HTML pages" in results[1]
    assert 'data-state="failed"' in results[2] and "Only http and https" in results[2]
    articles = {a.title: a for a in Article.objects.all()}
    assert set(articles) == {
        "Council approves new river bridge",
        "Stadt plant neue Straßenbahnlinie",
    }
    assert all(a.source == ArticleSource.URL for a in articles.values())
    link = articles["Council approves new river bridge"].get_absolute_url()
    assert f'href="{link}"' in results[0]
    assert "hx-post" not in results[0]  # a finished row does not ask again


@pytest.mark.django_db
def test_item_refuses_private_addresses(alice_client, workspace, pages):
    response = alice_client.post(ITEM_URL, {"url": pages.url("/en"), "index": 0})
    assert 'data-state="failed"' in response.content.decode()
    assert "private network" in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_item_survives_unexpected_errors(alice_client, workspace, monkeypatch):
    from articles import services

    def boom(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "import_url", boom)
    response = alice_client.post(ITEM_URL, {"url": "https://example.com/", "index": 7})
    assert response.status_code == 200 and response["HX-Trigger"] == "batch-next-10"
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_files_are_imported_one_by_one_with_results(alice_client, workspace):
    files = [
        upload("en.html", (FIXTURES / "en_article.html").read_bytes()),
        upload("empty.html", b""),
        upload("seed.txt", SEED_PATH.read_bytes()),
        upload("scan.pdf", b"%PDF-1.4"),
        upload("de.htm", (FIXTURES / "de_artikel.html").read_bytes()),
    ]
    response = alice_client.post(BATCH_URL, {"files": files})
    html = response.content.decode()
    found = rows(html)
    states = [re.search(r'data-state="(\w+)"', row).group(1) for row in found]
    assert states == ["imported", "failed", "imported", "failed", "imported"]
    assert "The file is empty." in found[1]
    assert "Only .txt, .html and .htm files" in found[3]
    assert '<progress id="batch-progress" max="5" value="5"' in html
    assert "3</span> imported" in html and "2</span> failed" in html
    sources = sorted(Article.objects.values_list("source", flat=True))
    assert sources == [ArticleSource.FILE, ArticleSource.HTML, ArticleSource.HTML]
    for article in Article.objects.all():
        assert f'href="{article.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_files_and_urls_together(alice_client, workspace, pages):
    response = alice_client.post(
        BATCH_URL,
        {"urls": pages.url("/en"), "files": [upload("seed.txt", SEED_PATH.read_bytes())]},
    )
    found = rows(response.content.decode())
    assert 'id="batch-file-0"' in found[0] and 'data-state="imported"' in found[0]
    assert 'id="batch-item-0"' in found[1] and 'data-state="pending"' in found[1]


@pytest.mark.django_db
def test_batch_limits_and_empty(alice_client, workspace, settings):
    settings.ARTICLE_BATCH_MAX_ITEMS = 3
    urls = "\n".join(f"https://example.com/{n}" for n in range(4))
    response = alice_client.post(BATCH_URL, {"urls": urls})
    assert response.status_code == 400 and "at most 3" in response.content.decode()
    empty = alice_client.post(BATCH_URL, {"urls": "\n\n"})
    assert empty.status_code == 400 and "at least one" in empty.content.decode()


@pytest.mark.django_db
def test_batch_permissions(client, workspace, pages):
    viewer = make_user("vera")
    workspace.memberships.create(user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(BATCH_URL).status_code == 403
    assert client.post(BATCH_URL, {"urls": pages.url("/en")}).status_code == 403
    response = client.post(ITEM_URL, {"url": pages.url("/en"), "index": 0})
    assert response.status_code == 403
    client.logout()
    assert client.post(ITEM_URL, {"url": pages.url("/en")}).status_code == 302
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_batch_takes_gzipped_and_xhtml_pages_like_the_command_line(alice_client, workspace):
    import gzip

    data = (FIXTURES / "en_article.html").read_bytes()
    files = [upload("a.html.gz", gzip.compress(data)), upload("b.xhtml", data)]
    found = rows(alice_client.post(BATCH_URL, {"files": files}).content.decode())
    assert ['data-state="imported"' in row for row in found] == [True, True]
    assert list(Article.objects.values_list("source", flat=True)) == [ArticleSource.HTML] * 2
