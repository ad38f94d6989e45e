"""The reading page after a new revision (Orphans), the Versions view, new versions from the
page (upload, check for updates) and re-attaching an orphan."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_article, make_user

from annotations import services as claims
from annotations.anchoring import canonical_text
from annotations.models import AnchorStatus, Claim
from articles import services
from articles.models import Article

TEXT = (
    "Flood warning for the river valley\n\n"
    "Forecasters expect the river to rise by 2 metres before Sunday.\n\n"
    "Schools in three villages will close on Friday, officials said.\n\n"
    "Residents were told to move cars away from the banks."
)
NEW_TEXT = (
    "Flood warning for the river valley\n\n"
    "Forecasters expect the river to rise by 2.5 metres before Sunday.\n\n"
    "Residents were told to move cars away from the banks."
)


def text_of(article) -> str:
    return canonical_text(block_texts=list(article.blocks.values_list("text", flat=True)))


def claim_on(article, user, quote: str, tag: str = "") -> Claim:
    claim = claims.create_claim(article=article, author=user, exact=quote)
    if tag:
        claims.add_tag(claim=claim, label=tag, user=user)
    return claim


@pytest.fixture
def revised(workspace, alice):
    article = make_article(workspace=workspace, user=alice, text=TEXT)
    moved = claim_on(article, alice, "the river to rise by 2 metres before Sunday", "Met office")
    gone = claim_on(article, alice, "Schools in three villages will close on Friday", "Officials")
    services.revise_from_text(article=article, text=NEW_TEXT, user=alice)
    article.refresh_from_db()
    return SimpleNamespace(article=article, moved=moved, gone=gone)


@pytest.mark.django_db
def test_reading_page_lists_orphans_apart_from_the_text(alice_client, revised):
    page = alice_client.get(revised.article.get_absolute_url()).content.decode()
    assert f'data-annotation-id="{revised.moved.pk}"' in page
    assert f'data-annotation-id="{revised.gone.pk}"' not in page
    assert "Orphans" in page and "Schools in three villages will close on Friday" in page
    orphans = page.split('class="claim-list orphan-list"')[1].split("</ul>")[0]
    assert f'data-claim-id="{revised.gone.pk}"' in orphans and "Officials" in orphans
    assert f'data-claim-id="{revised.moved.pk}"' not in orphans


@pytest.mark.django_db
def test_claim_cards_tell_what_happened(alice_client, revised):
    card = alice_client.get(f"/claims/{revised.moved.pk}/").content.decode()
    assert "The text under this claim changed" in card
    assert "First highlighted as" in card and "rise by 2 metres" in card
    orphan = alice_client.get(f"/claims/{revised.gone.pk}/").content.decode()
    assert "Orphaned" in orphan and "Re-attach to selected text" in orphan


@pytest.mark.django_db
def test_versions_view_shows_revisions_diff_and_claims(alice_client, revised):
    url = reverse("articles:versions", args=[revised.article.pk])
    page = alice_client.get(url).content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert "<del>2</del><ins>2.5</ins>" in page
    assert "Removed paragraph" in page
    assert "Text changed under this claim" in page and "Orphaned" in page
    # Nothing to compare with itself; bad numbers fall back to the defaults.
    assert alice_client.get(url, {"a": 2, "b": 2}).status_code == 200
    assert alice_client.get(url, {"a": "x", "b": 99}).status_code == 200


@pytest.mark.django_db
def test_versions_view_is_for_members_only(client, revised):
    client.force_login(make_user("outsider"))
    assert client.get(reverse("articles:versions", args=[revised.article.pk])).status_code == 404
    response = client.post(
        reverse("articles:upload_version", args=[revised.article.pk]), {"text": TEXT}
    )
    assert response.status_code == 404
    assert Article.objects.get(pk=revised.article.pk).text_version == 2


@pytest.mark.django_db
def test_upload_new_version_from_the_page(alice_client, workspace, alice):
    article = make_article(workspace=workspace, user=alice, text=TEXT)
    claim_on(article, alice, "Schools in three villages will close on Friday")
    url = reverse("articles:upload_version", args=[article.pk])
    response = alice_client.post(url, {"text": NEW_TEXT}, follow=True)
    assert "Version 2 saved: 0 claims re-anchored, 1 orphaned." in response.content.decode()
    article.refresh_from_db()
    assert article.text_version == 2
    # The same text again makes no version.
    response = alice_client.post(url, {"text": NEW_TEXT}, follow=True)
    assert "has not changed" in response.content.decode()
    assert article.revisions.count() == 2
    # Neither file nor text: the form says so.
    response = alice_client.post(url, {"text": "  "})
    assert response.status_code == 400 and "Choose a file" in response.content.decode()


@pytest.mark.django_db
def test_check_for_updates_fetches_the_articles_address(
    alice_client, workspace, alice, monkeypatch
):
    article = make_article(
        workspace=workspace, user=alice, text=TEXT, url="https://news.example.test/flood"
    )
    html = "<html><head><title>Flood warning for the river valley</title></head><body>"
    html += "<article><h1>Flood warning for the river valley</h1>"
    html += "".join(f"<p>{p}</p>" for p in NEW_TEXT.split("\n\n")[1:]) + "</article></body></html>"
    fetched = []

    def fake_fetch(*, url):
        fetched.append(url)
        return SimpleNamespace(url=url, body=html.encode(), content_type="text/html")

    monkeypatch.setattr(services, "fetch_page", fake_fetch)
    response = alice_client.post(reverse("articles:check_for_updates", args=[article.pk]))
    assert response.status_code == 302
    assert fetched == ["https://news.example.test/flood"]
    article.refresh_from_db()
    assert article.text_version == 2
    revision = article.revisions.get(number=2)
    assert revision.source == "url" and "<article>" in revision.original
    assert "2.5 metres" in text_of(article)


@pytest.mark.django_db
def test_reattach_an_orphan_to_new_text(alice_client, bob, revised):
    quote = "Residents were told to move cars away from the banks."
    text = text_of(revised.article)
    start = text.index(quote)
    url = reverse("annotations:reattach", args=[revised.gone.pk])
    # Only the claim's author may move it.
    bob_client = Client()
    bob_client.force_login(bob)
    assert bob_client.post(url, {"exact": quote, "start": start}).status_code == 404
    response = alice_client.post(url, {"exact": quote, "start": start, "end": start + len(quote)})
    assert response.status_code == 302
    claim = Claim.objects.get(pk=revised.gone.pk)
    assert claim.anchor_status == AnchorStatus.ANCHORED
    assert (claim.exact, claim.start, claim.text_version) == (quote, start, 2)
    assert claim.original_exact == "Schools in three villages will close on Friday"
    assert [t.label for t in claim.tags.all()] == ["Officials"]
    bad = alice_client.post(url, {"exact": "not in the article at all"}, follow=True)
    assert "could not be found" in bad.content.decode()
