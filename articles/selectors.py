"""Reads for articles: the library listing (search, filters, pages) and the reading page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, When

from .models import Article, Block, BlockKind
from .pagination import KeysetPage, keyset_page, ranked_page

# The text search configurations articles are stored in (Article's check constraint).
SEARCH_CONFIGS = ("german", "english", "simple")

LIBRARY_PAGE_SIZE = 20
# A search ranks at most this many matches, the newest (see library_articles).
RANKED_MATCHES = 1000


@dataclass(frozen=True)
class LibraryFilters:
    query: str = ""
    outlet: str = ""
    language: str = ""


def _attach_kind_counts(articles: list[Article]) -> list[Article]:
    # One grouped query for the page's articles (not a join of all blocks before the LIMIT).
    counts = (
        Block.objects.filter(article_id__in=[article.pk for article in articles])
        .order_by()
        .values_list("article_id", "kind")
        .annotate(n=Count("id"))
    )
    by_article: dict[int, dict[str, int]] = {article.pk: {} for article in articles}
    for article_id, kind, n in counts:
        by_article[article_id][kind] = n
    for article in articles:
        for kind in BlockKind.values:
            setattr(article, f"{kind}_count", by_article[article.pk].get(kind, 0))
    return articles


def _matching(*, query: str):
    """The search as PostgreSQL can use the GIN index on search_vector: one tsquery per
    configuration, each tried only on articles stored in it (a BitmapOr of three index
    scans). `config=F("search_config")` would make a tsquery per row: a sequential scan."""
    searches = {
        config: SearchQuery(query, config=config, search_type="websearch")
        for config in SEARCH_CONFIGS
    }
    match = Q()
    for config, search in searches.items():
        match |= Q(search_config=config, search_vector=search)
    rank = Case(
        *(
            When(search_config=config, then=SearchRank(F("search_vector"), search))
            for config, search in searches.items()
        ),
        default=0.0,
    )
    return match, rank


def library_articles(*, workspace, filters: LibraryFilters) -> QuerySet[Article]:
    """The workspace's articles matching the filters: by rank when searching, else unordered
    (library_page reads them newest first by id)."""
    articles = Article.objects.filter(workspace=workspace)
    if filters.outlet:
        articles = articles.filter(outlet=filters.outlet)
    if filters.language:
        articles = articles.filter(language=filters.language)
    if filters.query:
        match, rank = _matching(query=filters.query)
        # Ranked: the newest RANKED_MATCHES matches (ts_rank reads each match's whole vector:
        # a common word matches a quarter of 100,000 articles, 0.3 s to rank them all).
        newest = articles.filter(match).order_by("-pk").values("pk")[:RANKED_MATCHES]
        articles = (
            Article.objects.filter(pk__in=newest).annotate(rank=rank).order_by("-rank", "-id")
        )
    else:
        articles = articles.order_by()
    return articles.only(
        "id", "title", "outlet", "language", "url", "created_at", "source", "workspace_id"
    )


def library_page(*, workspace, filters: LibraryFilters, params: Mapping) -> KeysetPage:
    """One page of the library, newest first by keyset (`?before=`/`?after=`), or ranked
    search results by `?page=`; never a COUNT(*) of the workspace's articles."""
    articles = library_articles(workspace=workspace, filters=filters)
    if filters.query:
        page = ranked_page(articles, params=params, size=LIBRARY_PAGE_SIZE)
        # The last page of a search that filled the ranked window: older matches may exist.
        page.truncated = not page.has_older and page.offset + len(page) >= RANKED_MATCHES
    else:
        page = keyset_page(articles, params=params, size=LIBRARY_PAGE_SIZE)
    _attach_kind_counts(page.items)
    return page


# Distinct outlets and languages by skipping through the indexes on (workspace, outlet, …)
# and (workspace, language, …): one index probe per distinct value (a few hundred outlets),
# where DISTINCT reads an entry per article (100,000). Both lists in one statement.
_FACETS_SQL = """
WITH RECURSIVE outlets AS (
    (SELECT outlet FROM articles_article WHERE workspace_id = %(ws)s ORDER BY outlet LIMIT 1)
    UNION ALL
    SELECT (SELECT a.outlet FROM articles_article a
            WHERE a.workspace_id = %(ws)s AND a.outlet > outlets.outlet
            ORDER BY a.outlet LIMIT 1)
    FROM outlets WHERE outlets.outlet IS NOT NULL
), languages AS (
    (SELECT language FROM articles_article WHERE workspace_id = %(ws)s
     ORDER BY language LIMIT 1)
    UNION ALL
    SELECT (SELECT a.language FROM articles_article a
            WHERE a.workspace_id = %(ws)s AND a.language > languages.language
            ORDER BY a.language LIMIT 1)
    FROM languages WHERE languages.language IS NOT NULL
)
SELECT 'outlet', outlet FROM outlets WHERE outlet IS NOT NULL
UNION ALL
SELECT 'language', language FROM languages WHERE language IS NOT NULL
"""


_OUTLETS_SQL = (
    _FACETS_SQL.split(", languages AS (")[0]
    + """
SELECT outlet FROM outlets WHERE outlet IS NOT NULL AND outlet <> ''
"""
)


def article_outlets(*, workspace_id: int) -> list[str]:
    """The outlets of the workspace's articles (an index probe per outlet, not per article)."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTLETS_SQL, {"ws": workspace_id})
        return [outlet for (outlet,) in cursor.fetchall()]


def facet_values(*, workspace) -> dict[str, list[str]]:
    """Outlets and languages present in the workspace, for the library's filter menus (one
    query, an index probe per distinct value)."""
    found: dict[str, set[str]] = {"outlet": set(), "language": set()}
    with connection.cursor() as cursor:
        cursor.execute(_FACETS_SQL, {"ws": workspace.pk})
        for kind, value in cursor.fetchall():
            if value:
                found[kind].add(value)
    return {
        "outlets": sorted(found["outlet"], key=str.casefold),
        "languages": sorted(found["language"]),
    }


def blocks_for_reading(*, article: Article) -> list[Block]:
    return list(
        Block.objects.filter(article=article)
        .order_by("position")
        .only("id", "article_id", "position", "kind", "text", "kind_is_manual", "is_subheading")
    )
