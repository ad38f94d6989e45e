"""Aggregates of the claims a member may see: the Sources dashboard and the per-article summary.

Every number starts from `annotations.access.visible_claims_q` (shared claims and the reader's
own private ones, and whatever else that rule hides), so a chart never counts a claim its
reader could not open. All counting happens in PostgreSQL (GROUP BY, FILTER, date_trunc); the
dashboard's result is cached per reader and filter set until the workspace's change log moves
on (see `dashboard`).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
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
# A cached dashboard is also dropped after this long: changes that write no change-log row
# (an article deleted with its claims, an outlet corrected in the admin) show up by then.
CACHE_SECONDS = 300


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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_claims(*, workspace_id: int, user, filters: DashboardFilters) -> QuerySet[Claim]:
    """The claims of the workspace the user may see, narrowed by the dashboard's filters."""
    claims = Claim.objects.filter(workspace_id=workspace_id).filter(visible_claims_q(user=user))
    if filters.since:
        claims = claims.filter(created_at__gte=_day_start(filters.since))
    if filters.until:  # inclusive: the whole day
        claims = claims.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.outlet:
        claims = claims.filter(article__outlet=filters.outlet)
    if filters.language:
        claims = claims.filter(article__language=filters.language)
    if filters.status:
        claims = claims.filter(status=filters.status)
    if filters.annotator:
        claims = claims.filter(author__username=filters.annotator)
    if filters.tag is not None:
        claims = claims.filter(
            Exists(ClaimTag.objects.filter(claim_id=OuterRef("pk"), tag_id=filters.tag))
        )
    return claims.order_by()


def _mix(claims: QuerySet[Claim]) -> dict[str, int]:
    """Total, and how many claims rest on an anonymous source, on named ones only, or none."""
    anonymous = Exists(ClaimTag.objects.filter(claim_id=OuterRef("pk"), tag__anonymous=True))
    tagged = Exists(ClaimTag.objects.filter(claim_id=OuterRef("pk")))
    return claims.aggregate(
        total=Count("pk"),
        anonymous=Count("pk", filter=Q(anonymous)),
        named=Count("pk", filter=Q(tagged) & ~Q(anonymous)),
        untagged=Count("pk", filter=~Q(tagged)),
    )


def _top(links: QuerySet[ClaimTag], field_name: str, limit: int) -> list[tuple[str, int]]:
    rows = (
        links.exclude(**{field_name: ""})
        .values(field_name)
        .annotate(n=Count("claim_id", distinct=True))
        .order_by("-n", field_name)[:limit]
    )
    return [(row[field_name], row["n"]) for row in rows]


def _matrix(links: QuerySet[ClaimTag]) -> tuple[list[str], list[str], list[list[int]]]:
    rows = (
        links.exclude(tag__outlet="")
        .exclude(claim__article__outlet="")
        .values("claim__article__outlet", "tag__outlet")
        .annotate(n=Count("claim_id", distinct=True))
    )
    cells: dict[tuple[str, str], int] = {}
    row_totals: dict[str, int] = {}
    column_totals: dict[str, int] = {}
    for row in rows:
        key = (row["claim__article__outlet"], row["tag__outlet"])
        cells[key] = row["n"]
        row_totals[key[0]] = row_totals.get(key[0], 0) + row["n"]
        column_totals[key[1]] = column_totals.get(key[1], 0) + row["n"]

    def biggest(totals: dict[str, int]) -> list[str]:
        return sorted(totals, key=lambda name: (-totals[name], name.casefold()))[:MATRIX_SIDE]

    names, columns = biggest(row_totals), biggest(column_totals)
    return names, columns, [[cells.get((r, c), 0) for c in columns] for r in names]


def _status_sources(links: QuerySet[ClaimTag]) -> list[tuple[int, str, dict[str, int]]]:
    per_status = {
        status: Count("claim_id", filter=Q(claim__status=status)) for status in ClaimStatus.values
    }
    rows = (
        links.values("tag_id", "tag__label")
        .annotate(n=Count("claim_id"), **per_status)
        .order_by("-n", "tag__label")[:STATUS_SOURCES]
    )
    return [
        (row["tag_id"], row["tag__label"], {status: row[status] for status in ClaimStatus.values})
        for row in rows
    ]


def _weeks(claims: QuerySet[Claim]) -> list[tuple[date, int]]:
    rows = (
        claims.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    counted = {timezone.localtime(row["week"]).date(): row["n"] for row in rows}
    if not counted:
        return []
    # Every week between the first and the last, empty ones too: a gap is part of the picture.
    first, last = min(counted), max(counted)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return [(week, counted.get(week, 0)) for week in weeks]


def compute_dashboard(*, workspace_id: int, user, filters: DashboardFilters) -> Dashboard:
    claims = filtered_claims(workspace_id=workspace_id, user=user, filters=filters)
    links = ClaimTag.objects.filter(claim__in=claims).order_by()
    mix = _mix(claims)
    rows, columns, cells = _matrix(links)
    return Dashboard(
        total=mix["total"],
        anonymous=mix["anonymous"],
        named=mix["named"],
        untagged=mix["untagged"],
        top_cited=_top(links, "tag__cited", TOP),
        top_outlets=_top(links, "tag__outlet", TOP),
        matrix_rows=rows,
        matrix_columns=columns,
        matrix_cells=cells,
        status_sources=_status_sources(links),
        weeks=_weeks(claims),
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


def dashboard(*, workspace_id: int, user, filters: DashboardFilters) -> Dashboard:
    """The dashboard's numbers, cached per reader (what they may see differs: their private
    claims) and filter set, and dropped as soon as the workspace changes."""
    generation = workspace_generation(workspace_id=workspace_id)
    key = f"insights:{workspace_id}:{user.pk}:{filters.cache_part()}:{generation}"
    result = cache.get(key)
    if result is None:
        result = compute_dashboard(workspace_id=workspace_id, user=user, filters=filters)
        cache.set(key, result, CACHE_SECONDS)
    return result


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
    links = ClaimTag.objects.filter(claim__in=claims).order_by()
    mix = _mix(claims)
    counted = dict(claims.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return ArticleSummary(
        total=mix["total"],
        anonymous=mix["anonymous"],
        named=mix["named"],
        untagged=mix["untagged"],
        outlets=_top(links, "tag__outlet", TOP),
        cited=_top(links, "tag__cited", TOP),
        statuses=[
            (value, str(label), counted.get(value, 0))
            for value, label in ClaimStatus.choices
            if counted.get(value)
        ],
    )
