"""Batch import: many URLs and/or files, queued as background jobs; every item on its own,
failures never stop the rest, and the page shows the state from the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import SEED_PATH, make_user
from job_helpers import drain_jobs, queued_jobs
from test_url_import_support import PageServer

from articles.models import Article, ArticleSource, ImportBatch, ImportItem, ImportStatus
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


def states(html: str) -> list[str]:
    return [re.search(r'data-state="(\w+)"', row).group(1) for row in rows(html)]


def queue(client, data) -> ImportBatch:
    response = client.post(BATCH_URL, data)
    assert response.status_code == 302
    batch = ImportBatch.objects.latest("pk")
    assert response["Location"] == f"/articles/import/batch/{batch.pk}/"
    return batch


@pytest.mark.django_db
def test_the_post_only_queues_and_the_page_shows_waiting_rows(alice_client, workspace, pages):
    urls = [pages.url("/en"), pages.url("/json"), pages.url("/de"), pages.url("/to-en")]
    batch = queue(alice_client, {"urls": "\n".join(urls + [urls[0], "  "])})
    assert Article.objects.count() == 0 and pages.hits == []  # nothing fetched in the request
    assert list(batch.items.values_list("url", "status")) == [
        (url, ImportStatus.QUEUED)
        for url in urls  # the duplicate and the blank line dropped
    ]
    jobs = queued_jobs("articles.import_item")
    assert [job["args"] for job in jobs] == [{"item_id": item.pk} for item in batch.items.all()]
    html = alice_client.get(batch.get_absolute_url()).content.decode()
    assert states(html) == ["pending"] * 4
    assert '<progress id="batch-progress" max="4" value="0"' in html
    # the page asks for the state every second while some items are not finished
    assert f'hx-get="{batch.get_absolute_url()}" hx-trigger="every 1s"' in html


@pytest.mark.django_db
def test_each_item_imports_alone_and_a_failure_does_not_stop_the_rest(
    alice_client, workspace, pages, allow_local
):
    urls = [pages.url("/en"), pages.url("/json"), "ftp://example.com/x", pages.url("/de")]
    batch = queue(alice_client, {"urls": "\n".join(urls)})
    drain_jobs()
    html = alice_client.get(batch.get_absolute_url()).content.decode()
    found = rows(html)
    assert states(html) == ["imported", "failed", "failed", "imported"]
    assert "Only HTML pages" in found[1]
    assert "Only http and https" in found[2]
    articles = {a.title: a for a in Article.objects.all()}
    assert set(articles) == {
        "Council approves new river bridge",
        "Stadt plant neue Straßenbahnlinie",
    }
    assert all(a.source == ArticleSource.URL for a in articles.values())
    link = articles["Council approves new river bridge"].get_absolute_url()
    assert f'href="{link}"' in found[0]
    assert "data-batch-complete" in html and "hx-trigger" not in html  # polling stops
    # the htmx poll gets the progress section alone
    fragment = alice_client.get(batch.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<section class="card batch')


@pytest.mark.django_db
def test_item_refuses_private_addresses(alice_client, workspace, pages):
    batch = queue(alice_client, {"urls": pages.url("/en")})
    drain_jobs()
    item = batch.items.get()
    assert item.status == ImportStatus.FAILED and "private network" in item.error
    assert item.attempts == 1  # a permanent refusal is not retried
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_passing_failures_are_retried_and_permanent_ones_are_not(
    alice_client, workspace, pages, allow_local
):
    batch = queue(alice_client, {"urls": f"{pages.url('/flaky/a')}\n{pages.url('/gone')}"})
    assert drain_jobs() == [("articles.import_item", 2), ("articles.import_item", 1)]
    flaky, gone = batch.items.all()
    assert (flaky.status, flaky.attempts, flaky.error) == (ImportStatus.DONE, 2, "")
    assert flaky.article.title == "Council approves new river bridge"
    assert (gone.status, gone.attempts) == (ImportStatus.FAILED, 1)
    assert "HTTP 404" in gone.error


@pytest.mark.django_db
def test_an_item_fails_with_the_reason_after_the_last_attempt(alice_client, workspace, monkeypatch):
    from articles import services

    def unreachable(**kwargs):
        raise services.ArticleImportError("Could not connect to the server.", transient=True)

    monkeypatch.setattr(services, "draft_from_url", unreachable)
    batch = queue(alice_client, {"urls": "https://example.com/"})
    assert drain_jobs() == [("articles.import_item", 3)]
    item = batch.items.get()
    assert (item.status, item.attempts) == (ImportStatus.FAILED, 3)
    assert item.error == "Could not connect to the server."


@pytest.mark.django_db
def test_item_survives_unexpected_errors(alice_client, workspace, monkeypatch):
    from articles import services

    def boom(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "draft_from_url", boom)
    batch = queue(alice_client, {"urls": "https://example.com/\nhttps://example.org/"})
    drain_jobs()
    assert [item.status for item in batch.items.all()] == [ImportStatus.FAILED] * 2
    html = alice_client.get(batch.get_absolute_url()).content.decode()
    assert html.count("Something went wrong") == 2


@pytest.mark.django_db
def test_a_job_run_twice_makes_one_article(alice_client, workspace):
    from articles import imports

    batch = queue(alice_client, {"files": [upload("seed.txt", SEED_PATH.read_bytes())]})
    item = batch.items.get()
    imports.run_item(item_id=item.pk, attempt=1)
    imports.run_item(item_id=item.pk, attempt=2)  # e.g. its worker died before reporting
    assert Article.objects.count() == 1
    item.refresh_from_db()
    assert item.status == ImportStatus.DONE and item.file_data is None


@pytest.mark.django_db
def test_files_are_imported_one_by_one_with_results(alice_client, workspace):
    files = [
        upload("en.html", (FIXTURES / "en_article.html").read_bytes()),
        upload("empty.html", b""),
        upload("seed.txt", SEED_PATH.read_bytes()),
        upload("scan.pdf", b"%PDF-1.4"),
        upload("de.htm", (FIXTURES / "de_artikel.html").read_bytes()),
    ]
    batch = queue(alice_client, {"files": files})
    assert Article.objects.count() == 0  # files wait in the database for the worker
    assert bytes(batch.items.get(position=2).file_data) == SEED_PATH.read_bytes()
    drain_jobs()
    html = alice_client.get(batch.get_absolute_url()).content.decode()
    found = rows(html)
    assert states(html) == ["imported", "failed", "imported", "failed", "imported"]
    assert "The file is empty." in found[1]
    assert "Only .txt, .html and .htm files" in found[3]
    assert '<progress id="batch-progress" max="5" value="5"' in html
    assert "3</span> imported" in html and "2</span> failed" in html
    sources = sorted(Article.objects.values_list("source", flat=True))
    assert sources == [ArticleSource.FILE, ArticleSource.HTML, ArticleSource.HTML]
    for article in Article.objects.all():
        assert f'href="{article.get_absolute_url()}"' in html
    assert not ImportItem.objects.filter(file_data__isnull=False).exists()


@pytest.mark.django_db
def test_files_and_urls_together(alice_client, workspace, pages):
    batch = queue(
        alice_client,
        {"urls": pages.url("/en"), "files": [upload("seed.txt", SEED_PATH.read_bytes())]},
    )
    assert [item.label for item in batch.items.all()] == ["seed.txt", pages.url("/en")]


@pytest.mark.django_db
def test_batch_limits_and_empty(alice_client, workspace, settings):
    settings.ARTICLE_BATCH_MAX_ITEMS = 3
    urls = "\n".join(f"https://example.com/{n}" for n in range(4))
    response = alice_client.post(BATCH_URL, {"urls": urls})
    assert response.status_code == 400 and "at most 3" in response.content.decode()
    empty = alice_client.post(BATCH_URL, {"urls": "\n\n"})
    assert empty.status_code == 400 and "at least one" in empty.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_each_item_counts_against_the_import_limit(alice_client, workspace, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "import_user": (2, 900)}
    urls = "\n".join(f"https://example.com/{n}" for n in range(3))
    batch = queue(alice_client, {"urls": urls})
    statuses = [item.status for item in batch.items.all()]
    assert statuses == [ImportStatus.QUEUED, ImportStatus.QUEUED, ImportStatus.FAILED]
    assert "Too many imports" in batch.items.get(position=2).error
    assert len(queued_jobs("articles.import_item")) == 2


@pytest.mark.django_db
def test_batch_permissions(client, workspace, pages, alice):
    viewer = make_user("vera")
    workspace.memberships.create(user=viewer, role=Role.VIEWER)
    client.force_login(alice)
    batch = queue(client, {"urls": pages.url("/en")})
    client.force_login(viewer)
    assert client.get(BATCH_URL).status_code == 403
    assert client.post(BATCH_URL, {"urls": pages.url("/en")}).status_code == 403
    response = client.post(ITEM_URL, {"url": pages.url("/en"), "index": 0})
    assert response.status_code == 403
    assert client.get(batch.get_absolute_url()).status_code == 404  # alice's alone
    client.logout()
    assert client.post(ITEM_URL, {"url": pages.url("/en")}).status_code == 302
    assert client.get(batch.get_absolute_url()).status_code == 302  # to sign in
    assert ImportBatch.objects.count() == 1 and Article.objects.count() == 0


@pytest.mark.django_db
def test_the_old_item_endpoint_queues_its_url(alice_client, workspace, pages):
    response = alice_client.post(ITEM_URL, {"url": pages.url("/en"), "index": 0})
    assert 'data-state="pending"' in response.content.decode()
    assert ImportItem.objects.get().url == pages.url("/en")
    empty = alice_client.post(ITEM_URL, {"url": "", "index": 1})
    assert 'data-state="failed"' in empty.content.decode()
    assert "The line is empty." in empty.content.decode()


@pytest.mark.django_db
def test_batch_takes_gzipped_and_xhtml_pages_like_the_command_line(alice_client, workspace):
    import gzip

    data = (FIXTURES / "en_article.html").read_bytes()
    files = [upload("a.html.gz", gzip.compress(data)), upload("b.xhtml", data)]
    batch = queue(alice_client, {"files": files})
    drain_jobs()
    assert states(alice_client.get(batch.get_absolute_url()).content.decode()) == ["imported"] * 2
    assert list(Article.objects.values_list("source", flat=True)) == [ArticleSource.HTML] * 2
