"""Reads for claim search: the matching claims (one page, newest first), their facets, and
the articles whose own text matches.

Every query starts from the reader's workspace and `annotations.access.visible_claims_q`
(never a copy of its rule), so a claim someone may not see can neither be listed nor counted.

Speed at 2M claims: the text condition is one tsquery per search configuration, each tried
only on documents stored in it, which PostgreSQL answers with a BitmapOr over the GIN index
on `search_claimdocument.vector` (a per-row `config` in the tsquery would be a sequential
scan). Pages are keyset pages by id (no COUNT). Facets are counted over at most
FACET_SAMPLE matching claims (the newest): exact below that, a sample beyond, and the page
says which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from annotations.access import visible_claims_q, visible_tags_q
from annotations.models import Claim, ClaimTag, Reply, SourceTag
from articles.models import Article
from articles.pagination import KeysetPage, keyset_page
from articles.selectors import SEARCH_CONFIGS, LibraryFilters, library_articles

PAGE_SIZE = 20
# Facets count the newest this many matching claims (exact when fewer match).
FACET_SAMPLE = 1000
# Values shown per facet (the most frequent).
FACET_VALUES = 12
ARTICLE_MATCHES = 5


@dataclass(frozen=True)
class ClaimSearch:
    """What to look for; empty fields do not filter."""

    query: str = ""
    tag_id: int | None = None
    outlet: str = ""
    cited: str = ""
    anonymous: bool | None = None
    status: str = ""
    annotator: str = ""
    since: date | None = None
    until: date | None = None
    article_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return self == ClaimSearch()


@dataclass
class Facets:
    tags: list[dict] = field(default_factory=list)
    outlets: list[dict] = field(default_factory=list)
    cited: list[dict] = field(default_factory=list)
    anonymous: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)
    annotators: list[dict] = field(default_factory=list)
    months: list[dict] = field(default_factory=list)
    # How many matching claims were counted, and whether more match than that.
    counted: int = 0
    capped: bool = False


def text_match(*, query: str, prefix: str = "") -> Q:
    """Documents matching `query` (websearch syntax: "quoted phrase", or, -not), each in the
    configuration it was parsed with."""
    match = Q()
    for config in SEARCH_CONFIGS:
        search = SearchQuery(query, config=config, search_type="websearch")
        match |= Q(**{f"{prefix}config": config, f"{prefix}vector": search})
    return match


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _tag_condition(**lookups) -> Exists:
    return Exists(ClaimTag.objects.filter(claim=OuterRef("pk"), **lookups))


def matching_claims(*, workspace, user, search: ClaimSearch) -> QuerySet[Claim]:
    """The workspace's claims the user may see that match `search` (unordered)."""
    claims = Claim.objects.filter(workspace=workspace).filter(visible_claims_q(user=user))
    if search.query:
        claims = claims.filter(text_match(query=search.query, prefix="search_document__"))
    conditions: list[Q | Exists] = []
    if search.tag_id is not None:
        conditions.append(_tag_condition(tag_id=search.tag_id))
    if search.outlet:
        conditions.append(_tag_condition(tag__outlet__iexact=search.outlet))
    if search.cited:
        conditions.append(_tag_condition(tag__cited__iexact=search.cited))
    if search.anonymous is not None:
        anonymous = _tag_condition(tag__anonymous=True)
        conditions.append(anonymous if search.anonymous else ~anonymous)
    if search.status:
        conditions.append(Q(status=search.status))
    if search.annotator:
        conditions.append(Q(author__username=search.annotator))
    if search.since:
        conditions.append(Q(created_at__gte=_start_of_day(search.since)))
    if search.until:
        conditions.append(Q(created_at__lt=_start_of_day(search.until + timedelta(days=1))))
    if search.article_id is not None:
        conditions.append(Q(article_id=search.article_id))
    return claims.filter(*conditions).order_by()


def _attach_details(claims: Sequence[Claim]) -> None:
    """Tags (in the order added) and reply counts of one page of claims: two queries."""
    ids = [claim.pk for claim in claims]
    tags: dict[int, list[SourceTag]] = {pk: [] for pk in ids}
    links = (
        ClaimTag.objects.filter(claim_id__in=ids)
        .select_related("tag")
        .only("claim_id", "tag__id", "tag__label", "tag__anonymous")
        .order_by("added_at", "id")
    )
    for link in links:
        tags[link.claim_id].append(link.tag)
    replies = dict(
        Reply.objects.filter(claim_id__in=ids)
        .order_by()
        .values_list("claim_id")
        .annotate(n=Count("id"))
        .values_list("claim_id", "n")
    )
    for claim in claims:
        claim.tag_list = tags[claim.pk]
        claim.reply_count = replies.get(claim.pk, 0)  # type: ignore[attr-defined]  # per page


