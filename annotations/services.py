"""Writes for claims, source tags and replies. Callers have checked permissions (access.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower, Now

from activity import services as activity_log
from activity.models import Activity, ActivityVerb
from articles.models import Article

from . import selectors
from .anchoring import AnchoringError, anchor, utf16_to_codepoint_offset
from .models import (
    MAX_NOTE_LENGTH,
    MAX_REPLY_LENGTH,
    Claim,
    ClaimStatus,
    ClaimTag,
    Reply,
    SourceTag,
    Visibility,
)
from .source_tags import SourceTagError, normalise_label, parse_source_tag


class ClaimError(ValueError):
    """Bad input for a claim; the message is shown to the user as it is (HTTP 400)."""


class StaleEditError(ClaimError):
    """Someone changed the claim since this edit started (HTTP 409)."""


def _quote_summary(claim: Claim) -> str:
    quote = " ".join(claim.exact.split())
    return f"“{quote[:117]}…”" if len(quote) > 120 else f"“{quote}”"


def record(
    *, claim: Claim, actor, verb: str, summary: str = "", everyone: bool = False
) -> Activity:
    """Log a change to a claim; events about a private claim are visible to its author only.

    `everyone` marks events every member must get even for a now-private claim (so it can
    vanish from their page); such events carry no claim content.
    """
    private = claim.visibility == Visibility.PRIVATE and not everyone
    return activity_log.record(
        workspace_id=claim.workspace_id,
        article_id=claim.article_id,
        actor=actor,
        verb=verb,
        claim_id=claim.pk,
        visible_to_id=claim.author_id if private else None,
        summary="" if everyone else summary,
    )


def _offset(value: int | None, *, text: str) -> int | None:
    if value is None:
        return None
    if value < 0:
        raise ClaimError("Offsets cannot be negative.")
    return utf16_to_codepoint_offset(text=text, offset=min(value, len(text) * 2))


@transaction.atomic
def create_claim(
    *,
    article: Article,
    author,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start_utf16: int | None = None,
    end_utf16: int | None = None,
    visibility: str = Visibility.WORKSPACE,
) -> Claim:
    """Anchor the browser's selection on the stored text (never trusting it) and save it.

    Offsets from the browser are UTF-16 code units; stored offsets are code points.
    """
    if visibility not in Visibility.values:
        raise ClaimError("Visibility must be workspace or private.")
    text = selectors.article_canonical_text(article=article)
    try:
        selector = anchor(
            text=text,
            exact=exact or "",
            prefix=prefix or "",
            suffix=suffix or "",
            start=_offset(start_utf16, text=text),
            end=_offset(end_utf16, text=text),
        )
    except AnchoringError as error:
        raise ClaimError(str(error)) from error
    if Claim.objects.filter(
        article=article, author=author, start=selector.start, end=selector.end
    ).exists():
        raise ClaimError("You have already highlighted exactly this passage as a claim.")
    claim = Claim.objects.create(
        article=article,
        workspace_id=article.workspace_id,
        author=author,
        exact=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        start=selector.start,
        end=selector.end,
        text_version=article.text_version,
        visibility=visibility,
    )
    record(claim=claim, actor=author, verb=ActivityVerb.CLAIM_CREATED,
           summary=_quote_summary(claim))
    return claim


@transaction.atomic
def update_claim(
    *, claim: Claim, version: int, note: str | None = None, status: str | None = None,
    visibility: str | None = None,
) -> Claim:
    """Change note/status/visibility if nobody else changed the claim since `version`."""
    changes: dict[str, object] = {}
    if note is not None:
        note = note.replace("\r\n", "\n").strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise ClaimError(f"The note is too long ({len(note):,} characters; the limit is "
                             f"{MAX_NOTE_LENGTH:,}).")
        changes["note"] = note
    if status is not None:
        if status not in ClaimStatus.values:
            raise ClaimError(
                f"Unknown status {status!r}: choose one of {', '.join(ClaimStatus.values)}."
            )
        changes["status"] = status
    if visibility is not None:
        if visibility not in Visibility.values:
            raise ClaimError("Visibility must be workspace or private.")
        changes["visibility"] = visibility
    updated = Claim.objects.filter(pk=claim.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=Now()
    )
    if not updated:
        raise StaleEditError(
            "This claim was changed elsewhere (another tab or person) since you opened it. "
            "Your edit was not saved: reload the claim to see the latest version."
        )
    was_private = claim.visibility == Visibility.PRIVATE
    claim.refresh_from_db()
    now_private = claim.visibility == Visibility.PRIVATE
    if was_private and not now_private:
        record(claim=claim, actor=claim.author, verb=ActivityVerb.CLAIM_SHARED,
               summary=_quote_summary(claim))
    elif now_private and not was_private:
        # What the log said of it while it was shared is now the author's alone.
        Activity.objects.filter(claim_id=claim.pk, visible_to__isnull=True).update(
            visible_to=claim.author_id
        )
        # Everyone must hear of it (the claim leaves their page), but learns nothing of it.
        record(claim=claim, actor=claim.author, verb=ActivityVerb.CLAIM_HIDDEN, everyone=True)
    else:
        record(claim=claim, actor=claim.author, verb=ActivityVerb.CLAIM_UPDATED,
               summary=_quote_summary(claim))
    return claim


@transaction.atomic
def delete_claim(*, claim: Claim, actor=None) -> None:
    """Delete a claim; when someone other than its author does it, it is moderation."""
    actor = actor or claim.author
    moderated = actor.pk != claim.author_id
    verb = ActivityVerb.CLAIM_MODERATED if moderated else ActivityVerb.CLAIM_DELETED
    summary = _quote_summary(claim)
    if moderated:
        summary = f"{summary} by {claim.author.get_username()}"
    record(claim=claim, actor=actor, verb=verb, summary=summary)
    claim.delete()


def _bump_version(claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1, updated_at=Now())


def _tags_labelled(*, workspace_id: int, label: str):
    """Tags of a workspace with this label, ignoring case (as the unique constraint does)."""
    return SourceTag.objects.annotate(lower=Lower("label")).filter(
        workspace_id=workspace_id, lower=label.lower()
    )


def get_or_create_tag(*, workspace_id: int, label: str, user) -> SourceTag:
    try:
        label = normalise_label(label=label)
    except SourceTagError as error:
        raise ClaimError(str(error)) from error
    existing = _tags_labelled(workspace_id=workspace_id, label=label).first()
    if existing is not None:
        return existing
    parsed = parse_source_tag(label=label)
    try:
        with transaction.atomic():
            return SourceTag.objects.create(
                workspace_id=workspace_id,
                label=label,
                outlet=parsed.outlet[:200],
                cited=parsed.cited[:200],
                anonymous=parsed.anonymous,
                created_by=user,
            )
    except IntegrityError:  # created concurrently by someone else: use theirs
        return _tags_labelled(workspace_id=workspace_id, label=label).get()


@transaction.atomic
def add_tag(*, claim: Claim, label: str, user) -> SourceTag:
    tag = get_or_create_tag(workspace_id=claim.workspace_id, label=label, user=user)
    _, created = ClaimTag.objects.get_or_create(claim=claim, tag=tag, defaults={"added_by": user})
    if created:
        _bump_version(claim)
        record(claim=claim, actor=user, verb=ActivityVerb.TAG_ADDED, summary=tag.label)
    return tag


@transaction.atomic
def remove_tag(*, claim: Claim, tag_id: int, user=None) -> None:
    label = SourceTag.objects.filter(pk=tag_id).values_list("label", flat=True).first() or ""
    deleted, _ = ClaimTag.objects.filter(claim=claim, tag_id=tag_id).delete()
    if deleted:
        _bump_version(claim)
        record(claim=claim, actor=user or claim.author, verb=ActivityVerb.TAG_REMOVED,
               summary=label)


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ClaimError("Write something before sending a reply.")
    if len(body) > MAX_REPLY_LENGTH:
        raise ClaimError(f"The reply is too long (the limit is {MAX_REPLY_LENGTH:,} characters).")
    return body


def _reply_summary(body: str) -> str:
    text = " ".join(body.split())
    return text[:117] + "…" if len(text) > 120 else text


@transaction.atomic
def add_reply(*, claim: Claim, author, body: str) -> Reply:
    reply = Reply.objects.create(claim=claim, author=author, body=_clean_body(body))
    record(claim=claim, actor=author, verb=ActivityVerb.REPLY_CREATED,
           summary=_reply_summary(reply.body))
    return reply


@transaction.atomic
def update_reply(*, reply: Reply, body: str) -> Reply:
    reply.body = _clean_body(body)
    reply.save(update_fields=["body", "updated_at"])
    record(claim=reply.claim, actor=reply.author, verb=ActivityVerb.REPLY_UPDATED,
           summary=_reply_summary(reply.body))
    return reply


@transaction.atomic
def delete_reply(*, reply: Reply) -> None:
    record(claim=reply.claim, actor=reply.author, verb=ActivityVerb.REPLY_DELETED)
    reply.delete()


@transaction.atomic
def rename_tag(*, tag: SourceTag, label: str, actor=None) -> SourceTag:
    """Rename a tag (all its claims follow); re-parse outlet/cited from the new label."""
    try:
        label = normalise_label(label=label)
    except SourceTagError as error:
        raise ClaimError(str(error)) from error
    clash = (
        _tags_labelled(workspace_id=tag.workspace_id, label=label).exclude(pk=tag.pk).first()
    )
    if clash is not None:
        raise ClaimError(f"A tag “{clash.label}” already exists: merge the two instead.")
    parsed = parse_source_tag(label=label)
    tag = SourceTag.objects.select_for_update().filter(pk=tag.pk).first()
    if tag is None:
        raise ClaimError("This tag was just merged into another one; reload.")
    old_label = tag.label
    tag.label = label
    tag.outlet = parsed.outlet[:200]
    tag.cited = parsed.cited[:200]
    if not tag.anonymous_is_manual:
        tag.anonymous = parsed.anonymous
    try:
        with transaction.atomic():
            tag.save(update_fields=["label", "outlet", "cited", "anonymous"])
    except IntegrityError:
        raise ClaimError(f"A tag “{label}” already exists: merge the two instead.") from None
    _record_tag_change(tag=tag, actor=actor, verb=ActivityVerb.TAG_RENAMED,
                       summary=f"{old_label} → {tag.label}")
    return tag


def _record_tag_change(*, tag: SourceTag, actor, verb: str, summary: str) -> None:
    """Tag changes touch every article with a claim tagged so: one event per such article."""
    articles = (
        Claim.objects.filter(claim_tags__tag=tag, visibility=Visibility.WORKSPACE)
        .order_by()  # the default ordering would make DISTINCT per claim, not per article
        .values_list("article_id", flat=True).distinct()
    )
    rows = [
        Activity(workspace_id=tag.workspace_id, article_id=article_id, actor=actor, verb=verb,
                 summary=summary)
        for article_id in articles
    ]
    if not rows:
        # Not used on any shared claim: only whoever changed it hears of it.
        rows = [Activity(workspace_id=tag.workspace_id, actor=actor, verb=verb, summary=summary,
                         visible_to=actor)]
    Activity.objects.bulk_create(rows)


@transaction.atomic
def merge_tags(*, source: SourceTag, target: SourceTag, actor=None) -> SourceTag:
    """Move every claim of `source` to `target` and delete `source`."""
    if source.pk == target.pk:
        raise ClaimError("Choose two different tags to merge.")
    if source.workspace_id != target.workspace_id:
        raise ClaimError("Tags of different workspaces cannot be merged.")
    # Lock both (in id order, so two opposite merges cannot deadlock) and re-check they exist.
    locked = {
        tag.pk: tag
        for tag in SourceTag.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ClaimError("One of these tags was just merged or renamed elsewhere; reload.")
    source, target = locked[source.pk], locked[target.pk]
    _record_tag_change(tag=source, actor=actor, verb=ActivityVerb.TAG_MERGED,
                       summary=f"{source.label} → {target.label}")
    already = ClaimTag.objects.filter(tag=target).values("claim_id")
    ClaimTag.objects.filter(tag=source, claim_id__in=already).delete()
    ClaimTag.objects.filter(tag=source).update(tag=target)
    source.delete()
    return target


@transaction.atomic
def set_tag_anonymous(*, tag: SourceTag, anonymous: bool, actor=None) -> SourceTag:
    tag = SourceTag.objects.select_for_update().get(pk=tag.pk)
    tag.anonymous = anonymous
    tag.anonymous_is_manual = True
    tag.save(update_fields=["anonymous", "anonymous_is_manual"])
    state = "anonymous" if anonymous else "named"
    _record_tag_change(tag=tag, actor=actor, verb=ActivityVerb.TAG_UPDATED,
                       summary=f"{tag.label}: cited source marked {state}")
    return tag
