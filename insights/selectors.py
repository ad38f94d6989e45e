"""Aggregates of the claims a member may see: the Sources dashboard and the per-article summary.

Every number starts from `annotations.access.visible_claims_q` (shared claims and the reader's
own private ones, and whatever else that rule hides), so a chart never counts a claim its
reader could not open. All counting happens in PostgreSQL (GROUP BY, FILTER, date_trunc); the
dashboard's counts are saved per filter set and reused until the workspace changes (see
`dashboard`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from activity.models import Activity
from annotations.access import visible_claims_q, visible_tags_q
from annotations.models import Claim, ClaimStatus, ClaimTag, SourceTag
from articles.models import Article
from jobs.queue import enqueue_once
from workspaces.models import Membership

from .models import SourceCount

TOP = 10  # bars in a "top" chart
MATRIX_SIDE = 8  # rows and columns of the outlet matrix
STATUS_SOURCES = 8  # sources in "status mix per source"
# A saved count is counted again at most this often while its workspace keeps changing, and
# at once (in the request) when it is this far behind (see `dashboard`).
FRESH_SECONDS = 60
STALE_SECONDS = 15 * 60
RECOUNT_TASK = "insights.recount"


@dataclass(frozen=True)
class DashboardFilters:
    since: date | None = None
    until: date | None = None
    outlet: str = ""  # the article's outlet
    tag: int | None = None
    annotator: str = ""  # username
    status: str = ""
    language: str = ""
    # Count the reader's own unshared claims (private, or in an open blind round) too. Off by
    # default: the dashboard shows the workspace's shared work, as the Sources page counts
    # it, so every member with the same filters gets the same charts (drawn once, reused).
    mine: bool = False

    def is_empty(self) -> bool:
        return self == DashboardFilters()

    def cache_part(self) -> str:
        """The saved count's key: which claims are counted (`mine` only picks which saved
        rows a reader adds up)."""
        counted = {name: value for name, value in asdict(self).items() if name != "mine"}
        text = repr(sorted(counted.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass
class Dashboard:
    total: int = 0
    anonymous: int = 0  # claims with at least one tag marked anonymous
    named: int = 0  # tagged claims, no anonymous tag
    untagged: int = 0
    top_cited: list[tuple[str, int]] = field(default_factory=list)
    top_outlets: list[tuple[str, int]] = field(default_factory=list)
    # rows: article outlets, columns: outlets/agencies in the tags, cells[row][col] = claims
    matrix_rows: list[str] = field(default_factory=list)
    matrix_columns: list[str] = field(default_factory=list)
    matrix_cells: list[list[int]] = field(default_factory=list)
    # sources (tag id, label) with their claim count per status
    status_sources: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)
    weeks: list[tuple[date, int]] = field(default_factory=list)
    counted_at: datetime | None = None
    recounting: bool = False  # the workspace changed since; a recount is under way
    own_unshared: int = 0  # the reader's own unshared claims matching the filters
    includes_own: bool = False  # whether the numbers above count them


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filters_q(filters: DashboardFilters, prefix: str = "") -> Q:
    """The dashboard's filters as conditions on a claim (`prefix` reaches it from a tag link)."""
    conditions = Q()
    if filters.since:
        conditions &= Q(**{f"{prefix}created_at__gte": _day_start(filters.since)})
    if filters.until:  # inclusive: the whole day
        until = _day_start(filters.until + timedelta(days=1))
        conditions &= Q(**{f"{prefix}created_at__lt": until})
    if filters.outlet:
        conditions &= Q(**{f"{prefix}article__outlet": filters.outlet})
    if filters.language:
        conditions &= Q(**{f"{prefix}article__language": filters.language})
    if filters.status:
        conditions &= Q(**{f"{prefix}status": filters.status})
    if filters.annotator:
        conditions &= Q(**{f"{prefix}author__username": filters.annotator})
    if filters.tag is not None:
        tagged = ClaimTag.objects.filter(claim_id=OuterRef(f"{prefix}pk"), tag_id=filters.tag)
        conditions &= Q(Exists(tagged))
    return conditions


