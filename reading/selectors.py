"""Reads across articles, claims and the change log."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, Subquery

from activity.models import Activity
from annotations.access import visible_claims_q
from annotations.models import Claim
from articles.models import Article
from workspaces.models import Workspace

ACTIVITY_PER_PAGE = 25


def activity_page(*, workspace: Workspace, user, page_number) -> Page:
    """One page of the workspace's change log that `user` may see, newest first.

    Rows about a private claim (`visible_to` set) are only ever shown to that user. Each row
    carries `claim_visible`: whether its claim still exists and may be opened by the user, and
    `article_title` (None once the article is gone). Two queries whatever the page size.
    """
    claim_visible = Exists(
        Claim.objects.filter(pk=OuterRef("claim_id"), workspace_id=workspace.pk).filter(
            visible_claims_q(user=user)
        )
    )
    article_title = Subquery(
        Article.objects.filter(pk=OuterRef("article_id"), workspace_id=workspace.pk).values(
            "title"
        )[:1]
    )
    rows = (
        Activity.objects.filter(workspace=workspace)
        .filter(Q(visible_to__isnull=True) | Q(visible_to=user))
        .select_related("actor")
        .only(
            "id", "verb", "summary", "created_at", "claim_id", "article_id", "workspace_id",
            "visible_to_id", "actor__id", "actor__username",
        )
        .annotate(claim_visible=claim_visible, article_title=article_title)
        .order_by("-id")
    )
    return Paginator(rows, ACTIVITY_PER_PAGE).get_page(page_number)
