"""The reading page's heavy parts (blocks with claim marks, claim panel), cached per revision.

With hundreds of overlapping claims the marks are most of the page (~650 KB for 500 claims).
Every write that changes what the page shows bumps `Article.render_version` in a database trigger
(annotations/migrations/0002), so the cache key (article, revision, role, and the reader when
they have private claims here) can never serve a stale page. The two big parts are kept as
UTF-8 bytes in a per-process LRU and spliced into the rendered template, so a cached view costs
about as much as a small page plus one copy of those bytes (bench/claims.py).
The CSRF token is per session: cached HTML holds a placeholder, filled in per request.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from annotations.models import AnchorStatus, ClaimStatus
from annotations.rendering import (
    annotators,
    claim_marks_html,
    claim_panel_html,
    orphan_list_html,
)
from annotations.selectors import (
    block_starts_utf16,
    claims_for_article,
    open_suggestions,
)
from articles.models import Article
from articles.rendering import KindFormContext, block_html
from articles.selectors import blocks_for_reading

# Random per process, so no article text or username can contain it (the CSRF token is
# filled in per request where this stands in the cached HTML).
CSRF_PLACEHOLDER = "csrf-" + secrets.token_hex(16)
BLOCKS_MARKER = "<!--sourcemark:blocks-->"
PANEL_MARKER = "<!--sourcemark:panel-->"
SUGGESTIONS_MARKER = "<!--sourcemark:suggestions-->"
ORPHANS_MARKER = "<!--sourcemark:orphans-->"
MAX_ENTRIES = 64  # a page with 500 claims is ~650 KB


@dataclass(frozen=True)
class ReadingParts:
    blocks: bytes
    block_offsets: dict[int, tuple[int, int]]  # block id → its slice of `blocks`
    panel: bytes
    annotators: list[tuple[str, int, int]]  # (username, claims, colour number)
    tag_labels: list[str]
    statuses: list[tuple[str, str]]
    block_count: int
    claim_count: int
    first_block_kind: str
    suggestions: bytes = b""  # the writers' "Suggestions" panel (empty for readers)
    # Claims whose sentence a new revision removed: listed apart, with their last text.
    orphans_html: bytes = b""
    orphan_count: int = 0


class _LRU:
    """A small thread-safe in-process LRU (no pickling, unlike Django's local-memory cache)."""

    def __init__(self, max_entries: int) -> None:
        self._items: OrderedDict[str, ReadingParts] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: str) -> ReadingParts | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: ReadingParts) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = _LRU(MAX_ENTRIES)


def _build(*, article: Article, user, can_write: bool, shared_only: bool) -> ReadingParts:
    blocks = blocks_for_reading(article=article)
    # The shared copy is built from shared claims only, so a private claim committed between
    # the revision read and this build can never end up in what others are served.
    every_claim = claims_for_article(
        article=article, user=user, shared_only=shared_only, anchor_status=None
    )
    claims = [c for c in every_claim if c.anchor_status == AnchorStatus.ANCHORED]
    orphans = [c for c in every_claim if c.anchor_status == AnchorStatus.ORPHANED]
    forms = None
    if can_write:
        forms = KindFormContext(article_pk=article.pk, csrf_token=CSRF_PLACEHOLDER)
    computed, suggestions = open_suggestions(article=article) if can_write else (False, [])
    texts = claim_marks_html(blocks=blocks, claims=claims, suggestions=suggestions)
    starts = block_starts_utf16(blocks=blocks)
    pieces, offsets, position = [], {}, 0
    for block, text_html, start in zip(blocks, texts, starts, strict=True):
        piece = str(
            block_html(
                block=block,
                text_html=text_html,
                forms=forms,
                start_utf16=start,
                language=article.language,
            )
        ).encode()
        offsets[block.pk] = (position, position + len(piece))
        pieces.append(piece)
        position += len(piece) + 1
    return ReadingParts(
        blocks=b"\n".join(pieces),
        block_offsets=offsets,
        panel=str(claim_panel_html(claims=claims)).encode(),
        annotators=annotators(claims=claims),
        tag_labels=sorted(
            {label for claim in claims for label, _ in claim.tag_items}, key=str.casefold
        ),
        statuses=[
            (value, str(label))
            for value, label in ClaimStatus.choices
            if any(claim.status == value for claim in claims)
        ],
        block_count=len(blocks),
        claim_count=len(claims),
        first_block_kind=blocks[0].kind if blocks else "",
        suggestions=_suggestions_panel(article=article, computed=computed, suggestions=suggestions)
        if can_write
        else b"",
        orphans_html=str(orphan_list_html(claims=orphans)).encode(),
        orphan_count=len(orphans),
    )