def filtered_claims(*, workspace_id: int, user, filters: DashboardFilters) -> QuerySet[Claim]:
    """The claims of the workspace the user may see, narrowed by the dashboard's filters."""
    return (
        Claim.objects.filter(workspace_id=workspace_id)
        .filter(visible_claims_q(user=user))
        .filter(_filters_q(filters))
        .order_by()
    )


@dataclass
class Counts:
    """Counts that add up: the claims every member sees plus a reader's own extra ones.

    Kept small (a few thousand numbers) so a saved one is read quickly: per source tag and
    status, and per article outlet and outlet named in the tag; the tags' label, outlet and
    cited source ride along (a renamed tag writes to the change log, so it is counted again).
    """

    total: int = 0
    tagged: int = 0
    anonymous: int = 0
    weeks: dict[date, int] = field(default_factory=dict)
    by_tag: dict[int, dict[str, int]] = field(default_factory=dict)
    matrix: dict[tuple[str, str], int] = field(default_factory=dict)
    tags: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # label, outlet, cited
    # The matrix's full row and column sums, and (once trimmed for saving) the rows and
    # columns whose cells it still holds: None = all of them.
    matrix_rows: dict[str, int] = field(default_factory=dict)
    matrix_columns: dict[str, int] = field(default_factory=dict)
    block: tuple[list[str], list[str]] | None = None

    def __add__(self, other: Counts) -> Counts:
        result = Counts(
            self.total + other.total,
            self.tagged + other.tagged,
            self.anonymous + other.anonymous,
            _summed(self.weeks, other.weeks),
            {tag: dict(statuses) for tag, statuses in self.by_tag.items()},
            _summed(self.matrix, other.matrix),
            {**self.tags, **other.tags},
            _summed(self.matrix_rows, other.matrix_rows),
            _summed(self.matrix_columns, other.matrix_columns),
            self.block or other.block,
        )
        for tag, statuses in other.by_tag.items():
            result.by_tag[tag] = _summed(result.by_tag.get(tag, {}), statuses)
        return result


def _summed(one: dict, other: dict) -> dict:
    result = dict(one)
    for key, n in other.items():
        result[key] = result.get(key, 0) + n
    return result


# Which claims to count, as a condition on claims reached through `prefix` ("" or "claim__").
Visible = Callable[[str], Q]


def count_claims(*, workspace_id: int, visible: Visible, filters: DashboardFilters) -> Counts:
    """Three GROUP BY queries over the matching claims and their tag links."""
    return _count(workspace_id=workspace_id, visible=visible, filters=filters).get(0, Counts())


def count_claims_by_author(*, workspace_id: int, visible: Visible, filters) -> dict[int, Counts]:
    """The same, one Counts per author (the readers' own extra claims, all in one pass)."""
    return _count(workspace_id=workspace_id, visible=visible, filters=filters, by_author=True)


