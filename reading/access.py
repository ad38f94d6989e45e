"""Who may read which article's reading page (the article access rules, plus whether the page
is personal to the reader because they have private claims on it)."""

from __future__ import annotations

from annotations.models import Claim, Visibility
from articles.access import article_for_reader
from articles.models import Article


def article_for_reading(*, user, pk: int) -> Article:
    """The article (404 unless the user is a member of its workspace), flagged with
    `viewer_has_private_claims`: such a reader's page is built for them alone."""
    article = article_for_reader(user=user, pk=pk)
    # Blind claims (an open blind round) are their author's alone too.
    article.viewer_has_private_claims = (
        Claim.objects.filter(article_id=article.pk, author_id=user.pk)
        .exclude(visibility=Visibility.WORKSPACE)
        .exists()
    )
    return article
