"""Reads across articles, claims and the change log."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Exists, OuterRef, Q, Subquery

from activity.models import Activity
from annotations.access import visible_claims_q
from annotations.models import Claim
from articles.models import Article
from articles.pagination import KeysetPage, keyset_page
from workspaces.models import Workspace

ACTIVITY_PER_PAGE = 25


def activity_rows(*, workspace: Workspace, user):
    """The change log rows `user` may see in `workspace`, unordered (see activity_page)."""
    claim_visible = Exists(
        Claim.objects.filter(pk=OuterRef("claim_id"), workspace_id=workspace.pk).filter(
            visible_claims_q(user=user)
        )
    )
    article_title = Subquery(
        Article.objects.filter(pk=OuterRef("article_id"), workspace_id=workspace.pk)
        .order_by()
        .values("title")[:1]
    )
    rows = (
        Activity.objects.filter(workspace=workspace)
        .filter(Q(visible_to__isnull=True) | Q(visible_to=user))
        .select_related("actor")
        .only(
            "id",
            "verb",
            "summary",
            "created_at",
            "claim_id",
            "article_id",
            "workspace_id",
            "visible_to_id",
            "actor__id",
            "actor__username",
        )
        .annotate(claim_visible=claim_visible, article_title=article_title)
    )
    return rows


def activity_page(*, workspace: Workspace, user, params: Mapping) -> KeysetPage:
    """One page of the workspace's change log that `user` may see, newest first.

    Rows about a private claim (`visible_to` set) are only ever shown to that user. Each row
    carries `claim_visible`: whether its claim still exists and may be opened by the user, and
    `article_title` (None once the article is gone). Keyset pages (`?before=`/`?after=`)
    read the index on (workspace_id, id DESC) from their place, however long the log: one
    or two queries whatever the page size or depth, no COUNT(*).
    """
    rows = activity_rows(workspace=workspace, user=user)
    return keyset_page(rows, params=params, size=ACTIVITY_PER_PAGE)
