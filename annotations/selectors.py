"""Reads for claims: what a reader sees on an article, a claim's card, tag suggestions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower

from articles.models import Article, Block
from articles.pagination import KeysetPage, sorted_page
from articles.selectors import article_outlets
from workspaces.models import WRITER_ROLES, Membership

from .access import manageable_tags_q, visible_claims_q, visible_tags_q
from .anchoring import CANONICAL_SEPARATOR, canonical_text, codepoint_to_utf16_offset
from .models import (
    AnchorStatus,
    BlindAnnotator,
    BlindRound,
    Claim,
    ClaimTag,
    PrivateTagUse,
    Reply,
    SourceTag,
    Suggestion,
    SuggestionState,
    TagChange,
    Visibility,
)

if TYPE_CHECKING:
    from . import agreement
# The agreement module (numpy, networkx, krippendorff: ~0.25 s to import) is imported where
# it is used, so commands and processes that never report agreement start faster.

_canonical_cache: dict[tuple[int, int], str] = {}
_CANONICAL_CACHE_SIZE = 64


def article_canonical_text(*, article: Article) -> str:
    """The text claims are anchored in; block texts only change with `text_version`, so it
    is kept per (article, text_version) in this process (claim creation reads it each time)."""
    key = (article.pk, article.text_version)
    text = _canonical_cache.get(key)
    if text is None:
        texts = Block.objects.filter(article_id=article.pk).order_by("position")
        text = canonical_text(block_texts=list(texts.values_list("text", flat=True)))
        if len(_canonical_cache) >= _CANONICAL_CACHE_SIZE:
            _canonical_cache.pop(next(iter(_canonical_cache)))
        _canonical_cache[key] = text
    return text


def block_starts_utf16(*, blocks: Sequence[Block]) -> list[int]:
    """Each block's start in the canonical text, in UTF-16 units (what the browser counts)."""
    starts, offset = [], 0
    for block in blocks:
        starts.append(offset)
        offset += codepoint_to_utf16_offset(text=block.text, offset=len(block.text))
        offset += len(CANONICAL_SEPARATOR)
    return starts


def claims_for_article(
    *,
    article: Article,
    user,
    shared_only: bool = False,
    anchor_status: str | None = AnchorStatus.ANCHORED,
) -> list[Claim]:
    """Visible claims in reading order, with author, tag labels and reply counts (2 queries).

    Anchored claims by default (the ones in the text); ``AnchorStatus.ORPHANED`` for the claims
    whose sentence a revision removed; None for both.

    Loads only what the reading page shows: with 500 claims full model instances and a
    prefetch per claim cost more than the rest of the page (bench/claims.py).
    """
    visible = Q(visibility=Visibility.WORKSPACE) if shared_only else visible_claims_q(user=user)
    claims: list[Claim] = list(
        Claim.objects.filter(article=article)
        .filter(Q() if anchor_status is None else Q(anchor_status=anchor_status))
        .filter(visible)
        .select_related("author")
        .only(
            "id",
            "article_id",
            "author_id",
            "author__username",
            "exact",
            "start",
            "end",
            "status",
            "visibility",
            "anchor_status",
            "number",
            "curated",
        )
        .annotate(reply_count=Count("replies"))
        .order_by("start", "end", "id")
    )
    tags_by_claim: dict[int, list[tuple[str, bool]]] = {claim.pk: [] for claim in claims}
    rows = (
        (
            ClaimTag.objects.filter(claim__article=article, claim_id__in=tags_by_claim.keys())
            .order_by("added_at", "id")
            .values_list("claim_id", "tag__label", "tag__anonymous")
        )
        if claims
        else []
    )
    for claim_id, label, anonymous in rows:
        tags_by_claim[claim_id].append((label, anonymous))
    for claim in claims:
        claim.tag_items = tags_by_claim[claim.pk]
    return claims


def claim_with_details(*, claim: Claim) -> Claim:
    """Attach tags and replies for the card (2 queries)."""
    claim.tag_list = [ct.tag for ct in claim.claim_tags.select_related("tag").order_by("added_at")]
    claim.reply_list = list(
        Reply.objects.filter(claim=claim).select_related("author").order_by("created_at", "id")
    )
    return claim


