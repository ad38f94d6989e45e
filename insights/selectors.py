"""Aggregates of the claims a member may see: the Sources dashboard and the per-article summary.

Every number starts from `annotations.access.visible_claims_q` (shared claims and the reader's
own private ones, and whatever else that rule hides), so a chart never counts a claim its
reader could not open. All counting happens in PostgreSQL (GROUP BY, FILTER, date_trunc); the
dashboard's result is cached per reader and filter set until the workspace's change log moves
on (see `dashboard`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from activity.models import Activity
from annotations.access import visible_claims_q, visible_tags_q
from annotations.models import Claim, ClaimStatus, ClaimTag, SourceTag
from articles.models import Article
from workspaces.models import Membership

TOP = 10  # bars in a "top" chart
MATRIX_SIDE = 8  # rows and columns of the outlet matrix
STATUS_SOURCES = 8  # sources in "status mix per source"
# A cached count is dropped after this long even if no change-log row came since: changes that
# write none (an article deleted with its claims, an outlet corrected in the admin) show then.
CACHE_SECONDS = 3600
# A count made this recently is shown even if the workspace changed since (see `dashboard`).
FRESH_SECONDS = 60


@dataclass(frozen=True)
class DashboardFilters:
    since: date | None = None
    until: date | None = None
    outlet: str = ""  # the article's outlet
    tag: int | None = None
    annotator: str = ""  # username
    status: str = ""
    language: str = ""

    def is_empty(self) -> bool:
        return self == DashboardFilters()

    def cache_part(self) -> str:
        text = repr(sorted(asdict(self).items()))
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
    """Counts that add up: the shared claims' (cached) plus a reader's own extra ones."""

    total: int = 0
    tagged: int = 0
    anonymous: int = 0
    weeks: dict[date, int] = field(default_factory=dict)
    # per source tag: claims per status; per (article outlet, tag): claims
    by_tag: dict[int, dict[str, int]] = field(default_factory=dict)
    by_outlet_tag: dict[tuple[str, int], int] = field(default_factory=dict)

    def __add__(self, other: Counts) -> Counts:
        result = Counts(
            self.total + other.total,
            self.tagged + other.tagged,
            self.anonymous + other.anonymous,
            dict(self.weeks),
            {tag: dict(statuses) for tag, statuses in self.by_tag.items()},
            dict(self.by_outlet_tag),
        )
        for week, n in other.weeks.items():
            result.weeks[week] = result.weeks.get(week, 0) + n
        for tag, statuses in other.by_tag.items():
            mine = result.by_tag.setdefault(tag, {})
            for status, n in statuses.items():
                mine[status] = mine.get(status, 0) + n
        for key, n in other.by_outlet_tag.items():
            result.by_outlet_tag[key] = result.by_outlet_tag.get(key, 0) + n
        return result


# Which claims to count, as a condition on claims reached through `prefix` ("" or "claim__").
Visible = Callable[[str], Q]


def count_claims(*, workspace_id: int, visible: Visible, filters: DashboardFilters) -> Counts:
    """Three GROUP BY queries over the matching claims and their tag links."""
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
    )
    weeks = {
        timezone.localtime(row["week"]).date(): row["n"]
        for row in claims.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("*"))
    }
    tagged = links.aggregate(
        tagged=Count("claim_id", distinct=True),
        anonymous=Count("claim_id", distinct=True, filter=Q(tag__anonymous=True)),
    )
    counts = Counts(
        total=sum(weeks.values()),
        tagged=tagged["tagged"],
        anonymous=tagged["anonymous"],
        weeks=weeks,
    )
    rows = links.values_list("tag_id", "claim__article__outlet", "claim__status").annotate(
        n=Count("id")
    )
    for tag_id, outlet, status, n in rows:
        per_status = counts.by_tag.setdefault(tag_id, {})
        per_status[status] = per_status.get(status, 0) + n
        counts.by_outlet_tag[(outlet, tag_id)] = counts.by_outlet_tag.get((outlet, tag_id), 0) + n
    return counts


def _ranked(totals: dict[str, int], limit: int) -> list[tuple[str, int]]:
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [(name, n) for name, n in ordered if n][:limit]


def build_dashboard(counts: Counts) -> Dashboard:
    """The charts' numbers from the counts (top lists, matrix, weeks with gaps filled)."""
    tags = {
        tag.pk: tag
        for tag in SourceTag.objects.filter(pk__in=list(counts.by_tag)).only(
            "label", "outlet", "cited"
        )
    }
    cited: dict[str, int] = {}
    relaying: dict[str, int] = {}
    tag_totals: dict[int, int] = {}
    for tag_id, statuses in counts.by_tag.items():
        n = sum(statuses.values())
        tag_totals[tag_id] = n
        tag = tags.get(tag_id)
        if tag is None:
            continue  # removed since it was counted
        if tag.cited:
            cited[tag.cited] = cited.get(tag.cited, 0) + n
        if tag.outlet:
            relaying[tag.outlet] = relaying.get(tag.outlet, 0) + n
    cells: dict[tuple[str, str], int] = {}
    for (article_outlet, tag_id), n in counts.by_outlet_tag.items():
        tag = tags.get(tag_id)
        if article_outlet and tag is not None and tag.outlet:
            key = (article_outlet, tag.outlet)
            cells[key] = cells.get(key, 0) + n
    row_totals: dict[str, int] = {}
    column_totals: dict[str, int] = {}
    for (row, column), n in cells.items():
        row_totals[row] = row_totals.get(row, 0) + n
        column_totals[column] = column_totals.get(column, 0) + n
    rows = [name for name, _n in _ranked(row_totals, MATRIX_SIDE)]
    columns = [name for name, _n in _ranked(column_totals, MATRIX_SIDE)]
    busiest = sorted(
        (tag_id for tag_id in tag_totals if tag_id in tags),
        key=lambda tag_id: (-tag_totals[tag_id], tags[tag_id].label.casefold()),
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
        matrix_cells=[[cells.get((r, c), 0) for c in columns] for r in rows],
        status_sources=[
            (
                tag_id,
                tags[tag_id].label,
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
    """Uncached: everything the user may see, counted at once."""
    return build_dashboard(
        count_claims(
            workspace_id=workspace_id,
            visible=lambda prefix: visible_claims_q(user=user, prefix=prefix),
            filters=filters,
        )
    )


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


def _cache():
    """The shared cache (Redis) when there is one, so every process reuses one count; else
    this process's memory."""
    return caches["shared"] if settings.CACHE_URL else caches["default"]


def dashboard(*, workspace_id: int, user, filters: DashboardFilters) -> Dashboard:
    """The dashboard's numbers for this reader.

    Counting 2M claims takes seconds, so the claims every member sees are counted once per
    filter set and cached, shared by all readers. A count is used while the workspace has not
    changed since, or for `FRESH_SECONDS` after it was made (a busy newsroom changes something
    every few seconds; the page says when the numbers were counted). What this reader sees
    beyond the shared claims (their private claims, and their own claims on blind articles)
    is counted on the partial index of migration 0001 (a few thousand rows) and cached per
    reader by the same rule.
    """
    generation = workspace_generation(workspace_id=workspace_id)
    shared, counted_at = _cached_counts(
        key=f"insights:{workspace_id}:{filters.cache_part()}",
        generation=generation,
        count=lambda: count_claims(workspace_id=workspace_id, visible=_shared_q, filters=filters),
    )

    # Only their own claims can be visible to one reader and not to all (see above).
    def own(prefix: str) -> Q:
        mine = Q(**{f"{prefix}author_id": user.pk})
        return mine & visible_claims_q(user=user, prefix=prefix) & ~_shared_q(prefix)

    extra, _at = _cached_counts(
        key=f"insights:{workspace_id}:{filters.cache_part()}:{user.pk}",
        generation=generation,
        count=lambda: count_claims(workspace_id=workspace_id, visible=own, filters=filters),
    )
    result = build_dashboard(shared + extra)
    result.counted_at = counted_at
    return result


def _cached_counts(
    *, key: str, generation: int, count: Callable[[], Counts]
) -> tuple[Counts, datetime]:
    """A cached count if the workspace has not changed since, or it is under FRESH_SECONDS
    old; else a new count (cached)."""
    cached = _cache().get(key)
    now = timezone.now()
    if cached is not None and (
        cached[0] == generation or (now - cached[1]).total_seconds() < FRESH_SECONDS
    ):
        return cached[2], cached[1]
    counts = count()
    _cache().set(key, (generation, now, counts), CACHE_SECONDS)
    return counts, now


def filter_choices(*, workspace_id: int, user) -> dict[str, Any]:
    """What the dashboard's filter menus offer: the workspace's outlets and languages, the
    source tags the user may see (most used first), its members, the statuses."""
    rows = (
        Article.objects.filter(workspace_id=workspace_id)
        .order_by()
        .values_list("outlet", "language")
        .distinct()
    )
    tags = (
        SourceTag.objects.filter(workspace_id=workspace_id)
        .filter(visible_tags_q(user=user))
        .order_by("-shared_claim_count", "label")
        .values_list("pk", "label")[:500]
    )
    members = (
        Membership.objects.filter(workspace_id=workspace_id)
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )
    return {
        "outlets": sorted({outlet for outlet, _ in rows if outlet}, key=str.casefold),
        "languages": sorted({language for _, language in rows if language}),
        "tags": list(tags),
        "annotators": list(members),
        "statuses": list(ClaimStatus.choices),
    }


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
