"""Reads for articles: the library listing (search, filters, pages) and the reading page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet

from .models import Article, Block, BlockKind

LIBRARY_PAGE_SIZE = 20


@dataclass(frozen=True)
class LibraryFilters:
    query: str = ""
    outlet: str = ""
    language: str = ""


def _with_kind_counts(articles: QuerySet[Article]) -> QuerySet[Article]:
    # One aggregate query for all kinds of all listed articles (no N+1 per article).
    return articles.annotate(
        **{
            f"{kind}_count": Count("blocks", filter=Q(blocks__kind=kind))
            for kind in BlockKind.values
        }
    )


def library_articles(*, workspace, filters: LibraryFilters) -> QuerySet[Article]:
    articles = Article.objects.filter(workspace=workspace)
    if filters.outlet:
        articles = articles.filter(outlet=filters.outlet)
    if filters.language:
        articles = articles.filter(language=filters.language)
    if filters.query:
        # Each article is matched in its own language's configuration (german/english/simple).
        search = SearchQuery(filters.query, config=F("search_config"), search_type="websearch")
        articles = (
            articles.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at", "-id")
        )
    else:
        articles = articles.order_by("-created_at", "-id")
    return _with_kind_counts(articles.only(
        "id", "title", "outlet", "language", "url", "created_at", "source", "workspace_id"
    ))


def library_page(*, workspace, filters: LibraryFilters, page_number: str | int | None) -> Page:
    paginator = Paginator(library_articles(workspace=workspace, filters=filters), LIBRARY_PAGE_SIZE)
    return paginator.get_page(page_number)


def facet_values(*, workspace) -> dict[str, list[str]]:
    """Outlets and languages present in the workspace, for the library's filter menus."""
    rows = (
        Article.objects.filter(workspace=workspace)
        .values_list("outlet", "language")
        .distinct()
    )
    outlets = sorted({outlet for outlet, _ in rows if outlet}, key=str.casefold)
    languages = sorted({language for _, language in rows if language})
    return {"outlets": outlets, "languages": languages}


def blocks_for_reading(*, article: Article) -> list[Block]:
    return list(
        Block.objects.filter(article=article)
        .order_by("position")
        .only("id", "article_id", "position", "kind", "text", "kind_is_manual", "is_subheading")
    )
