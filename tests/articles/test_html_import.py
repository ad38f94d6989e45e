"""Importing saved pages: .html/.htm uploads on the web form and .html/.htm/.html.gz files on
the command line (including --dry-run, the interface ../shared/extraction/score.py uses)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from factories import SEED_PATH, make_workspace
from job_helpers import finish_web_import

from articles import services
from articles.models import Article, ArticleSource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
WEB_URL = reverse("articles:import_web")


def post_web(client, data):
    """Queue the page, run the job, answer with what the person then sees."""
    return finish_web_import(client, client.post(WEB_URL, data))


ALL_KINDS = {"headline", "paragraph", "caption", "related", "boilerplate"}

HOSTILE = (
    "<!doctype html><html lang=en><head><title>Markup stays text</title>"
    "<script>window.pwned = 1</script></head><body><article><h1>Markup stays text</h1>"
    '<p onclick="alert(1)">Writers sometimes quote HTML such as '
    "&lt;script&gt;alert(1)&lt;/script&gt;"
    " in an article about web security, and readers must see it as plain text.</p>"
    "<p>A second paragraph about <b>bold</b> claims and <img src=x onerror=alert(2)> images"
    " that never run anything in the reader's browser at all, whatever the page says.</p>"
    "</article></body></html>"
)


def upload(name: str, data: bytes, content_type: str = "text/html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_article", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- web form -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTML"])
def test_html_upload_english(alice_client, workspace, suffix):
    data = (FIXTURES / "en_article.html").read_bytes()
    response = post_web(alice_client, {"file": upload("page" + suffix, data)})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.source == ArticleSource.HTML
    assert article.title == "Council approves new river bridge"
    assert (article.outlet, article.author, article.language) == (
        "The Daily Example",
        "Jane Doe",
        "en",
    )
    assert article.published_at.date().isoformat() == "2024-03-05"
    assert article.url == ""  # a relative canonical link cannot be resolved without a URL
    assert {b.kind for b in article.blocks.all()} == ALL_KINDS


@pytest.mark.django_db
def test_html_upload_german(alice_client, workspace):
    data = (FIXTURES / "de_artikel.html").read_bytes()
    post_web(alice_client, {"file": upload("artikel.htm", data)})
    article = Article.objects.get()
    assert article.language == "de" and article.search_config == "german"
    assert article.url == "https://www.beispielzeitung.de/lokales/strassenbahn-123.html"
    assert article.author == "Max Müller" and article.outlet == "Beispielzeitung"
    blocks = list(article.blocks.order_by("position"))
    assert {b.kind for b in blocks} == ALL_KINDS
    kinds = [b.kind for b in blocks]
    # the caption sits between the lead and the rest of the body, not at the end
    first_caption = kinds.index("caption")
    assert "paragraph" in kinds[:first_caption] and "paragraph" in kinds[first_caption:]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("de_utf8_header.html", "Bürgermeisterwahl in Süderstadt"),
        ("de_latin1_meta.html", "Öffnungszeiten der Bäder"),
        ("de_undeclared_cp1252.html", "größere Grünflächen"),
    ],
    ids=["utf-8", "iso-8859-1-in-meta-only", "undeclared"],
)
def test_html_upload_charsets(alice_client, workspace, name, expected):
    data = (FIXTURES / name).read_bytes()
    assert post_web(alice_client, {"file": upload(name, data)}).status_code == 302
    article = Article.objects.get()
    texts = [article.title] + [b.text for b in article.blocks.all()]
    assert any(expected in text for text in texts)
    assert not any("\ufffd" in text or "Ã" in text for text in texts)


@pytest.mark.django_db
def test_markup_is_stored_and_shown_as_text(alice_client, workspace):
    post_web(alice_client, {"file": upload("x.html", HOSTILE.encode())})
    article = Article.objects.get()
    texts = [b.text for b in article.blocks.all()]
    assert any("<script>alert(1)</script>" in t for t in texts)  # the quoted text, as text
    assert not any("pwned" in t or "onerror" in t or "<b>" in t for t in texts)
    page = alice_client.get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page and "onerror=alert" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message", "status"),
    [
        # 400: the form refuses it at once; 200: the import job did, and the form says why.
        (b"", "empty.html", "empty", 400),
        (b"   \n ", "blank.html", "empty", 200),
        (b"\x00\x01\x02binary\x00" * 50, "x.html", "binary", 200),
        (b"<html><body><nav>Menu</nav></body></html>", "menu.html", "No article text", 200),
        (b"plain", "notes.txt", "Only .html and .htm", 400),
        (b"<html></html>", "page.pdf", "Only .html and .htm", 400),
    ],
    ids=["empty", "blank", "binary", "no-article", "txt", "pdf"],
)
def test_bad_uploads_are_refused(alice_client, workspace, data, name, message, status):
    response = post_web(alice_client, {"file": upload(name, data)})
    assert response.status_code == status
    assert message in response.content.decode()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_too_big_upload(alice_client, workspace, settings):
    settings.ARTICLE_FETCH_MAX_BYTES = 1000
    data = (FIXTURES / "en_article.html").read_bytes()
    response = post_web(alice_client, {"file": upload("page.html", data)})
    assert response.status_code == 200 and "the limit is" in response.content.decode()


@pytest.mark.django_db
def test_url_and_file_together_or_neither(alice_client, workspace):
    data = (FIXTURES / "en_article.html").read_bytes()
    both = alice_client.post(
        WEB_URL, {"url": "https://example.com/", "file": upload("a.html", data)}
    )
    assert both.status_code == 400 and "not both" in both.content.decode()
    neither = alice_client.post(WEB_URL, {"title": "x"})
    assert neither.status_code == 400 and "Enter the page" in neither.content.decode()


@pytest.mark.django_db
def test_import_pages_link_to_each_other(alice_client, workspace):
    page = alice_client.get(reverse("articles:import")).content.decode()
    assert WEB_URL in page and reverse("articles:import_batch") in page
    web = alice_client.get(WEB_URL)
    assert web.status_code == 200 and 'type="file"' in web.content.decode()


# --- services -------------------------------------------------------------------------------


def test_draft_from_html_needs_no_database():
    html = (FIXTURES / "en_article.html").read_text(encoding="utf-8")
    draft = services.draft_from_html(html=html, url="https://www.example.com/news/x")
    assert draft.url == "https://www.example.com/news/2024/council-bridge"
    assert draft.segments[0].kind == "headline"
    assert draft.title == draft.segments[0].text
    own = services.draft_from_html(html=html, page_url="https://example.org/given")
    assert own.url == "https://example.org/given"


def test_decode_html_file_gzip_and_limits(settings):
    data = (FIXTURES / "de_latin1_meta.html").read_bytes()
    assert "Bäder" in services.decode_html_file(data=gzip.compress(data), name="x.html.gz")
    with pytest.raises(services.ArticleImportError, match="gzip"):
        services.decode_html_file(data=b"not gzip", name="x.html.gz")
    settings.ARTICLE_FETCH_MAX_BYTES = 100
    bomb = gzip.compress(b"<p>" + b"a" * 10_000)
    with pytest.raises(services.ArticleImportError, match="limit"):
        services.decode_html_file(data=bomb, name="x.html.gz")


# --- command --------------------------------------------------------------------------------


@pytest.fixture
def page_files(tmp_path):
    en = tmp_path / "en.html"
    en.write_bytes((FIXTURES / "en_article.html").read_bytes())
    de = tmp_path / "de.htm"
    de.write_bytes((FIXTURES / "de_artikel.html").read_bytes())
    gz = tmp_path / "latin1.html.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "de_latin1_meta.html").read_bytes()))
    return en, de, gz


@pytest.mark.django_db
def test_command_dry_run_all_file_kinds(page_files):
    en, de, gz = page_files
    out, _ = run_command("--dry-run", str(en), str(de), str(gz), str(SEED_PATH))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["path"] for r in records] == [str(en), str(de), str(gz), str(SEED_PATH)]
    assert [r["language"] for r in records] == ["en", "de", "de", "de"]
    assert records[0]["title"] == "Council approves new river bridge"
    for record in records[:2]:
        assert {b["kind"] for b in record["blocks"]} == ALL_KINDS
        assert set(record) == {"path", "title", "language", "blocks"}
    assert any("Bäder" in b["text"] for b in records[2]["blocks"])
    assert len(records[3]["blocks"]) == 24
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_html_files(alice, page_files):
    make_workspace(owner=alice)
    en, de, gz = page_files
    out, _ = run_command(str(en), str(de), str(gz), "--url", "https://example.org/a")
    articles = list(Article.objects.order_by("id"))
    assert out.split() == [a.get_absolute_url() for a in articles]
    assert {a.source for a in articles} == {ArticleSource.HTML}
    assert all(a.url == "https://example.org/a" for a in articles)
    assert articles[1].author == "Max Müller"


@pytest.mark.django_db
def test_command_reports_bad_files_and_continues(alice, tmp_path, page_files):
    make_workspace(owner=alice)
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"nope")
    other = tmp_path / "notes.txt.gz"
    other.write_bytes(gzip.compress(b"text"))
    with pytest.raises(CommandError, match="3 of 4 imports failed"):
        out, err = run_command(
            str(broken), str(other), str(tmp_path / "missing.html"), str(page_files[0])
        )
    assert Article.objects.count() == 1


# --- one rule for what a file is: web form, batch and command line alike ----------------------


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("page.html", ArticleSource.HTML),
        ("page.HTM", ArticleSource.HTML),
        ("page.xhtml", ArticleSource.HTML),
        ("saved/page.html.gz", ArticleSource.HTML),
        ("notes.txt", ArticleSource.FILE),
        ("NOTES.TXT", ArticleSource.FILE),
        ("notes.txt.gz", None),
        ("scan.pdf", None),
        ("README", None),
    ],
)
def test_file_source_by_name(name, source):
    assert services.file_source(name=name) == source


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["page.xhtml", "page.html.gz"])
def test_web_form_takes_every_page_file_the_command_line_takes(alice_client, workspace, name):
    data = (FIXTURES / "en_article.html").read_bytes()
    if name.endswith(".gz"):
        data = gzip.compress(data)
    response = post_web(alice_client, {"file": upload(name, data)})
    article = Article.objects.get()
    assert response.status_code == 302
    assert (article.source, article.title) == (
        ArticleSource.HTML,
        "Council approves new river bridge",
    )


def test_command_refuses_a_file_that_is_neither_text_nor_a_page(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("A headline\n\nA paragraph of text that would read as an article.")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 1 imports failed"):
        call_command("import_article", "--dry-run", str(notes), stdout=out, stderr=err)
    record = json.loads(out.getvalue())
    assert record == {
        "path": str(notes),
        "error": "Only .txt, .html and .htm files can be imported.",
    }
