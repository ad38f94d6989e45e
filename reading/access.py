"""Who may read which article's reading page (the article access rules, plus whether the page
is personal to the reader because they have private claims on it)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from annotations.models import BlindRound, Claim, Visibility
from articles.access import article_for_reader
from articles.models import Article


def article_for_reading(*, user, pk: int) -> Article:
    """The article (404 unless the user is a member of its workspace), flagged with
    `viewer_has_private_claims`: such a reader's page is built for them alone (blind claims
    of an open blind round are their author's alone too), and `has_blind_round` (the page
    shows the round's bar) and `blind_round_open`, all in one query."""
    article = article_for_reader(user=user, pk=pk)
    own_unshared = Claim.objects.filter(article_id=OuterRef("pk"), author_id=user.pk).exclude(
        visibility=Visibility.WORKSPACE
    )
    rounds = BlindRound.objects.filter(article_id=OuterRef("pk"))
    private, blind, blind_open = (
        Article.objects.filter(pk=article.pk)
        .annotate(
            private=Exists(own_unshared),
            blind=Exists(rounds),
            blind_open=Exists(rounds.filter(revealed_at__isnull=True)),
        )
        .values_list("private", "blind", "blind_open")
        .get()
    )
    article.viewer_has_private_claims = private
    article.has_blind_round = blind
    article.blind_round_open = blind_open
    return article
