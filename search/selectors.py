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
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from annotations.access import visible_claims_q, visible_tags_q
from annotations.models import Claim, ClaimTag, Reply, SourceTag
from articles.models import Article
from articles.pagination import KeysetPage, keyset_page
from articles.selectors import SEARCH_CONFIGS, LibraryFilters, library_articles

PAGE_SIZE = 20
# Facets count the newest this many matching claims (exact when fewer match).
FACET_SAMPLE = 500
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
    tagged: bool | None = None  # has at least one source tag (None: either)
    status: str = ""
    annotator: str = ""
    since: date | None = None
    until: date | None = None
    article_id: int | None = None
    article_outlet: str = ""
    language: str = ""
    # True: only claims shared with the workspace; False: only the reader's own unshared
    # ones (private, or in an open blind round); None: both.
    shared: bool | None = None

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
    article_outlets: list[dict] = field(default_factory=list)
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


def _article_conditions(*, workspace, search: ClaimSearch) -> list[Q]:
    """The article's outlet (exact, as the dashboard counts it) and language, as a set of the
    workspace's article ids: read from the (workspace, outlet, -id) and (workspace, language,
    -id) indexes rather than joining every claim to its article."""
    articles = Article.objects.filter(workspace=workspace)
    if search.article_outlet:
        articles = articles.filter(outlet=search.article_outlet)
    if search.language:
        articles = articles.filter(language=search.language)
    if not (search.article_outlet or search.language):
        return []
    return [Q(article_id__in=articles.order_by().values("pk"))]


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
        anonymous = Q(_tag_condition(tag__anonymous=True))
        conditions.append(anonymous if search.anonymous else ~anonymous)
    if search.tagged is not None:
        tagged = Q(_tag_condition())
        conditions.append(tagged if search.tagged else ~tagged)
    if search.shared is not None:
        # The dashboard's "shared claims" are these (what a member who wrote nothing sees).
        shared = visible_claims_q(user=None)
        conditions.append(shared if search.shared else ~shared)
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
    conditions.extend(_article_conditions(workspace=workspace, search=search))
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


def _month(moment: datetime, n: int) -> dict:
    first = moment.date()
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return {"value": first, "since": first, "until": last, "count": n}


def _top(counts: dict, *, key=None) -> list[dict]:
    """The FACET_VALUES most frequent values, most frequent first (then by value)."""
    ordered = sorted(counts.items(), key=key or (lambda item: (-item[1], str(item[0]).casefold())))
    return [{"value": value, "count": n} for value, n in ordered[:FACET_VALUES]]


# One statement over the sample (the newest FACET_SAMPLE matches): a GROUPING SETS pass over
# the claims (status, annotator, month, article outlet), and one over their tag links (tag,
# outlet, cited source, and how many carry an anonymous one). `{sample}` is matching_claims'
# own SQL.
_FACETS_SQL = """
WITH sample (id) AS MATERIALIZED ({sample}),
     counted AS MATERIALIZED (SELECT id FROM sample ORDER BY id DESC LIMIT %s)
SELECT 'claim', GROUPING(c.status, u.username, m.month, a.outlet), c.status, u.username,
       m.month, NULL::bigint, NULL::text, a.outlet, count(*), (SELECT count(*) FROM sample)
FROM annotations_claim c
JOIN auth_user u ON u.id = c.author_id
JOIN articles_article a ON a.id = c.article_id
CROSS JOIN LATERAL (SELECT date_trunc('month', c.created_at AT TIME ZONE 'UTC') AS month) m
WHERE c.id IN (SELECT id FROM counted)
GROUP BY GROUPING SETS ((c.status), (u.username), (m.month), (a.outlet), ())
UNION ALL
SELECT 'tag', GROUPING(t.id, t.label, t.outlet, t.cited), t.label, t.outlet, NULL, t.id,
       t.cited, NULL, count(DISTINCT ct.claim_id),
       count(DISTINCT ct.claim_id) FILTER (WHERE t.anonymous)
FROM annotations_claimtag ct
JOIN annotations_sourcetag t ON t.id = ct.tag_id
WHERE ct.claim_id IN (SELECT id FROM counted) AND t.id IN ({visible_tags})
GROUP BY GROUPING SETS ((t.id, t.label), (t.outlet), (t.cited), ())
"""


def _claim_facets(rows: list[tuple], facets: Facets) -> None:
    statuses: dict = {}
    annotators: dict = {}
    months: dict = {}
    outlets: dict = {}
    for grouping_set, status, username, month, outlet, n, sampled in rows:
        if grouping_set == 0b1111:  # ()
            facets.counted, facets.capped = n, sampled > n
        elif grouping_set == 0b0111:  # (status)
            statuses[status] = n
        elif grouping_set == 0b1011:  # (username)
            annotators[username] = n
        elif grouping_set == 0b1101:  # (month)
            months[month] = n
        elif grouping_set == 0b1110 and outlet:  # (article outlet)
            outlets[outlet] = n
    facets.statuses = _top(statuses)
    facets.article_outlets = _top(outlets)
    facets.annotators = _top(annotators)
    newest = _top(months, key=lambda item: -item[0].timestamp())
    facets.months = [_month(row["value"], row["count"]) for row in newest]


def _tag_facets(rows: list[tuple], facets: Facets) -> None:
    tags: dict = {}
    outlets: dict = {}
    cited: dict = {}
    anonymous = 0
    for grouping_set, label, outlet, tag_id, cited_as, n, n_anonymous in rows:
        if grouping_set == 0b1111:  # ()
            anonymous = n_anonymous
        elif grouping_set == 0b0011:  # (id, label)
            tags[(tag_id, label)] = n
        elif grouping_set == 0b1101 and outlet:  # (outlet)
            outlets[outlet] = n
        elif grouping_set == 0b1110 and cited_as:  # (cited)
            cited[cited_as] = n
    facets.tags = [
        {"value": row["value"][0], "label": row["value"][1], "count": row["count"]}
        for row in _top(tags, key=lambda item: (-item[1], item[0][1].casefold()))
    ]
    facets.outlets, facets.cited = _top(outlets), _top(cited)
    facets.anonymous = [
        {"value": "yes", "count": anonymous},
        {"value": "no", "count": facets.counted - anonymous},
    ]


def facets(*, workspace, user, search: ClaimSearch) -> Facets:
    """Counts per tag, outlet, cited source, anonymity, status, annotator, month and article
    outlet over the newest FACET_SAMPLE matching claims: one statement, whatever the number
    of matches."""
    sample = (
        matching_claims(workspace=workspace, user=user, search=search)
        .order_by("-pk")
        .values("pk")[: FACET_SAMPLE + 1]
    )
    sample_sql, sample_params = sample.query.sql_with_params()
    visible = SourceTag.objects.filter(workspace=workspace).filter(visible_tags_q(user=user))
    tags_sql, tags_params = visible.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            _FACETS_SQL.format(sample=sample_sql, visible_tags=tags_sql),
            [*sample_params, FACET_SAMPLE, *tags_params],
        )
        rows = cursor.fetchall()
    result = Facets()
    _claim_facets([row[1:5] + row[7:] for row in rows if row[0] == "claim"], result)
    if not result.counted:
        return Facets()
    _tag_facets([row[1:4] + row[5:7] + row[8:] for row in rows if row[0] == "tag"], result)
    return result


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