def tags_with_counts(*, workspace_id: int, user):
    """The workspace's tags the user may see, most used first; `uses` counts only claims
    the user can see: the shared claims (a counter the database keeps) plus the user's own
    private ones (their PrivateTagUse row, one index probe per tag)."""
    private_uses = PrivateTagUse.objects.filter(tag=OuterRef("pk"), author=user).values("uses")
    return (
        SourceTag.objects.filter(workspace_id=workspace_id)
        .filter(visible_tags_q(user=user))
        .annotate(uses=F("shared_claim_count") + Coalesce(Subquery(private_uses[:1]), 0))
        .order_by("-uses", "label")
    )


def _tags_matching(tags, *, query: str):
    """Tags whose label, outlet or cited source contains `query` (any case)."""
    query = query.replace("\x00", "").strip()
    if not query:
        return tags
    return tags.filter(
        Q(label__icontains=query) | Q(outlet__icontains=query) | Q(cited__icontains=query)
    )


def tag_suggestions(
    *, workspace_id: int, user, query: str, limit: int = 8, exclude_id: int | None = None
) -> list[SourceTag]:
    tags = _tags_matching(tags_with_counts(workspace_id=workspace_id, user=user), query=query)
    if exclude_id is not None:
        tags = tags.exclude(pk=exclude_id)
    return list(tags[:limit])


TAGS_PER_PAGE = 50
# Most used first, then by label; the id makes the order a key (labels repeat across owners).
TAG_ORDER = [("uses", True), ("label", False), ("pk", False)]


def tag_page(*, workspace_id: int, user, query: str, params) -> KeysetPage:
    """One page of the Sources page: the tags `user` sees whose label, outlet or cited source
    contains `query`, most used first, from `?after=`/`?before=` (a tag's id).

    A keyset over (uses, label, id), never an OFFSET or a count: however many tags, a page is
    one query (two past the first), and it never reads claim tags (`uses` is the counter
    plus one index probe for the reader's private uses)."""
    tags = _tags_matching(tags_with_counts(workspace_id=workspace_id, user=user), query=query)
    return sorted_page(tags, order=TAG_ORDER, params=params, size=TAGS_PER_PAGE)


def manageable_tag_ids(
    *, workspace_id: int, user, role: str, tag_ids: Collection[int] | None = None
) -> set[int]:
    """Ids of the workspace's tags (of `tag_ids`, when given: one page) this member may
    rename, merge or mark anonymous."""
    tags = SourceTag.objects.filter(workspace_id=workspace_id)
    if tag_ids is not None:
        tags = tags.filter(pk__in=list(tag_ids))
    return set(
        tags.filter(visible_tags_q(user=user))
        .filter(manageable_tags_q(user=user, role=role))
        .values_list("pk", flat=True)
    )


def merge_target(*, source: SourceTag, user, label: str) -> SourceTag | None:
    """The tag `user` means by `label` as what to merge `source` into: one they can see in
    its workspace with that label (any case), not `source` itself; of two (the shared tag and
    their own private one), the one of the same kind as `source`. None when there is none."""
    label = label.replace("\x00", "").strip()
    if not label:
        return None
    candidates = list(
        tags_labelled(workspace_id=source.workspace_id, label=label)
        .filter(visible_tags_q(user=user))
        .exclude(pk=source.pk)
    )
    candidates.sort(key=lambda tag: tag.owner_id != source.owner_id)
    return candidates[0] if candidates else None


def tag_reach(*, tag: SourceTag, user) -> dict:
    """What a rename or merge of `tag` would touch, as this user can see it."""
    visible = Claim.objects.filter(claim_tags__tag=tag).filter(visible_claims_q(user=user))
    return {
        "claims": visible.count(),
        "others": visible.exclude(author=user).count(),
        "articles": visible.order_by().values("article_id").distinct().count(),
    }


