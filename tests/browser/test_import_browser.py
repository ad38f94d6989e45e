"""Importing in Chromium: a page from a local HTTP server through the web form, and a batch,
imported by a real job worker process (manage.py run_worker) while the page polls."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "articles"))
from job_helpers import WorkerProcess  # noqa: E402
from test_url_import_support import PageServer  # noqa: E402

from articles.models import Article  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _is_problem(msg) -> bool:
    return msg.type == "error" and "favicon" not in (msg.location or {}).get("url", "")


@pytest.fixture
def pages(settings):
    settings.ARTICLE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    with PageServer() as server, WorkerProcess():
        yield server


def test_import_by_url_shows_caption_apart(browser_page_for, live_server, workspace, alice, pages):
    page = browser_page_for(alice)
    problems = []
    page.on("console", lambda msg: _is_problem(msg) and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/articles/import/")
    page.get_by_role("link", name="From a URL or .html file").click()
    page.get_by_label("Page address (URL)").fill(pages.url("/en"))
    page.get_by_role("button", name="Import and read").click()
    page.wait_for_url(f"{live_server.url}/articles/*/")
    article = Article.objects.get()
    assert page.url.endswith(article.get_absolute_url())
    assert page.get_by_role("heading", level=1).first.inner_text() == article.title
    caption = page.locator('[data-block-kind="caption"]').first
    assert caption.is_visible()
    assert "artist's impression" in caption.inner_text()
    assert caption.locator(".block-label").inner_text().lower() == "caption"
    paragraph = page.locator('[data-block-kind="paragraph"]').first
    caption_box = caption.evaluate("el => getComputedStyle(el).borderLeftStyle")
    paragraph_box = paragraph.evaluate("el => getComputedStyle(el).borderLeftStyle")
    assert caption_box == "solid" and paragraph_box == "none"
    assert problems == []


def test_refused_url_shows_the_reason(browser_page_for, live_server, workspace, alice, pages):
    page = browser_page_for(alice)
    page.goto(f"{live_server.url}/articles/import/web/")
    page.get_by_label("Page address (URL)").fill(pages.url("/json"))
    page.get_by_role("button", name="Import and read").click()
    alert = page.get_by_role("alert")
    assert "Only HTML pages can be imported" in alert.inner_text()
    assert Article.objects.count() == 0


def test_batch_progress_and_results(browser_page_for, live_server, workspace, alice, pages):
    page = browser_page_for(alice)
    problems = []
    page.on("console", lambda msg: _is_problem(msg) and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/articles/import/batch/")
    urls = [
        pages.url("/en"),
        pages.url("/json"),
        pages.url("/de"),
        pages.url("/gone"),
        pages.url("/to-en"),
    ]
    page.get_by_label("Page addresses, one per line").fill("\n".join(urls))
    page.get_by_role("button", name="Import all").click()
    page.wait_for_selector("[data-batch-complete]", timeout=30_000)
    progress = page.locator("#batch-progress")
    assert progress.evaluate("el => [el.value, el.max]") == [5, 5]
    states = page.locator(".batch-item").evaluate_all("els => els.map(e => e.dataset.state)")
    assert states == ["imported", "failed", "imported", "failed", "imported"]
    status = page.locator("#batch-status").inner_text()
    assert "5 of 5 done" in status and "3 imported" in status and "2 failed" in status
    assert "HTTP 404" in page.locator("#batch-item-3").inner_text()
    page.reload()  # the page comes back in its current state, from the database
    assert page.url.startswith(f"{live_server.url}/articles/import/batch/")
    reloaded = page.locator(".batch-item").evaluate_all("els => els.map(e => e.dataset.state)")
    assert reloaded == states
    page.locator("#batch-item-2 a").click()
    page.wait_for_url(f"{live_server.url}/articles/*/")
    assert page.locator('[data-block-kind="caption"]').first.is_visible()
    assert problems == []