def _count(
    *, workspace_id: int, visible: Visible, filters: DashboardFilters, by_author: bool = False
) -> dict[int, Counts]:
    claims = (
        Claim.objects.filter(workspace_id=workspace_id)
        .filter(visible(""))
        .filter(_filters_q(filters))
        .order_by()
    )
    links = (
        ClaimTag.objects.filter(claim__workspace_id=workspace_id)
        .filter(visible("claim__"))
        .filter(_filters_q(filters, "claim__"))
        .order_by()
        .annotate(who=F("claim__author_id") if by_author else Value(0))
    )
    # Without by_author every row's "who" is the constant 0: one group.
    result: dict[int, Counts] = {}
    weeks = (
        claims.annotate(week=TruncWeek("created_at"), who=F("author_id") if by_author else Value(0))
        .values("who", "week")
        .annotate(n=Count("*"))
    )
    for row in weeks:
        counts = result.setdefault(row["who"], Counts())
        counts.weeks[timezone.localtime(row["week"]).date()] = row["n"]
        counts.total += row["n"]
    tagged = links.values("who").annotate(
        tagged=Count("claim_id", distinct=True),
        anonymous=Count("claim_id", distinct=True, filter=Q(tag__anonymous=True)),
    )
    for tagged_row in tagged:
        counts = result.setdefault(tagged_row["who"], Counts())
        counts.tagged, counts.anonymous = tagged_row["tagged"], tagged_row["anonymous"]
    for who, tag_id, status, n in (
        links.values_list("who", "tag_id", "claim__status").annotate(n=Count("id")).order_by()
    ):
        result.setdefault(who, Counts()).by_tag.setdefault(tag_id, {})[status] = n
    for who, article_outlet, tag_outlet, n in (
        links.exclude(tag__outlet="")
        .exclude(claim__article__outlet="")
        .values_list("who", "claim__article__outlet", "tag__outlet")
        .annotate(n=Count("claim_id", distinct=True))
        .order_by()
    ):
        counts = result.setdefault(who, Counts())
        counts.matrix[(article_outlet, tag_outlet)] = n
        counts.matrix_rows[article_outlet] = counts.matrix_rows.get(article_outlet, 0) + n
        counts.matrix_columns[tag_outlet] = counts.matrix_columns.get(tag_outlet, 0) + n
    tag_ids = {tag for counts in result.values() for tag in counts.by_tag}
    tags = {
        pk: (label, outlet, cited)
        for pk, label, outlet, cited in SourceTag.objects.filter(pk__in=tag_ids).values_list(
            "pk", "label", "outlet", "cited"
        )
    }
    for counts in result.values():
        counts.tags = {tag: tags[tag] for tag in counts.by_tag if tag in tags}
    return result


def _ranked(totals: dict[str, int], limit: int) -> list[tuple[str, int]]:
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [(name, n) for name, n in ordered if n][:limit]


def _source_totals(counts: Counts) -> tuple[dict[str, int], dict[str, int], dict[int, int]]:
    """Claims per cited source, per outlet named in a tag, and per tag."""
    cited: dict[str, int] = {}
    relaying: dict[str, int] = {}
    tag_totals: dict[int, int] = {}
    for tag_id, statuses in counts.by_tag.items():
        if tag_id not in counts.tags:
            continue  # removed since it was counted
        n = tag_totals[tag_id] = sum(statuses.values())
        _label, outlet, cited_source = counts.tags[tag_id]
        if cited_source:
            cited[cited_source] = cited.get(cited_source, 0) + n
        if outlet:
            relaying[outlet] = relaying.get(outlet, 0) + n
    return cited, relaying, tag_totals


def _matrix_sides(counts: Counts) -> tuple[list[str], list[str]]:
    row_totals, column_totals = counts.matrix_rows, counts.matrix_columns
    if counts.block is not None:  # only rows and columns whose every cell was kept
        wanted_rows, wanted_columns = set(counts.block[0]), set(counts.block[1])
        row_totals = {k: n for k, n in row_totals.items() if k in wanted_rows}
        column_totals = {k: n for k, n in column_totals.items() if k in wanted_columns}
    rows = [name for name, _n in _ranked(row_totals, MATRIX_SIDE)]
    columns = [name for name, _n in _ranked(column_totals, MATRIX_SIDE)]
    return rows, columns


def build_dashboard(counts: Counts) -> Dashboard:
    """The charts' numbers from the counts (top lists, matrix, weeks with gaps filled)."""
    cited, relaying, tag_totals = _source_totals(counts)
    rows, columns = _matrix_sides(counts)
    busiest = sorted(
        tag_totals, key=lambda tag_id: (-tag_totals[tag_id], counts.tags[tag_id][0].casefold())
    )[:STATUS_SOURCES]
    return Dashboard(
        total=counts.total,
        anonymous=counts.anonymous,
        named=counts.tagged - counts.anonymous,
        untagged=counts.total - counts.tagged,
        top_cited=_ranked(cited, TOP),
        top_outlets=_ranked(relaying, TOP),
        matrix_rows=rows,
        matrix_columns=columns,
        matrix_cells=[[counts.matrix.get((r, c), 0) for c in columns] for r in rows],
        status_sources=[
            (
                tag_id,
                counts.tags[tag_id][0],
                {status: counts.by_tag[tag_id].get(status, 0) for status in ClaimStatus.values},
            )
            for tag_id in busiest
        ],
        weeks=_weeks(counts.weeks),
    )


