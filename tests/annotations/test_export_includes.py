"""Issue 15: the export page and the reading page say which claims a download holds (tagged
only by default, a switch for all) and how private claims are marked; the per-article CSV
follows the switch and marks the reader's private claims."""

import csv
import io

import pytest
from django.urls import reverse
from factories import make_article

from annotations import services


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def article(workspace, alice, bob):
    article = make_article(workspace=workspace, user=alice)
    tagged = services.create_claim(article=article, author=alice, exact="A headline")
    services.add_tag(claim=tagged, label="Reuters", user=alice)
    services.create_claim(article=article, author=alice, exact="The first paragraph")
    mine = services.create_claim(
        article=article, author=alice, exact="A second paragraph", visibility="private"
    )
    services.add_tag(claim=mine, label="AP", user=alice)
    theirs = services.create_claim(
        article=article, author=bob, exact="adds detail", visibility="private"
    )
    services.add_tag(claim=theirs, label="AFP", user=bob)
    return article


@pytest.mark.django_db
def test_export_page_says_what_a_download_holds(alice_client, article):
    html = alice_client.get(reverse("annotations:export")).content.decode()
    assert "What a download holds" in html
    assert "untagged claims are left out" in html
    assert "<code>visibility</code> is <code>private</code>" in html
    assert "annotation replying to its claim" in html


@pytest.mark.django_db
def test_reading_page_offers_every_claim_and_explains_the_default(alice_client, article):
    html = alice_client.get(article.get_absolute_url()).content.decode()
    assert "Downloads hold only the claims with a source tag" in html
    url = reverse("annotations:article_export_csv", args=[article.pk])
    assert f'href="{url}?only_tagged=0"' in html


@pytest.mark.django_db
def test_article_csv_leaves_untagged_out_unless_asked_and_marks_private(alice_client, article):
    url = reverse("annotations:article_export_csv", args=[article.pk])
    tagged_only = rows(alice_client.get(url))
    assert [(r["claim_text"], r["visibility"]) for r in tagged_only] == [
        ("A headline", "workspace"),
        ("A second paragraph", "private"),
    ]
    every = rows(alice_client.get(url, {"only_tagged": "0"}))
    assert [(r["claim_text"], r["visibility"]) for r in every] == [
        ("A headline", "workspace"),
        ("The first paragraph", "workspace"),
        ("A second paragraph", "private"),
    ]
    assert "adds detail" not in {r["claim_text"] for r in every}  # bob's private claim