def claim_page(*, workspace, user, search: ClaimSearch, params: Mapping) -> KeysetPage:
    """One page of matching claims, newest first (`?before=`/`?after=` keyset links)."""
    claims = (
        matching_claims(workspace=workspace, user=user, search=search)
        .select_related("article", "author")
        .only(
            "id",
            "exact",
            "note",
            "status",
            "visibility",
            "anchor_status",
            "created_at",
            "article_id",
            "author_id",
            "article__id",
            "article__title",
            "article__outlet",
            "article__language",
            "author__id",
            "author__username",
        )
    )
    page = keyset_page(claims, params=params, size=PAGE_SIZE)
    _attach_details(page.items)
    return page


def _counted(rows) -> list[dict]:
    return [{"value": value, "count": n} for value, n in rows]


def _month(moment: datetime, n: int) -> dict:
    first = moment.date()
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return {"value": first, "since": first, "until": last, "count": n}


def _tag_facets(*, ids: list[int], user) -> tuple[list[dict], list[dict], list[dict]]:
    links = ClaimTag.objects.filter(claim_id__in=ids).filter(
        tag_id__in=SourceTag.objects.filter(visible_tags_q(user=user)).values("pk")
    )

    def by(column: str) -> list[tuple]:
        return list(
            links.exclude(**{column: ""})
            .order_by()
            .values(column)
            .annotate(n=Count("claim_id", distinct=True))
            .order_by("-n", column)
            .values_list(column, "n")[:FACET_VALUES]
        )

    tags = (
        links.order_by()
        .values("tag_id", "tag__label")
        .annotate(n=Count("claim_id", distinct=True))
        .order_by("-n", "tag__label")[:FACET_VALUES]
    )
    tag_rows = [
        {"value": row["tag_id"], "label": row["tag__label"], "count": row["n"]} for row in tags
    ]
    return tag_rows, _counted(by("tag__outlet")), _counted(by("tag__cited"))


def facets(*, workspace, user, search: ClaimSearch) -> Facets:
    """Counts per tag, outlet, cited source, anonymity, status, annotator and month over the
    newest FACET_SAMPLE matching claims."""
    ids = list(
        matching_claims(workspace=workspace, user=user, search=search)
        .order_by("-pk")
        .values_list("pk", flat=True)[: FACET_SAMPLE + 1]
    )
    capped = len(ids) > FACET_SAMPLE
    ids = ids[:FACET_SAMPLE]
    if not ids:
        return Facets()
    sample = Claim.objects.filter(pk__in=ids).order_by()
    tags, outlets, cited = _tag_facets(ids=ids, user=user)
    anonymous = (
        ClaimTag.objects.filter(claim_id__in=ids, tag__anonymous=True)
        .values("claim_id")
        .distinct()
        .count()
    )
    statuses = sample.values_list("status").annotate(n=Count("id")).order_by("-n", "status")
    annotators = (
        sample.values_list("author__username")
        .annotate(n=Count("id"))
        .order_by("-n", "author__username")[:FACET_VALUES]
    )
    months = (
        sample.annotate(month=TruncMonth("created_at", tzinfo=UTC))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by("-month")[:FACET_VALUES]
    )
    return Facets(
        tags=tags,
        outlets=outlets,
        cited=cited,
        anonymous=[
            {"value": "yes", "count": anonymous},
            {"value": "no", "count": len(ids) - anonymous},
        ],
        statuses=_counted(statuses),
        annotators=_counted(annotators),
        months=[_month(moment, n) for moment, n in months],
        counted=len(ids),
        capped=capped,
    )


def matching_articles(*, workspace, query: str) -> list[Article]:
    """The best few articles whose own text matches (the library's search)."""
    if not query:
        return []
    articles = library_articles(workspace=workspace, filters=LibraryFilters(query=query))
    return list(articles[:ARTICLE_MATCHES])


def visible_tag(*, workspace, user, pk: int) -> SourceTag | None:
    """The workspace's tag `pk` if the user may see it."""
    return (
        SourceTag.objects.filter(pk=pk, workspace=workspace)
        .filter(visible_tags_q(user=user))
        .only("id", "label")
        .first()
    )


def article_in_workspace(*, workspace, pk: int) -> Article | None:
    return Article.objects.filter(pk=pk, workspace=workspace).only("id", "title").first()
