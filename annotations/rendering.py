"""Claim marks inside block text, for the reading page."""

from __future__ import annotations

from collections.abc import Sequence

from articles.models import Block

from .anchoring import MarkSpan, render_blocks_html
from .models import Claim


def claim_marks_html(*, blocks: Sequence[Block], claims: Sequence[Claim]) -> list[str]:
    """Each block's escaped text with nested <mark data-annotation-id> for every claim piece.

    Claims are numbered in reading order; marks carry the number and status so they are told
    apart by underline style and number, not by colour alone, and are keyboard-focusable.
    """
    numbers = {claim.pk: index for index, claim in enumerate(claims, start=1)}
    statuses = {claim.pk: claim.status for claim in claims}
    authors = {claim.pk: claim.author.get_username() for claim in claims}

    def attrs(annotation_id: int) -> dict[str, str]:
        number = numbers[annotation_id]
        status = statuses[annotation_id]
        return {
            "class": f"claim-mark claim-mark--{status}",
            "tabindex": "0",
            "data-claim-number": str(number),
            "title": f"Claim {number} ({status}) by {authors[annotation_id]}",
        }

    spans = [MarkSpan(annotation_id=claim.pk, start=claim.start, end=claim.end) for claim in claims]
    return render_blocks_html(
        block_texts=[block.text for block in blocks], spans=spans, mark_attrs=attrs
    )