def undoable_change(*, pk, user) -> TagChange | None:
    """The user's own rename or merge with this id, if it can still be undone."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return TagChange.objects.filter(
        pk=pk, actor=user, undone_at__isnull=True, tag__isnull=False
    ).first()


def workspace_outlets(*, workspace_id: int) -> list[str]:
    """Names the workspace already uses as media (its articles' outlets and its tags' outlets),
    so the tag parser reads them as outlets even when the gazetteer does not know them."""
    # The articles' outlets by skipping through their index (DISTINCT read every article:
    # 0.1 s at 100,000, on every new tag label).
    articles = article_outlets(workspace_id=workspace_id)
    tags = (
        SourceTag.objects.filter(workspace_id=workspace_id, owner__isnull=True)
        .exclude(outlet="")
        .order_by()
        .values_list("outlet", flat=True)
        .distinct()
    )
    return sorted(set(articles) | set(tags))


def tags_labelled(*, workspace_id: int, label: str):
    """The workspace's tags with this label, ignoring case as the unique constraints do (shared
    and private ones alike: callers narrow by owner)."""
    return SourceTag.objects.annotate(lower=Lower("label")).filter(
        workspace_id=workspace_id, lower=label.lower()
    )


_OPEN_SUGGESTIONS_SQL = """
SELECT s.*, r.id AS run_id
FROM annotations_suggestionrun r
LEFT JOIN annotations_suggestion s
    ON s.article_id = r.article_id AND s.text_version = r.text_version AND s.state = %s
WHERE r.article_id = %s AND r.text_version = %s
ORDER BY s.start, s."end", s.id
"""


def open_suggestions(*, article: Article) -> tuple[bool, list[Suggestion]]:
    """Whether suggestions were computed for the article's current text version, and the
    open ones in reading order: one query (the reading page counts them).

    None while a blind round is open (`blind_round_open`, set by the reading page): machine
    suggestions would nudge both annotators alike, and one accepting or dismissing a
    suggestion would show the other what they did."""
    if getattr(article, "blind_round_open", False):
        return False, []
    rows = list(
        Suggestion.objects.raw(
            _OPEN_SUGGESTIONS_SQL, [SuggestionState.OPEN, article.pk, article.text_version]
        )
    )
    # Computed with nothing open: the run's row, joined to no suggestion (id NULL).
    return bool(rows), [row for row in rows if row.pk is not None]


def suggestion_for_article(*, article: Article, pk: int) -> Suggestion | None:
    return Suggestion.objects.filter(article=article, pk=pk).first()


# ------------------------------------------------------------------------------ blind rounds


@dataclass(frozen=True)
class BlindState:
    """An article's blind round as one reader sees it (None: the article has none)."""

    blind_round: BlindRound
    annotators: list[BlindAnnotator]  # with .user, in the order they were assigned
    viewer: BlindAnnotator | None  # the reader's place in the round, if assigned

    @property
    def is_open(self) -> bool:
        return self.blind_round.revealed_at is None

    @property
    def done_count(self) -> int:
        return sum(1 for annotator in self.annotators if annotator.done_at is not None)


def blind_state(*, article_id: int, user) -> BlindState | None:
    # One query: a round always has two or more annotators.
    annotators = list(
        BlindAnnotator.objects.filter(round__article_id=article_id)
        .select_related("round", "user")
        .order_by("id")
    )
    if not annotators:
        return None
    blind_round = annotators[0].round
    viewer = next((a for a in annotators if a.user_id == user.pk), None)
    return BlindState(blind_round=blind_round, annotators=annotators, viewer=viewer)


def blind_candidates(*, workspace_id: int):
    """Who may be assigned: the workspace's owners and editors, by name."""
    return (
        Membership.objects.filter(workspace_id=workspace_id, role__in=WRITER_ROLES)
        .select_related("user")
        .order_by("user__username")
    )


# ------------------------------------------------------------------------------ agreement


