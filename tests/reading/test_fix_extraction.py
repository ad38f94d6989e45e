"""Fixing extraction while reading: split, merge, delete a block, add a paragraph from the
stored original. Each fix is a revision; claims follow (or become orphans)."""

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_article

from annotations import services as claims
from annotations.models import AnchorStatus, Claim
from articles import services
from articles.models import BlockKind

TEXT = (
    "Harbour expansion approved\n\n"
    "The port authority approved the expansion on Monday. Work starts in spring.\n\n"
    "Subscribe to our newsletter for daily updates.\n\n"
    "Environmental groups said they would appeal the decision."
)


@pytest.fixture
def article(workspace, alice):
    return make_article(workspace=workspace, user=alice, text=TEXT)


def texts(article) -> list[str]:
    return list(article.blocks.order_by("position").values_list("text", flat=True))


def fix(client, article, **data):
    return client.post(reverse("articles:apply_fix", args=[article.pk]), data, follow=True)


@pytest.mark.django_db
def test_split_merge_delete_and_add_back(alice_client, article, alice):
    claim = claims.create_claim(article=article, author=alice, exact="Work starts in spring.")
    junk = claims.create_claim(article=article, author=alice, exact="Subscribe to our newsletter")
    page = alice_client.get(reverse("articles:fix_extraction", args=[article.pk]))
    assert page.status_code == 200 and "Split where I put blank lines" in page.content.decode()

    split = "The port authority approved the expansion on Monday.\n\nWork starts in spring."
    response = fix(alice_client, article, action="split", position=1, text=split)
    assert "Version 2 saved" in response.content.decode()
    assert texts(article)[1:3] == [
        "The port authority approved the expansion on Monday.",
        "Work starts in spring.",
    ]
    claim.refresh_from_db()
    assert texts(article)[2] == claim.exact and claim.text_version == 2

    fix(alice_client, article, action="merge", position=1)
    assert texts(article)[1] == (
        "The port authority approved the expansion on Monday. Work starts in spring."
    )
    fix(alice_client, article, action="delete", position=2)
    assert "Subscribe to our newsletter for daily updates." not in texts(article)
    junk.refresh_from_db()
    assert junk.anchor_status == AnchorStatus.ORPHANED
    assert Claim.objects.count() == 2  # nothing deleted

    assert services.missing_paragraphs(article=article) == [
        "Subscribe to our newsletter for daily updates."
    ]
    fix(
        alice_client,
        article,
        action="add",
        after=2,
        text="Subscribe to our newsletter for daily updates.",
    )
    assert texts(article)[-1] == "Subscribe to our newsletter for daily updates."
    assert article.blocks.order_by("position").last().kind == BlockKind.PARAGRAPH
    article.refresh_from_db()
    assert article.text_version == 5
    assert list(article.revisions.values_list("source", flat=True)) == [
        "paste",
        "edit",
        "edit",
        "edit",
        "edit",
    ]


@pytest.mark.django_db
def test_fixes_refuse_changed_words_and_unknown_text(alice_client, article):
    response = fix(
        alice_client,
        article,
        action="split",
        position=1,
        text="The port authority rejected the expansion.\n\nWork starts in spring.",
    )
    assert "its words must stay the same" in response.content.decode()
    response = fix(alice_client, article, action="add", after=0, text="Invented paragraph.")
    assert "not in the stored original" in response.content.decode()
    response = fix(alice_client, article, action="delete", position=99)
    assert "no longer in the article" in response.content.decode()
    article.refresh_from_db()
    assert article.text_version == 1


@pytest.mark.django_db
def test_fix_extraction_is_for_writers_of_the_workspace(article, charlie):
    client = Client()
    client.force_login(charlie)
    assert client.get(reverse("articles:fix_extraction", args=[article.pk])).status_code == 404
    assert fix(client, article, action="delete", position=1).status_code == 404
    assert len(texts(article)) == 4
