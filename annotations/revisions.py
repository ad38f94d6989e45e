"""Claims follow a new revision of their article's text (see annotations.reanchoring).

``move_claims`` is connected to ``articles.signals.article_text_changed`` (AnnotationsConfig.ready)
and runs inside the transaction that made the revision: either the new text and every claim's
new place commit together, or neither does. Nothing is deleted: a claim whose sentence is gone
becomes an orphan with its tags, note, status and replies, and its last text.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from activity.models import ActivityVerb

from . import selectors
from .anchoring import AnchoringError, anchor, utf16_to_codepoint_offset
from .models import CLAIM_PLACEMENT_FIELDS, AnchorStatus, Claim
from .reanchoring import OldAnchor, Placement, reanchor
from .services import record


def _keep_original(claim: Claim) -> None:
    """The first re-anchoring keeps the selectors as first highlighted."""
    if claim.original_text_version is None:
        claim.original_exact = claim.exact
        claim.original_prefix = claim.prefix
        claim.original_suffix = claim.suffix
        claim.original_start = claim.start
        claim.original_end = claim.end
        claim.original_text_version = claim.text_version


def _apply(*, claim: Claim, placement: Placement, text_version: int, now) -> None:
    _keep_original(claim)
    if placement.selector is None:
        claim.anchor_status = AnchorStatus.ORPHANED
        claim.text_changed_at = now
        return
    selector = placement.selector
    claim.exact, claim.prefix, claim.suffix = selector.exact, selector.prefix, selector.suffix
    claim.start, claim.end = selector.start, selector.end
    claim.text_version = text_version
    if placement.text_changed:
        claim.text_changed_at = now


def move_claims(*, article, revision, old_text: str, new_text: str, **_kwargs) -> dict[str, int]:
    """Re-anchor every anchored claim of the article on the new text; count the outcome."""
    claims = list(
        Claim.objects.select_for_update()
        .filter(article_id=article.pk, anchor_status=AnchorStatus.ANCHORED)
        .order_by("id")
    )
    placements = reanchor(
        old_text=old_text,
        new_text=new_text,
        anchors=[OldAnchor(c.pk, c.exact, c.prefix, c.suffix, c.start, c.end) for c in claims],
    )
    now = timezone.now()
    for claim, placement in zip(claims, placements, strict=True):
        _apply(claim=claim, placement=placement, text_version=revision.number, now=now)
    Claim.objects.bulk_update(claims, CLAIM_PLACEMENT_FIELDS, batch_size=500)
    orphans = Claim.objects.filter(
        article_id=article.pk, anchor_status=AnchorStatus.ORPHANED
    ).count()
    total = Claim.objects.filter(article_id=article.pk).count()
    return {"reanchored": total - orphans, "orphaned": orphans}


def on_article_text_changed(sender, **kwargs) -> dict[str, int]:
    return move_claims(**kwargs)


class ReattachError(ValueError):
    """The selection cannot take the orphan (shown to the user as it is)."""


def _offset(value: int | None, *, text: str) -> int | None:
    if value is None or value < 0:
        return None
    try:
        return utf16_to_codepoint_offset(text=text, offset=min(value, len(text) * 2))
    except AnchoringError:
        return None


@transaction.atomic
def reattach_claim(
    *,
    claim: Claim,
    actor,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start_utf16: int | None = None,
    end_utf16: int | None = None,
) -> Claim:
    """Put an orphan (or any claim) on newly selected text of the article's current revision.

    The selection is validated like a new claim's (the browser is never trusted); tags, note,
    status and replies stay with the claim.
    """
    article = claim.article
    text = selectors.article_canonical_text(article=article)
    try:
        selector = anchor(
            text=text,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            start=_offset(start_utf16, text=text),
            end=_offset(end_utf16, text=text),
        )
    except AnchoringError as error:
        raise ReattachError(str(error)) from error
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _keep_original(claim)
    claim.exact, claim.prefix, claim.suffix = selector.exact, selector.prefix, selector.suffix
    claim.start, claim.end = selector.start, selector.end
    claim.text_version = article.text_version
    claim.anchor_status = AnchorStatus.ANCHORED
    claim.text_changed_at = timezone.now()
    claim.version += 1
    claim.save(update_fields=[*CLAIM_PLACEMENT_FIELDS, "version", "updated_at"])
    record(
        claim=claim,
        actor=actor,
        verb=ActivityVerb.CLAIM_UPDATED,
        summary=f"re-attached: {' '.join(selector.exact.split())[:80]}",
    )
    return claim