def _first_tags(claim_ids: list[int]) -> dict[int, SourceTag]:
    """Each claim's first source tag (in the order tags were added)."""
    first: dict[int, SourceTag] = {}
    rows = (
        ClaimTag.objects.filter(claim_id__in=claim_ids)
        .select_related("tag")
        .order_by("claim_id", "added_at", "id")
    )
    for claim_tag in rows:
        first.setdefault(claim_tag.claim_id, claim_tag.tag)
    return first


def agreement_claims(*, workspace_id: int, article_id: int | None = None, user=None) -> list[Claim]:
    """The annotators' claims agreement is computed over: anchored, not private, not a
    curator's merged version; blind or not. With `user`, only those they may see (the report
    page: others' blind claims stay out until their round is revealed)."""
    claims = (
        Claim.objects.filter(workspace_id=workspace_id, anchor_status=AnchorStatus.ANCHORED)
        .exclude(visibility=Visibility.PRIVATE)
        .filter(curated_from__isnull=True)
        .select_related("author")
        .order_by("article_id", "start", "end", "id")
    )
    if article_id is not None:
        claims = claims.filter(article_id=article_id)
    if user is not None:
        claims = claims.filter(visible_claims_q(user=user))
    found = list(claims)
    first = _first_tags([claim.pk for claim in found])
    for claim in found:
        claim.first_tag = first.get(claim.pk)
    return found


def as_annotation(claim: Claim) -> agreement.Annotation:
    from .agreement import Annotation

    tag = getattr(claim, "first_tag", None)
    return Annotation(
        claim_id=claim.pk,
        coder=claim.author.get_username(),
        document=claim.article_id,
        start=claim.start,
        end=claim.end,
        outlet=None if tag is None else tag.outlet,
        cited=None if tag is None else tag.cited,
        anonymous=None if tag is None else tag.anonymous,
    )


def agreement_report(
    *, workspace_id: int, article_id: int | None = None, user=None, bootstrap: bool = False
) -> agreement.Report:
    from .agreement import agreement

    claims = agreement_claims(workspace_id=workspace_id, article_id=article_id, user=user)
    return agreement([as_annotation(c) for c in claims], bootstrap=bootstrap)


# ------------------------------------------------------------------------------ curation


@dataclass
class CurationGroup:
    """One matched span: the annotators' versions side by side, and curated versions of it
    a curator wrote (merged)."""

    versions: list[Claim]
    merged: list[Claim]

    @property
    def curated(self) -> Claim | None:
        return next((c for c in [*self.versions, *self.merged] if c.curated), None)

    @property
    def key(self) -> int:
        return min(claim.pk for claim in self.versions)


def curation_groups(*, article: Article, user) -> list[CurationGroup]:
    """The article's matched spans (items of two or more annotators) in reading order, each
    version with its tags; claims only one annotator made are not shown."""
    claims = agreement_claims(workspace_id=article.workspace_id, article_id=article.pk, user=user)
    by_id = {claim.pk: claim for claim in claims}
    from .agreement import build_items

    items = build_items([as_annotation(claim) for claim in claims])
    merged: dict[int, list[Claim]] = {}
    for claim in (
        Claim.objects.filter(article_id=article.pk, curated_from__isnull=False)
        .filter(visible_claims_q(user=user))
        .select_related("author")
        .order_by("id")
    ):
        if claim.curated_from_id is not None:
            merged.setdefault(claim.curated_from_id, []).append(claim)
    tags: dict[int, list[SourceTag]] = {}
    everything = [*by_id, *(c.pk for group in merged.values() for c in group)]
    for claim_tag in (
        ClaimTag.objects.filter(claim_id__in=everything)
        .select_related("tag")
        .order_by("added_at", "id")
    ):
        tags.setdefault(claim_tag.claim_id, []).append(claim_tag.tag)
    groups = []
    for item in items:
        versions = [by_id[annotation.claim_id] for annotation in item]
        extra = [m for version in versions for m in merged.get(version.pk, [])]
        for claim in [*versions, *extra]:
            claim.tag_list = tags.get(claim.pk, [])
        groups.append(CurationGroup(versions=versions, merged=extra))
    return groups