def _suggestions_panel(*, article: Article, computed: bool, suggestions: list) -> bytes:
    """Open suggestions grouped by proposed source tag (groups in reading order)."""
    groups: dict[str, list] = {}
    for suggestion in suggestions:
        groups.setdefault(suggestion.proposed_label, []).append(suggestion)
    context = {
        "article": article,
        "computed": computed,
        "groups": list(groups.items()),
        "suggestion_count": len(suggestions),
        "csrf_token": CSRF_PLACEHOLDER,
    }
    return render_to_string("annotations/suggestions_panel.html", context).encode()


def reading_parts(*, article: Article, user, can_write: bool) -> ReadingParts:
    # Private claims make the page personal; everyone else shares one cached copy.
    audience = f"user{user.pk}" if article.viewer_has_private_claims else "shared"
    # Labels (block kinds, statuses) are in the reader's interface language.
    key = f"{article.pk}:{article.render_version}:{int(can_write)}:{audience}:{get_language()}"
    parts = cache.get(key)
    if parts is None:
        parts = _build(
            article=article, user=user, can_write=can_write, shared_only=audience == "shared"
        )
        cache.set(key, parts)
    return parts


def block_with_marks(*, request: HttpRequest, article: Article, block_pk: int) -> bytes:
    """One block as the reading page shows it (claim marks, offsets, kind form), for the htmx
    answer to a kind change: the page's cached copy is rebuilt for the new revision."""
    parts = reading_parts(article=article, user=request.user, can_write=True)
    start, end = parts.block_offsets[block_pk]
    return parts.blocks[start:end].replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())


def render_reading_page(
    request: HttpRequest, *, article: Article, can_write: bool, context: dict, fragment: str
) -> HttpResponse:
    """The reading page, or one of its htmx fragments ("blocks", "panel")."""
    parts = reading_parts(article=article, user=request.user, can_write=can_write)
    token = get_token(request).encode()
    blocks = parts.blocks.replace(CSRF_PLACEHOLDER.encode(), token) if can_write else parts.blocks
    if fragment == "blocks":
        return HttpResponse(blocks)
    suggestions = parts.suggestions.replace(CSRF_PLACEHOLDER.encode(), token)
    context = {
        **context,
        "blocks_html": mark_safe(BLOCKS_MARKER),  # noqa: S308 - a constant
        "claim_panel_html": mark_safe(PANEL_MARKER),  # noqa: S308 - a constant
        "suggestions_html": mark_safe(SUGGESTIONS_MARKER),  # noqa: S308 - a constant
        "block_count": parts.block_count,
        "claim_count": parts.claim_count,
        "first_block_kind": parts.first_block_kind,
        "annotators": parts.annotators,
        "tag_labels": parts.tag_labels,
        "statuses": parts.statuses,
        "orphan_count": parts.orphan_count,
        "orphans_html": mark_safe(ORPHANS_MARKER),  # noqa: S308 - a constant
    }
    template = "articles/article_detail.html"
    if fragment in ("panel", "suggestions"):
        template += f"#{fragment}"
    rendered = render_to_string(template, context, request=request)
    spliced = {
        BLOCKS_MARKER: blocks,
        PANEL_MARKER: parts.panel,
        SUGGESTIONS_MARKER: suggestions,
        ORPHANS_MARKER: parts.orphans_html,
    }
    return HttpResponse(_splice(rendered, spliced))


def _splice(rendered: str, parts: dict[str, bytes]) -> bytes:
    """Encode the rendered template, putting each cached part where its marker is."""
    pieces: list[bytes] = []
    rest = rendered
    # In the order the markers stand in the page (each is looked for after the one before).
    for marker, content in sorted(parts.items(), key=lambda part: rendered.find(part[0])):
        before, found, after = rest.partition(marker)
        if not found:
            continue
        pieces += [before.encode(), content]
        rest = after
    pieces.append(rest.encode())
    return b"".join(pieces)
