"""Importing a news page by URL: the web form and `import_article URL`, against a local server.

Loopback is refused everywhere except where a test allows 127.0.0.1 through the test-only
setting ARTICLE_FETCH_ALLOWED_ADDRESSES; DNS is faked through services.fetch_resolver.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from factories import make_user, make_workspace
from job_helpers import finish_web_import
from test_url_import_support import PageServer

from articles import services
from articles.models import Article, ArticleSource
from workspaces.models import Role

WEB_URL = reverse("articles:import_web")
PRIVATE = "private network"


@pytest.fixture(scope="module")
def pages():
    with PageServer() as server:
        yield server


@pytest.fixture
def allow_local(settings):
    settings.ARTICLE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    return settings


@pytest.fixture
def fake_dns(monkeypatch):
    """news.example.test → 127.0.0.1 (allowed in tests); intranet.example.test → 10.1.2.3."""
    answers = {
        "news.example.test": ["127.0.0.1"],
        "intranet.example.test": ["10.1.2.3"],
        "mixed.example.test": ["127.0.0.1", "192.168.0.10"],
    }
    calls = []

    def resolve(host, port):
        calls.append(host)
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    monkeypatch.setattr(services, "fetch_resolver", resolve)
    return calls


def post_url(client, url, **extra):
    """The web form's import as the person sees it: queued, run by the worker, then its page
    (a redirect to the article, or the form again with the reason)."""
    return finish_web_import(client, client.post(WEB_URL, {"url": url, **extra}))


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_article", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- good imports -------------------------------------------------------------------------


@pytest.mark.django_db
def test_url_import_takes_metadata_from_the_page(alice_client, workspace, pages, allow_local):
    response = post_url(alice_client, pages.url("/en"))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.source == ArticleSource.URL
    assert article.title == "Council approves new river bridge"
    assert article.outlet == "The Daily Example"
    assert article.author == "Jane Doe"
    assert article.published_at == dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    assert article.language == "en" and article.search_config == "english"
    assert article.url == pages.url("/news/2024/council-bridge")  # canonical, resolved
    assert article.workspace == workspace and article.created_by.username == "alice"
    blocks = list(article.blocks.order_by("position"))
    kinds = [b.kind for b in blocks]
    assert kinds[0] == "headline"
    assert {"paragraph", "caption", "related", "boilerplate"} <= set(kinds)
    caption = next(b for b in blocks if b.kind == "caption")
    assert "artist's impression" in caption.text and "Photo: City Council" in caption.text
    # plain text only: nothing of the page's markup survives
    assert not any("<" in b.text or ">" in b.text for b in blocks)
    assert not any(b.text == "Home" or "Copyright The Daily Example" in b.text for b in blocks)


@pytest.mark.django_db
def test_german_page_by_url(alice_client, workspace, pages, allow_local):
    post_url(alice_client, pages.url("/de"))
    article = Article.objects.get()
    assert article.language == "de" and article.search_config == "german"
    assert article.title == "Stadt plant neue Straßenbahnlinie"
    assert article.outlet == "Beispielzeitung"
    assert article.author == "Max Müller"
    assert article.published_at.date() == dt.date(2023, 11, 20)
    assert article.url == "https://www.beispielzeitung.de/lokales/strassenbahn-123.html"
    kinds = {b.kind: b.text for b in article.blocks.all()}
    assert set(kinds) == {"headline", "paragraph", "caption", "related", "boilerplate"}
    assert "Foto: Erika Beispiel/dpa" in kinds["caption"]


@pytest.mark.django_db
def test_form_values_override_the_page(alice_client, workspace, pages, allow_local):
    post_url(alice_client, pages.url("/en"), title="My title", outlet="My outlet", language="de")
    article = Article.objects.get()
    assert (article.title, article.outlet, article.language) == ("My title", "My outlet", "de")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [("/latin1-meta", "Öffnungszeiten der Bäder"), ("/undeclared", "größere Grünflächen")],
)
def test_charsets_by_url(alice_client, workspace, pages, allow_local, path, expected):
    post_url(alice_client, pages.url(path))
    article = Article.objects.get()
    assert article.title == "Bürgermeisterwahl in Süderstadt"
    assert any(expected in b.text for b in article.blocks.all())


@pytest.mark.django_db
def test_redirect_within_allowed_host_is_followed(alice_client, workspace, pages, allow_local):
    response = post_url(alice_client, pages.url("/to-en"))
    assert response.status_code == 302
    assert Article.objects.get().title == "Council approves new river bridge"


@pytest.mark.django_db
def test_host_name_is_resolved_once_and_used(alice_client, workspace, pages, allow_local, fake_dns):
    response = post_url(alice_client, pages.url("/en", host="news.example.test"))
    assert response.status_code == 302
    assert fake_dns == ["news.example.test"]
    assert Article.objects.get().url.startswith("http://news.example.test:")


@pytest.mark.django_db
def test_address_without_scheme_gets_https(alice_client, workspace, pages, fake_dns):
    response = post_url(alice_client, "intranet.example.test/news")
    assert response.status_code == 200 and PRIVATE in response.content.decode()
    assert fake_dns == ["intranet.example.test"]


# --- refusals: the view ---------------------------------------------------------------------

REFUSALS = [
    # (id, path or full URL, needs allow_local, message)
    ("loopback-not-allowed", "/en", False, PRIVATE),
    ("redirect-to-127.0.0.2", "/to-127.0.0.2", True, PRIVATE),
    ("redirect-to-ipv6-loopback", "/to-ipv6-loopback", True, PRIVATE),
    ("dns-name-to-private", "http://intranet.example.test:{port}/en", True, PRIVATE),
    ("dns-one-private-answer", "http://mixed.example.test:{port}/en", True, PRIVATE),
    ("link-local-metadata", "http://169.254.169.254/latest/meta-data/", True, PRIVATE),
    ("private-10", "http://10.0.0.1/", True, PRIVATE),
    ("ftp", "ftp://127.0.0.1/file.html", True, "Only http and https"),
    ("file", "file:///etc/passwd", True, "Only http and https"),
    ("too-many-redirects", "/loop/0", True, "redirected too many times"),
    ("too-big", "/big", True, "too large"),
    ("json", "/json", True, "Only HTML pages"),
    ("pdf", "/pdf", True, "Only HTML pages"),
    ("http-error", "/gone", True, "HTTP 404"),
    ("no-article-text", "/not-an-article", True, "No article text"),
]


def _refusal_url(pages, target: str) -> str:
    return target.format(port=pages.port) if "://" in target else pages.url(target)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "allow", "message"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_view_refuses_with_a_clear_message(
    alice_client, workspace, pages, settings, fake_dns, target, allow, message
):
    settings.ARTICLE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"] if allow else []
    hits_before = len(pages.hits)
    response = post_url(alice_client, _refusal_url(pages, target))
    if target.startswith(("ftp:", "file:")):  # the form refuses these at once
        assert response.status_code == 400
    else:  # the import job did, and the form says why
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert message in response.content.decode()
    assert Article.objects.count() == 0
    if "to-" in target:  # the redirect was read, its private target never contacted
        assert len(pages.hits) == hits_before + 1


@pytest.mark.django_db
def test_view_times_out(alice_client, workspace, pages, allow_local):
    allow_local.ARTICLE_FETCH_TIMEOUT = 1
    response = post_url(alice_client, pages.url("/slow"))
    assert response.status_code == 200
    assert "took too long" in response.content.decode()
    assert Article.objects.count() == 0


# --- refusals: the command ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "allow", "message"),
    [case[1:] for case in REFUSALS],
    ids=[case[0] for case in REFUSALS],
)
def test_command_refuses_with_a_clear_message(
    alice, pages, settings, fake_dns, target, allow, message
):
    make_workspace(owner=alice)
    settings.ARTICLE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"] if allow else []
    url = _refusal_url(pages, target)
    with pytest.raises(CommandError, match="1 of 1 imports failed"):
        run_command(url)
    assert Article.objects.count() == 0
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_article", "--dry-run", url, stdout=out, stderr=err)
    record = json.loads(out.getvalue())
    assert record["path"] == url and message in record["error"]
    assert message in err.getvalue()


@pytest.mark.django_db
def test_command_times_out(alice, pages, allow_local):
    make_workspace(owner=alice)
    allow_local.ARTICLE_FETCH_TIMEOUT = 1
    with pytest.raises(CommandError):
        _, err = run_command(pages.url("/slow"))
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_url_and_continues_after_failure(alice, pages, allow_local):
    make_workspace(owner=alice)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 imports failed"):
        call_command("import_article", pages.url("/json"), pages.url("/de"), stdout=out, stderr=err)
    article = Article.objects.get()
    assert out.getvalue().split() == [article.get_absolute_url()]
    assert article.source == ArticleSource.URL and article.language == "de"
    assert "Only HTML pages" in err.getvalue()


@pytest.mark.django_db
def test_command_dry_run_url(pages, allow_local):
    out, _ = run_command("--dry-run", pages.url("/en"))
    record = json.loads(out)
    assert record["title"] == "Council approves new river bridge"
    assert record["language"] == "en"
    assert record["blocks"][0] == {"kind": "headline", "text": record["title"]}
    assert {b["kind"] for b in record["blocks"]} == {
        "headline",
        "paragraph",
        "caption",
        "related",
        "boilerplate",
    }
    assert Article.objects.count() == 0


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_viewer_and_outsider_cannot_import(client, workspace, pages, allow_local):
    viewer = make_user("vera")
    workspace.memberships.create(user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    hits_before = len(pages.hits)
    assert client.get(WEB_URL).status_code == 403
    assert post_url(client, pages.url("/en")).status_code == 403
    outsider = make_user("otto")
    client.force_login(outsider)
    response = post_url(client, pages.url("/en"))
    assert response.status_code == 200 and b"not in a workspace" in response.content
    assert Article.objects.count() == 0
    assert len(pages.hits) == hits_before  # nothing was fetched


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, pages):
    response = client.post(WEB_URL, {"url": pages.url("/en")})
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.django_db
def test_editor_imports_into_current_workspace(client, workspace, bob, pages, allow_local):
    client.force_login(bob)
    assert client.get(WEB_URL).status_code == 200
    assert post_url(client, pages.url("/en")).status_code == 302
    assert Article.objects.get().workspace == workspace