def _weeks(counted: dict[date, int]) -> list[tuple[date, int]]:
    if not counted:
        return []
    # Every week between the first and the last, empty ones too: a gap is part of the picture.
    first, last = min(counted), max(counted)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return [(week, counted.get(week, 0)) for week in weeks]


def compute_dashboard(*, workspace_id: int, user, filters: DashboardFilters) -> Dashboard:
    """Not saved: what `dashboard` shows, counted at once (tests, checks)."""

    def visible(prefix: str) -> Q:
        return visible_claims_q(user=user if filters.mine else None, prefix=prefix)

    counts = count_claims(workspace_id=workspace_id, visible=visible, filters=filters)
    return build_dashboard(counts)


def workspace_generation(*, workspace_id: int) -> int:
    """The workspace's newest change-log row: every claim, tag and status change writes one,
    so a cached aggregate keyed by it is never served after such a change (one index probe)."""
    newest = (
        Activity.objects.filter(workspace_id=workspace_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return newest or 0


def _shared_q(prefix: str = "") -> Q:
    """Claims every member may see: what `visible_claims_q` allows a reader who wrote
    nothing (user=None matches no author)."""
    return visible_claims_q(user=None, prefix=prefix)


def dashboard(*, workspace_id: int, user, filters: DashboardFilters) -> Dashboard:
    """The dashboard's numbers for this reader.

    Counting 2M claims takes many seconds, so counts are saved (SourceCount) and reused, one
    per filter set: the claims every member sees (`visible_claims_q` for no one in
    particular), and beside it, per author, their claims beyond those (private ones, their
    own on blind articles): what a reader sees is the first plus their own. A saved count is
    current while the workspace's change log has not moved on; after a change it is still
    shown (the page says when it was counted) while a background job counts again, at most
    once a minute; one more than `STALE_SECONDS` behind is redone at once (no worker running).
    The reader's own are added only with `filters.mine`; else the page says how many there are.
    """
    generation = workspace_generation(workspace_id=workspace_id)
    key = _key(workspace_id=workspace_id, filters=filters)
    rows = {row.scope: row for row in SourceCount.objects.filter(key__in=[key, f"{key}:{user.pk}"])}
    shared_row = rows.get(SHARED)
    now = timezone.now()
    stale = shared_row is not None and shared_row.generation != generation
    if shared_row is None or (
        stale and (now - shared_row.counted_at).total_seconds() >= STALE_SECONDS
    ):
        shared, extras = _count_and_save(
            key=key, workspace_id=workspace_id, filters=filters, generation=generation
        )
        result = _with_own(shared, extras.get(user.pk, Counts()), filters=filters)
        result.counted_at = now
        return result
    if stale and (now - shared_row.counted_at).total_seconds() >= FRESH_SECONDS:
        _queue_recount(key=key)
    own = rows.get(str(user.pk))
    extra = Counts()
    if own is not None and own.generation == shared_row.generation:
        extra = _counts_from_json(own.counts)
    result = _with_own(_counts_from_json(shared_row.counts), extra, filters=filters)
    result.counted_at = shared_row.counted_at
    result.recounting = stale
    return result


def _with_own(shared: Counts, own: Counts, *, filters: DashboardFilters) -> Dashboard:
    """The dashboard of the shared claims, plus the reader's own unshared ones when asked."""
    result = build_dashboard(shared + own if filters.mine else shared)
    result.own_unshared = own.total
    result.includes_own = filters.mine
    return result


SHARED = "shared"


def _key(*, workspace_id: int, filters: DashboardFilters) -> str:
    return f"{workspace_id}:{filters.cache_part()}"


def _beyond_shared(prefix: str) -> Q:
    """Claims some reader sees that not every member does. Such a claim is always its
    author's own (their private claims; under blind annotation, their claims on an article
    not yet done), and an author always sees their own claims, so grouping these by author
    gives each reader's extra."""
    return ~_shared_q(prefix)


def _count_and_save(
    *, key: str, workspace_id: int, filters: DashboardFilters, generation: int
) -> tuple[Counts, dict[int, Counts]]:
    """Count the shared claims and every author's extra, and save them (one row each)."""
    counted_at = timezone.now()
    shared = count_claims(workspace_id=workspace_id, visible=_shared_q, filters=filters)
    extras = count_claims_by_author(
        workspace_id=workspace_id, visible=_beyond_shared, filters=filters
    )
    rows = [(SHARED, key, _trimmed(shared))] + [
        (str(author), f"{key}:{author}", counts) for author, counts in extras.items()
    ]
    _save(
        rows=rows,
        workspace_id=workspace_id,
        filters=filters,
        generation=generation,
        counted_at=counted_at,
    )
    return shared, extras


MATRIX_KEPT = 40  # rows and columns of the outlet matrix a saved shared count keeps


def _trimmed(counts: Counts) -> Counts:
    """The shared count as saved: the matrix's cells only for its busiest MATRIX_KEPT rows
    and columns (300 × 200 outlets would be 60,000 cells to read on every view; the chart
    shows 8 × 8). A reader's own extra is small and kept whole."""
    rows = [name for name, _n in _ranked(counts.matrix_rows, MATRIX_KEPT)]
    columns = [name for name, _n in _ranked(counts.matrix_columns, MATRIX_KEPT)]
    if len(rows) == len(counts.matrix_rows) and len(columns) == len(counts.matrix_columns):
        return counts
    kept_rows, kept_columns = set(rows), set(columns)
    counts.matrix = {
        (row, column): n
        for (row, column), n in counts.matrix.items()
        if row in kept_rows and column in kept_columns
    }
    counts.block = (rows, columns)
    return counts


def _queue_recount(*, key: str) -> None:
    enqueue_once(RECOUNT_TASK, lock=f"insights.recount:{key}", key=key)


def recount(*, key: str) -> None:
    """Count a saved count again (the background job). The generation is read first, so a
    change made while counting leaves the result stale, never lost."""
    saved = SourceCount.objects.filter(key=key, scope=SHARED).first()
    if saved is None:
        return
    generation = workspace_generation(workspace_id=saved.workspace_id)
    if generation != saved.generation:
        _count_and_save(
            key=key,
            workspace_id=saved.workspace_id,
            filters=_filters_from_json(saved.filters),
            generation=generation,
        )


def _save(
    *,
    rows: list[tuple[str, str, Counts]],
    workspace_id: int,
    filters: DashboardFilters,
    generation: int,
    counted_at: datetime,
) -> None:
    """Insert or replace (one statement: two processes counting at once both succeed)."""
    SourceCount.objects.bulk_create(
        [
            SourceCount(
                key=key,
                workspace_id=workspace_id,
                scope=scope,
                filters=_filters_to_json(filters),
                generation=generation,
                counted_at=counted_at,
                counts=_counts_to_json(counts),
            )
            for scope, key, counts in rows
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["generation", "counted_at", "counts", "filters"],
    )


def _filters_to_json(filters: DashboardFilters) -> dict[str, Any]:
    data = asdict(filters)
    for name in ("since", "until"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


def _filters_from_json(data: dict[str, Any]) -> DashboardFilters:
    values = dict(data)
    for name in ("since", "until"):
        values[name] = date.fromisoformat(values[name]) if values.get(name) else None
    return DashboardFilters(**values)


def _counts_to_json(counts: Counts) -> dict[str, Any]:
    return {
        "total": counts.total,
        "tagged": counts.tagged,
        "anonymous": counts.anonymous,
        "weeks": {week.isoformat(): n for week, n in counts.weeks.items()},
        "by_tag": {str(tag): statuses for tag, statuses in counts.by_tag.items()},
        "matrix": [[row, column, n] for (row, column), n in counts.matrix.items()],
        "tags": {str(tag): list(meta) for tag, meta in counts.tags.items()},
        "matrix_rows": counts.matrix_rows,
        "matrix_columns": counts.matrix_columns,
        "block": list(counts.block) if counts.block is not None else None,
    }


def _counts_from_json(data: dict[str, Any]) -> Counts:
    return Counts(
        total=data["total"],
        tagged=data["tagged"],
        anonymous=data["anonymous"],
        weeks={date.fromisoformat(week): n for week, n in data["weeks"].items()},
        by_tag={int(tag): statuses for tag, statuses in data["by_tag"].items()},
        matrix={(row, column): n for row, column, n in data["matrix"]},
        tags={int(tag): tuple(meta) for tag, meta in data["tags"].items()},
        matrix_rows=data["matrix_rows"],
        matrix_columns=data["matrix_columns"],
        block=(data["block"][0], data["block"][1]) if data["block"] is not None else None,
    )


CHOICES_SECONDS = 60


def filter_choices(*, workspace_id: int, user) -> dict[str, Any]:
    """What the dashboard's filter menus offer: the workspace's outlets and languages (kept a
    minute: reading them from 100,000 articles takes a while), its members, the statuses, and
    the source tags the user may see (most used first)."""
    key = f"insights:choices:{workspace_id}"
    choices = cache.get(key)
    if choices is None:
        rows = (
            Article.objects.filter(workspace_id=workspace_id)
            .order_by()
            .values_list("outlet", "language")
            .distinct()
        )
        members = (
            Membership.objects.filter(workspace_id=workspace_id)
            .order_by("user__username")
            .values_list("user__username", flat=True)
        )
        choices = {
            "outlets": sorted({outlet for outlet, _ in rows if outlet}, key=str.casefold),
            "languages": sorted({language for _, language in rows if language}),
            "annotators": list(members),
            "statuses": list(ClaimStatus.choices),
        }
        cache.set(key, choices, CHOICES_SECONDS)
    tags = (
        SourceTag.objects.filter(workspace_id=workspace_id)
        .filter(visible_tags_q(user=user))
        .order_by("-shared_claim_count", "label")
        .values_list("pk", "label")[:500]
    )
    return {**choices, "tags": list(tags)}


@dataclass
class ArticleSummary:
    total: int = 0
    anonymous: int = 0
    named: int = 0
    untagged: int = 0
    outlets: list[tuple[str, int]] = field(default_factory=list)
    cited: list[tuple[str, int]] = field(default_factory=list)
    statuses: list[tuple[str, str, int]] = field(default_factory=list)  # value, label, count

    @property
    def anonymous_percent(self) -> int:
        return round(100 * self.anonymous / self.total) if self.total else 0


def article_summary(*, article: Article, user) -> ArticleSummary:
    """The source mix of one article's claims that the user may see (a reading-page panel)."""
    claims = (
        Claim.objects.filter(article_id=article.pk).filter(visible_claims_q(user=user)).order_by()
    )
    links = (
        ClaimTag.objects.filter(claim__article_id=article.pk)
        .filter(visible_claims_q(user=user, prefix="claim__"))
        .order_by()
    )
    counted = dict(claims.values_list("status").annotate(n=Count("*")).values_list("status", "n"))
    tagged = links.aggregate(
        tagged=Count("claim_id", distinct=True),
        anonymous=Count("claim_id", distinct=True, filter=Q(tag__anonymous=True)),
    )

    def top(field_name: str) -> list[tuple[str, int]]:
        rows = (
            links.exclude(**{field_name: ""})
            .values_list(field_name)
            .annotate(n=Count("claim_id", distinct=True))
            .values_list(field_name, "n")
        )
        return _ranked(dict(rows), TOP)

    total = sum(counted.values())
    return ArticleSummary(
        total=total,
        anonymous=tagged["anonymous"],
        named=tagged["tagged"] - tagged["anonymous"],
        untagged=total - tagged["tagged"],
        outlets=top("tag__outlet"),
        cited=top("tag__cited"),
        statuses=[
            (value, str(label), counted[value])
            for value, label in ClaimStatus.choices
            if counted.get(value)
        ],
    )
