"""Reads across articles, claims and the change log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from activity.models import Activity
from annotations.access import visible_claims_q
from annotations.models import AnchorStatus, Claim
from articles.models import Article, ArticleRevision
from articles.pagination import KeysetPage, keyset_page
from articles.revision_diff import BlockChange, diff_blocks
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


# ------------------------------------------------------------------------------ versions


@dataclass
class ClaimImpact:
    """A claim next to the block of a comparison where a revision affected it."""

    claim: Claim
    label: str  # "text changed under this claim" | "orphaned"


@dataclass
class Comparison:
    older: ArticleRevision
    newer: ArticleRevision
    rows: list[tuple[BlockChange, list[ClaimImpact]]]  # each block with the claims shown there
    unplaced: list[ClaimImpact]


def article_revisions(*, article: Article) -> list[ArticleRevision]:
    """Every revision, oldest first; an article imported before revisions were kept shows its
    current text as its only one."""
    revisions = list(article.revisions.select_related("imported_by").order_by("number"))
    if revisions:
        return revisions
    blocks = article.blocks.order_by("position")
    return [
        ArticleRevision(
            article=article,
            number=article.text_version,
            source=article.source,
            source_url=article.url,
            imported_by=article.created_by,
            imported_at=article.created_at,
            blocks=[
                {"kind": b.kind, "text": b.text, "kind_is_manual": b.kind_is_manual} for b in blocks
            ],
        )
    ]


def _affected_claims(*, article: Article, user) -> list[Claim]:
    return list(
        Claim.objects.filter(article=article, text_changed_at__isnull=False)
        .filter(visible_claims_q(user=user))
        .select_related("author")
        .order_by("start", "id")
    )


def _where(claim: Claim, changes: list[BlockChange]) -> int | None:
    """The changed block holding the claim's text (new text first, then its first text)."""
    quotes = [claim.exact, claim.original_exact] if claim.original_exact else [claim.exact]
    orphaned = claim.anchor_status == AnchorStatus.ORPHANED
    for index, change in enumerate(changes):
        if change.kind == "equal":
            continue
        texts = [change.old_text] if orphaned else [change.new_text, change.old_text]
        if any(quote and quote in text for quote in quotes for text in texts):
            return index
    return None


def compare_revisions(
    *, article: Article, user, older: ArticleRevision, newer: ArticleRevision
) -> Comparison:
    changes = diff_blocks(
        [block["text"] for block in older.blocks], [block["text"] for block in newer.blocks]
    )
    impacts: dict[int, list[ClaimImpact]] = {}
    unplaced: list[ClaimImpact] = []
    for claim in _affected_claims(article=article, user=user):
        orphaned = claim.anchor_status == AnchorStatus.ORPHANED
        impact = ClaimImpact(claim, "orphaned" if orphaned else "text changed under this claim")
        index = _where(claim, changes)
        if index is None:
            if newer.number == article.text_version:
                unplaced.append(impact)
            continue
        impacts.setdefault(index, []).append(impact)
    rows = [(change, impacts.get(index, [])) for index, change in enumerate(changes)]
    return Comparison(older, newer, rows, unplaced)
