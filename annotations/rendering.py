"""Claim marks inside block text, for the reading page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from articles.models import Block

from .anchoring import MarkSpan, render_blocks_html
from .models import Claim, ClaimStatus, Suggestion, Visibility

ANNOTATOR_COLOURS = 8


def annotators(*, claims: Sequence[Claim]) -> list[tuple[str, int, int]]:
    """(username, claim count, colour number) per annotator, most claims first.

    The first eight annotators get a colour (1-8, a colour-blind-safe palette in CSS), the
    rest share 0 (grey). Colours are an extra: names, numbers and underline styles carry
    the same information.
    """
    counts: dict[str, int] = {}
    for claim in claims:
        name = claim.author.get_username()
        counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        (name, count, index if index <= ANNOTATOR_COLOURS else 0)
        for index, (name, count) in enumerate(ranked, start=1)
    ]


def claim_numbers(*, claims: Sequence[Claim]) -> dict[int, int]:
    """Each claim's number as shown: its stable article number (Claim.number). A blind claim
    has none until its round is revealed; its author (the only one who sees it) gets it
    numbered after the highest number on their page, in the order they wrote them, so the
    numbers they see say nothing of other annotators' claims. Claims bulk-loaded without the
    numbering trigger are numbered the same way."""
    numbers = {claim.pk: claim.number for claim in claims if claim.number is not None}
    following = max(numbers.values(), default=0)
    for claim in sorted((c for c in claims if c.number is None), key=lambda c: c.pk):
        following += 1
        numbers[claim.pk] = following
    return numbers


_SUGGESTION_OPEN_TAG = '<mark data-annotation-id="-'


def claim_marks_html(
    *, blocks: Sequence[Block], claims: Sequence[Claim], suggestions: Sequence[Suggestion] = ()
) -> list[str]:
    """Each block's escaped text with nested <mark data-annotation-id> for every claim piece.

    Claims are numbered in reading order; marks carry the number and status so they are told
    apart by underline style and number, not by colour alone, and are keyboard-focusable.
    Suggestions (for writers) become <mark class="suggestion-mark" data-suggestion-id>: they
    are laid out with the claims (so tags nest) under negative ids, then renamed.
    """
    labels = {-suggestion.pk: suggestion.proposed_label for suggestion in suggestions}
    numbers = claim_numbers(claims=claims)
    statuses = {claim.pk: claim.status for claim in claims}
    authors = {claim.pk: claim.author.get_username() for claim in claims}
    colours = {name: colour for name, _, colour in annotators(claims=claims)}

    def attrs(annotation_id: int) -> dict[str, str]:
        if annotation_id < 0:
            return {"class": "suggestion-mark"}
        return {
            "class": f"claim-mark--{statuses[annotation_id]}",
            "data-a": str(colours[authors[annotation_id]]),
        }

    def first_piece_attrs(annotation_id: int) -> dict[str, str]:
        if annotation_id < 0:
            return {
                "tabindex": "0",
                "data-suggestion-first": "",
                "title": gettext("Suggested claim: %(label)s") % {"label": labels[annotation_id]},
            }
        number = numbers[annotation_id]
        return {
            "tabindex": "0",
            "data-claim-number": str(number),
            "title": gettext("Claim %(number)s (%(status)s) by %(author)s")
            % {
                "number": number,
                "status": ClaimStatus(statuses[annotation_id]).label,
                "author": authors[annotation_id],
            },
        }

    spans = [MarkSpan(annotation_id=claim.pk, start=claim.start, end=claim.end) for claim in claims]
    spans += [
        MarkSpan(annotation_id=-suggestion.pk, start=suggestion.start, end=suggestion.end)
        for suggestion in suggestions
    ]
    texts = render_blocks_html(
        block_texts=[block.text for block in blocks],
        spans=spans,
        mark_attrs=attrs,
        first_mark_attrs=first_piece_attrs,
    )
    if not suggestions:
        return texts
    # Block text is escaped ("<" never survives), so only our own tags match.
    return [text.replace(_SUGGESTION_OPEN_TAG, '<mark data-suggestion-id="') for text in texts]


QUOTE_PREVIEW_LENGTH = 110


def _preview(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_PK_PLACEHOLDER = 2_147_483_647


def claim_url_builder() -> Callable[[int], str]:
    """Claim page URLs for many claims: reverse() once (it took ~0.07 ms a claim, 30 ms for a
    500-claim panel), then the id put in its place."""
    pattern = reverse("annotations:detail", args=[_PK_PLACEHOLDER])
    before, _, after = pattern.partition(str(_PK_PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"


def claim_panel_html(*, claims: Sequence[Claim]) -> SafeString:
    """The panel's list items, built in Python: with hundreds of claims the template engine
    spent ~1 ms per item (bench/claims.py). Every user-provided string is escaped."""
    items = []
    numbers = claim_numbers(claims=claims)
    claim_url = claim_url_builder()
    for claim in claims:
        number = numbers[claim.pk]
        url = claim_url(claim.pk)
        tags = "".join(
            f'<span class="tag-chip{" tag-chip--anonymous" if anonymous else ""}">'
            f"{escape(label)}</span>"
            for label, anonymous in claim.tag_items
        )
        # "|label|label|" so a filter can look for "|label|" without partial matches.
        tag_keys = "|" + "|".join(label for label, _ in claim.tag_items) + "|"
        extras = [escape(claim.author.get_username())]
        replies = getattr(claim, "reply_count", 0)
        if replies:
            extras.append(
                ngettext("%(count)s reply", "%(count)s replies", replies) % {"count": replies}
            )
        if claim.visibility == Visibility.PRIVATE:
            extras.append(escape(gettext("private")))
        elif claim.visibility == Visibility.BLIND:
            extras.append(escape(gettext("blind")))
        if claim.curated:
            extras.append(escape(gettext("curated")))
        items.append(
            f'<li class="claim-item claim-item--{claim.status}" data-claim-id="{claim.pk}" '
            f'data-author="{escape(claim.author.get_username())}" data-status="{claim.status}" '
            f'data-tags="{escape(tag_keys)}">'
            f'<a class="claim-link" href="{url}">'
            f'<span class="claim-number" aria-hidden="true">{number}</span>'
            f'<span class="claim-quote">{escape(_preview(claim.exact, QUOTE_PREVIEW_LENGTH))}'
            f"</span></a>"
            f'<p class="claim-meta"><span class="status-badge status-badge--{claim.status}">'
            f"{escape(str(ClaimStatus(claim.status).label))}</span>{tags}"
            f'<span class="muted">· {" · ".join(extras)}</span></p></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 - every piece above is escaped


def orphan_list_html(*, claims: Sequence[Claim]) -> SafeString:
    """The 'Orphans' list: claims whose sentence a new revision removed, with their last
    text, tags and status; each opens its card (where it can be re-attached)."""
    items = []
    claim_url = claim_url_builder()
    for claim in claims:
        url = claim_url(claim.pk)
        tags = "".join(
            f'<span class="tag-chip{" tag-chip--anonymous" if anonymous else ""}">'
            f"{escape(label)}</span>"
            for label, anonymous in claim.tag_items
        )
        items.append(
            f'<li class="claim-item claim-item--orphan claim-item--{claim.status}" '
            f'data-claim-id="{claim.pk}" data-orphan>'
            f'<a class="claim-link" href="{url}">'
            f'<span class="claim-quote">{escape(_preview(claim.exact, QUOTE_PREVIEW_LENGTH))}'
            f"</span></a>"
            f'<p class="claim-meta"><span class="status-badge status-badge--{claim.status}">'
            f"{ClaimStatus(claim.status).label}</span>{tags}"
            f'<span class="muted">· {escape(claim.author.get_username())}</span></p></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
