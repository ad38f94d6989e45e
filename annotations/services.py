"""Writes for claims, source tags and replies. Callers have checked permissions (access.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from activity import services as activity_log
from activity.models import Activity, ActivityVerb
from articles.models import Article
from workspaces.models import WRITER_ROLES, Membership

from . import selectors
from .anchoring import AnchoringError, anchor, utf16_to_codepoint_offset
from .models import (
    MAX_NOTE_LENGTH,
    MAX_REPLY_LENGTH,
    BlindAnnotator,
    BlindRound,
    Claim,
    ClaimStatus,
    ClaimTag,
    PrivateTagUse,
    Reply,
    SourceTag,
    TagChange,
    TagChangeKind,
    Visibility,
)
from .signals import bulk_tag_change
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
    # Blind claims are their author's alone, like private ones, until their round is revealed.
    private = claim.visibility != Visibility.WORKSPACE and not everyone
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
        raise ClaimError(gettext("Offsets cannot be negative."))
    return utf16_to_codepoint_offset(text=text, offset=min(value, len(text) * 2))


def create_claim(**fields: Any) -> Claim:
    """`get_or_create_claim` for callers that only want the claim."""
    return get_or_create_claim(**fields)[0]


@transaction.atomic
def get_or_create_claim(
    *,
    article: Article,
    author,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start_utf16: int | None = None,
    end_utf16: int | None = None,
    visibility: str = Visibility.WORKSPACE,
) -> tuple[Claim, bool]:
    """Anchor the browser's selection on the stored text (never trusting it) and save it.

    Offsets from the browser are UTF-16 code units; stored offsets are code points. The same
    person highlighting the same passage again gets the claim they already have (and False),
    also when both requests arrive at once: the unique constraint decides, not a check.
    """
    if visibility not in Visibility.values:
        raise ClaimError(gettext("Visibility must be workspace or private."))
    visibility = _visibility_in_round(article_id=article.pk, author=author, wanted=visibility)
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
    span = {
        "article": article,
        "author": author,
        "text_version": article.text_version,
        "start": selector.start,
        "end": selector.end,
    }
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                **span,
                workspace_id=article.workspace_id,
                exact=selector.exact,
                prefix=selector.prefix,
                suffix=selector.suffix,
                visibility=visibility,
            )
    except IntegrityError:
        # A twin request committed first (the insert waited for it): answer with its claim.
        existing = Claim.objects.filter(**span).first()
        if existing is None:
            raise
        return existing, False
    record(
        claim=claim, actor=author, verb=ActivityVerb.CLAIM_CREATED, summary=_quote_summary(claim)
    )
    return claim, True


@transaction.atomic
def update_claim(
    *,
    claim: Claim,
    version: int,
    note: str | None = None,
    status: str | None = None,
    visibility: str | None = None,
) -> Claim:
    """Change note/status/visibility if nobody else changed the claim since `version`."""
    changes: dict[str, object] = {}
    tag_ids: list[int] = []
    if note is not None:
        note = note.replace("\r\n", "\n").strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise ClaimError(
                gettext("The note is too long (%(length)s characters; the limit is %(limit)s).")
                % {
                    "length": number_format(len(note), force_grouping=True),
                    "limit": number_format(MAX_NOTE_LENGTH, force_grouping=True),
                }
            )
        changes["note"] = note
    if status is not None:
        if status not in ClaimStatus.values:
            raise ClaimError(
                gettext("Unknown status %(status)r: choose one of %(statuses)s.")
                % {"status": status, "statuses": ", ".join(ClaimStatus.values)}
            )
        changes["status"] = status
    if visibility is not None:
        if visibility not in Visibility.values:
            raise ClaimError(gettext("Visibility must be workspace or private."))
        # Its tags may change owner (settle_claim_tags below): lock them before the claim
        # (and its article, which the blind round check locks).
        tag_ids = list(claim.claim_tags.values_list("tag_id", flat=True))
        _lock_tags(tag_ids=tag_ids)
        changes["visibility"] = _visibility_in_round(
            article_id=claim.article_id, author=claim.author, wanted=visibility
        )
    updated = Claim.objects.filter(pk=claim.pk, version=version).update(
        **changes, version=F("version") + 1, updated_at=Now()
    )
    if not updated:
        raise StaleEditError(
            gettext(
                "This claim was changed elsewhere (another tab or person) since you opened it. "
                "Your edit was not saved: reload the claim to see the latest version."
            )
        )
    was_private = claim.visibility != Visibility.WORKSPACE
    claim.refresh_from_db()
    now_private = claim.visibility != Visibility.WORKSPACE
    if was_private != now_private and tag_ids:
        settle_claim_tags(claim_tag_ids=tag_ids)
    if was_private and not now_private:
        record(
            claim=claim,
            actor=claim.author,
            verb=ActivityVerb.CLAIM_SHARED,
            summary=_quote_summary(claim),
        )
    elif now_private and not was_private:
        # What the log said of it while it was shared is now the author's alone.
        Activity.objects.filter(claim_id=claim.pk, visible_to__isnull=True).update(
            visible_to=claim.author_id
        )
        # Everyone must hear of it (the claim leaves their page), but learns nothing of it.
        record(claim=claim, actor=claim.author, verb=ActivityVerb.CLAIM_HIDDEN, everyone=True)
    else:
        record(
            claim=claim,
            actor=claim.author,
            verb=ActivityVerb.CLAIM_UPDATED,
            summary=_quote_summary(claim),
        )
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
    tag_ids = list(claim.claim_tags.values_list("tag_id", flat=True))
    _lock_tags(tag_ids=tag_ids)
    record(claim=claim, actor=actor, verb=verb, summary=summary)
    claim.delete()
    settle_claim_tags(claim_tag_ids=tag_ids)


def _bump_version(claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1, updated_at=Now())


# Lock order for tag writes, everywhere: source tags by id, then articles by id. Moving tags
# between claims bumps the revision of each article concerned (a trigger updates its row);
# without a fixed order two merges over the same articles deadlock.


def _lock_tags(*, tag_ids) -> dict[int, SourceTag]:
    """Lock these tags (FOR UPDATE, by id); a tag deleted meanwhile is simply missing."""
    tags = SourceTag.objects.select_for_update().filter(pk__in=list(tag_ids)).order_by("pk")
    return {tag.pk: tag for tag in tags}


def _lock_articles_of(*, tag_ids) -> None:
    """Lock the articles whose claims carry these tags, by id, before any trigger does."""
    articles = Claim.objects.filter(claim_tags__tag_id__in=list(tag_ids)).values("article_id")
    list(
        Article.objects.select_for_update(no_key=True)
        .filter(pk__in=articles)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _tags_labelled(*, workspace_id: int, label: str, owner_id: int | None):
    """The workspace's shared tags (owner_id None) or one person's private tags with this
    label, ignoring case (as the unique constraints do)."""
    tags = selectors.tags_labelled(workspace_id=workspace_id, label=label)
    return tags.filter(owner_id=owner_id) if owner_id else tags.filter(owner__isnull=True)


def _clean_label(label: str) -> str:
    try:
        return normalise_label(label=label)
    except SourceTagError as error:
        raise ClaimError(str(error)) from error


def _insert_tag(*, workspace_id: int, label: str, user, owner_id: int | None) -> None:
    """INSERT … ON CONFLICT DO NOTHING: whoever inserts the label first wins, nobody fails."""
    parsed = parse_source_tag(
        label=label, known_outlets=selectors.workspace_outlets(workspace_id=workspace_id)
    )
    SourceTag.objects.bulk_create(
        [
            SourceTag(
                workspace_id=workspace_id,
                label=label,
                outlet=parsed.outlet[:200],
                cited=parsed.cited[:200],
                anonymous=parsed.anonymous,
                created_by=user,
                owner_id=owner_id,
            )
        ],
        ignore_conflicts=True,
    )


def get_or_create_tag(*, workspace_id: int, label: str, user, private: bool = False) -> SourceTag:
    """The tag `user` means by `label`, locked until the transaction ends (so a concurrent
    merge cannot delete it under them).

    For a private claim their own private tag comes first, for a shared claim the shared
    one; never anyone else's private tag: typing a label someone uses only on private claims
    gets a separate tag, silently. Call inside a transaction.
    """
    label = _clean_label(label)
    preference = [user.pk, None] if private else [None, user.pk]
    for _ in range(3):
        for owner_id in preference:
            # Re-checked after waiting for the lock: a tag renamed or merged meanwhile is not it.
            tag = _tags_labelled(workspace_id=workspace_id, label=label, owner_id=owner_id)
            tag = tag.select_for_update().first()
            if tag is not None:
                return tag
        _insert_tag(workspace_id=workspace_id, label=label, user=user, owner_id=preference[0])
    raise ClaimError(gettext("This tag is being changed by someone else right now; try again."))


# A rename or merge of a tag on more claims than this leaves per-claim work of other apps
# (search documents) to a background job: see annotations.signals.bulk_tag_change.
BULK_TAG_LINKS = 1000


@contextmanager
def _bulk_tag_change(*, tag_ids: list[int]) -> Iterator[None]:
    """Around a change to every claim of busy tags (call inside the transaction): turns the
    transaction-local setting `sourcemark.bulk_tag_change` on for the change only (not for the
    rest of the transaction) and, once it commits, sends `bulk_tag_change`."""
    busy = ClaimTag.objects.filter(tag_id__in=tag_ids).count() > BULK_TAG_LINKS
    if not busy:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('sourcemark.bulk_tag_change', 'on', true)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('sourcemark.bulk_tag_change', 'off', true)")
    transaction.on_commit(lambda: bulk_tag_change.send(sender=SourceTag, tag_ids=list(tag_ids)))


def _move_claim_tags(*, source: SourceTag, target: SourceTag, claims=None) -> None:
    """Give target to the claims that carry source (all, or those in `claims`)."""
    moving = ClaimTag.objects.filter(tag=source)
    if claims is not None:
        moving = moving.filter(claim__in=claims)
    already = ClaimTag.objects.filter(tag=target).values("claim_id")
    moving.filter(claim_id__in=already).delete()
    moving.update(tag=target)


def _set_owner(*, tag: SourceTag, owner_id: int | None) -> SourceTag:
    """Make the tag shared or private; if that label is taken there, join the taken tag."""
    if tag.owner_id == owner_id:
        return tag
    try:
        with transaction.atomic():
            SourceTag.objects.filter(pk=tag.pk).update(owner_id=owner_id)
    except IntegrityError:
        taken = _tags_labelled(
            workspace_id=tag.workspace_id, label=tag.label, owner_id=owner_id
        ).get()
        _move_claim_tags(source=tag, target=taken)
        tag.delete()
        return taken
    tag.owner_id = owner_id
    return tag


def settle_tag_owner(*, tag: SourceTag) -> SourceTag:
    """Make the tag's owner follow where it is used (call with the tag locked).

    Used on a shared claim: the workspace's. Used only on one person's private claims:
    theirs. Used only on private claims of several people: one private tag each. Unused: as
    it was. Returns the tag that now stands for it (it may have joined an equal one).
    """
    uses = list(
        ClaimTag.objects.filter(tag=tag)
        .order_by()
        .values_list("claim__author_id", "claim__visibility")
        .distinct()
    )
    if any(visibility == Visibility.WORKSPACE for _, visibility in uses):
        return _set_owner(tag=tag, owner_id=None)
    authors = sorted({author_id for author_id, _ in uses})
    if not authors:
        return tag
    for author_id in authors[1:]:
        SourceTag.objects.bulk_create(
            [
                SourceTag(
                    workspace_id=tag.workspace_id,
                    label=tag.label,
                    outlet=tag.outlet,
                    cited=tag.cited,
                    anonymous=tag.anonymous,
                    anonymous_is_manual=tag.anonymous_is_manual,
                    created_by_id=author_id,
                    owner_id=author_id,
                )
            ],
            ignore_conflicts=True,  # they may have a private tag of that label already
        )
        own = _tags_labelled(
            workspace_id=tag.workspace_id, label=tag.label, owner_id=author_id
        ).get()
        _move_claim_tags(source=tag, target=own, claims=Claim.objects.filter(author_id=author_id))
    return _set_owner(tag=tag, owner_id=authors[0])


def settle_claim_tags(*, claim_tag_ids) -> None:
    """Settle the owners of these tags (after a claim changed visibility or went away)."""
    for tag in _lock_tags(tag_ids=claim_tag_ids).values():
        settle_tag_owner(tag=tag)


@transaction.atomic
def add_tag(*, claim: Claim, label: str, user) -> SourceTag:
    tag = get_or_create_tag(
        workspace_id=claim.workspace_id,
        label=label,
        user=user,
        private=claim.visibility != Visibility.WORKSPACE,
    )
    _, created = ClaimTag.objects.get_or_create(claim=claim, tag=tag, defaults={"added_by": user})
    if created:
        tag = settle_tag_owner(tag=tag)
        _bump_version(claim)
        record(claim=claim, actor=user, verb=ActivityVerb.TAG_ADDED, summary=tag.label)
    return tag


@transaction.atomic
def remove_tag(*, claim: Claim, tag_id: int, user=None) -> None:
    tag = _lock_tags(tag_ids=[tag_id]).get(tag_id)
    if tag is None:
        return
    deleted, _ = ClaimTag.objects.filter(claim=claim, tag=tag).delete()
    if deleted:
        settle_tag_owner(tag=tag)
        _bump_version(claim)
        record(
            claim=claim,
            actor=user or claim.author,
            verb=ActivityVerb.TAG_REMOVED,
            summary=tag.label,
        )


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ClaimError(gettext("Write something before sending a reply."))
    if len(body) > MAX_REPLY_LENGTH:
        raise ClaimError(
            gettext("The reply is too long (the limit is %(limit)s characters).")
            % {"limit": number_format(MAX_REPLY_LENGTH, force_grouping=True)}
        )
    return body


def _reply_summary(body: str) -> str:
    text = " ".join(body.split())
    return text[:117] + "…" if len(text) > 120 else text


@transaction.atomic
def add_reply(*, claim: Claim, author, body: str) -> Reply:
    reply = Reply.objects.create(claim=claim, author=author, body=_clean_body(body))
    record(
        claim=claim,
        actor=author,
        verb=ActivityVerb.REPLY_CREATED,
        summary=_reply_summary(reply.body),
    )
    return reply


@transaction.atomic
def update_reply(*, reply: Reply, body: str) -> Reply:
    reply.body = _clean_body(body)
    reply.save(update_fields=["body", "updated_at"])
    record(
        claim=reply.claim,
        actor=reply.author,
        verb=ActivityVerb.REPLY_UPDATED,
        summary=_reply_summary(reply.body),
    )
    return reply


@transaction.atomic
def delete_reply(*, reply: Reply) -> None:
    record(claim=reply.claim, actor=reply.author, verb=ActivityVerb.REPLY_DELETED)
    reply.delete()


def check_rename(*, tag: SourceTag, label: str) -> str:
    """The cleaned new label, or ClaimError. Only tags of the same kind clash: a shared tag
    with shared tags, a private one with its owner's. Nobody learns of others' private tags."""
    label = _clean_label(label)
    clash = (
        _tags_labelled(workspace_id=tag.workspace_id, label=label, owner_id=tag.owner_id)
        .exclude(pk=tag.pk)
        .first()
    )
    if clash is not None:
        raise ClaimError(
            gettext("A tag “%(label)s” already exists: merge the two instead.")
            % {"label": clash.label}
        )
    return label


def _snapshot(tag: SourceTag) -> dict:
    return {
        "id": tag.pk,
        "label": tag.label,
        "outlet": tag.outlet,
        "cited": tag.cited,
        "anonymous": tag.anonymous,
        "anonymous_is_manual": tag.anonymous_is_manual,
        "owner_id": tag.owner_id,
        "created_by_id": tag.created_by_id,
    }


def _relabel(*, tag: SourceTag, label: str) -> None:
    parsed = parse_source_tag(
        label=label, known_outlets=selectors.workspace_outlets(workspace_id=tag.workspace_id)
    )
    tag.label = label
    tag.outlet = parsed.outlet[:200]
    tag.cited = parsed.cited[:200]
    if not tag.anonymous_is_manual:
        tag.anonymous = parsed.anonymous
    try:
        with transaction.atomic():
            tag.save(update_fields=["label", "outlet", "cited", "anonymous"])
    except IntegrityError:  # the label was taken since check_rename looked
        raise ClaimError(
            gettext("A tag “%(label)s” already exists: merge the two instead.") % {"label": label}
        ) from None


@transaction.atomic
def rename_tag(*, tag: SourceTag, label: str, actor=None) -> SourceTag:
    """Rename a tag (all its claims follow); re-parse outlet/cited from the new label."""
    locked = _lock_tags(tag_ids=[tag.pk]).get(tag.pk)
    if locked is None:
        raise ClaimError(gettext("This tag was just merged into another one; reload."))
    tag = locked
    label = check_rename(tag=tag, label=label)
    _lock_articles_of(tag_ids=[tag.pk])
    before = _snapshot(tag)
    with _bulk_tag_change(tag_ids=[tag.pk]):
        _relabel(tag=tag, label=label)
    summary = f"{before['label']} → {tag.label}"
    _record_tag_change(tag=tag, actor=actor, verb=ActivityVerb.TAG_RENAMED, summary=summary)
    if actor is not None:
        tag.change = TagChange.objects.create(
            workspace_id=tag.workspace_id,
            actor=actor,
            kind=TagChangeKind.RENAME,
            tag=tag,
            summary=f"Renamed “{before['label']}” to “{tag.label}”",
            before=before | {"renamed_to": tag.label},
        )
    return tag


def _record_tag_change(*, tag: SourceTag, actor, verb: str, summary: str) -> None:
    """Tag changes touch every article with a claim tagged so: one event per such article."""
    articles = (
        Claim.objects.filter(claim_tags__tag=tag, visibility=Visibility.WORKSPACE)
        .order_by()  # the default ordering would make DISTINCT per claim, not per article
        .values_list("article_id", flat=True)
        .distinct()
    )
    rows = [
        Activity(
            workspace_id=tag.workspace_id,
            article_id=article_id,
            actor=actor,
            verb=verb,
            summary=summary,
        )
        for article_id in articles
    ]
    if not rows:
        # Not used on any shared claim: only whoever changed it hears of it.
        rows = [
            Activity(
                workspace_id=tag.workspace_id,
                actor=actor,
                verb=verb,
                summary=summary,
                visible_to=actor,
            )
        ]
    Activity.objects.bulk_create(rows)


@transaction.atomic
def merge_tags(*, source: SourceTag, target: SourceTag, actor=None) -> SourceTag:
    """Move every claim of `source` to `target` and delete `source`."""
    if source.pk == target.pk:
        raise ClaimError(gettext("Choose two different tags to merge."))
    if source.workspace_id != target.workspace_id:
        raise ClaimError(gettext("Tags of different workspaces cannot be merged."))
    locked = _lock_tags(tag_ids=[source.pk, target.pk])
    if len(locked) != 2:
        raise ClaimError(gettext("One of these tags was just merged or renamed elsewhere; reload."))
    source, target = locked[source.pk], locked[target.pk]
    _lock_articles_of(tag_ids=[source.pk, target.pk])
    _record_tag_change(
        tag=source,
        actor=actor,
        verb=ActivityVerb.TAG_MERGED,
        summary=f"{source.label} → {target.label}",
    )
    had_target = set(ClaimTag.objects.filter(tag=target).values_list("claim_id", flat=True))
    claims = [
        [claim_id, added_by_id, added_at.isoformat(), claim_id not in had_target]
        for claim_id, added_by_id, added_at in ClaimTag.objects.filter(tag=source)
        .order_by("pk")
        .values_list("claim_id", "added_by_id", "added_at")
    ]
    before = _snapshot(source)
    with _bulk_tag_change(tag_ids=[source.pk, target.pk]):
        _move_claim_tags(source=source, target=target)
    source.delete()
    target = settle_tag_owner(tag=target)
    if actor is not None:
        target.change = TagChange.objects.create(
            workspace_id=target.workspace_id,
            actor=actor,
            kind=TagChangeKind.MERGE,
            tag=target,
            summary=f"Merged “{before['label']}” into “{target.label}”",
            before=before,
            claims=claims,
        )
    return target


def _undo_rename(*, change: TagChange, tag: SourceTag) -> None:
    before = change.before
    if tag.label != before["renamed_to"]:
        raise ClaimError(
            gettext("“%(label)s” has been renamed again since; rename it by hand.")
            % {"label": tag.label}
        )
    label = check_rename(tag=tag, label=before["label"])
    _lock_articles_of(tag_ids=[tag.pk])
    with _bulk_tag_change(tag_ids=[tag.pk]):
        _relabel(tag=tag, label=label)
    _record_tag_change(
        tag=tag,
        actor=change.actor,
        verb=ActivityVerb.TAG_RENAMED,
        summary=f"{before['renamed_to']} → {tag.label} (undone)",
    )


def _undo_merge(*, change: TagChange, target: SourceTag) -> None:
    before = change.before
    owner_id = before["owner_id"]
    if _tags_labelled(
        workspace_id=target.workspace_id, label=before["label"], owner_id=owner_id
    ).exists():
        raise ClaimError(
            gettext("A tag “%(label)s” exists again; merge or rename by hand.")
            % {"label": before["label"]}
        )
    source = SourceTag.objects.create(
        pk=before["id"],
        workspace_id=target.workspace_id,
        label=before["label"],
        outlet=before["outlet"],
        cited=before["cited"],
        anonymous=before["anonymous"],
        anonymous_is_manual=before["anonymous_is_manual"],
        owner_id=owner_id,
        created_by_id=before["created_by_id"],
    )
    _lock_articles_of(tag_ids=[target.pk])
    existing = set(
        Claim.objects.filter(pk__in=[row[0] for row in change.claims]).values_list("pk", flat=True)
    )
    rows = [row for row in change.claims if row[0] in existing]
    moved = [claim_id for claim_id, _, _, was_moved in rows if was_moved]
    ClaimTag.objects.filter(tag=target, claim_id__in=moved).delete()
    ClaimTag.objects.bulk_create(
        [
            ClaimTag(claim_id=claim_id, tag=source, added_by_id=added_by_id)
            for claim_id, added_by_id, _, _ in rows
        ],
        ignore_conflicts=True,
    )
    for claim_id, _, added_at, _ in rows:  # keep the tags' order on each card
        ClaimTag.objects.filter(claim_id=claim_id, tag=source).update(added_at=added_at)
    source = settle_tag_owner(tag=source)
    settle_tag_owner(tag=target)
    _record_tag_change(
        tag=source,
        actor=change.actor,
        verb=ActivityVerb.TAG_UPDATED,
        summary=f"{source.label} split from {target.label} again (merge undone)",
    )


@transaction.atomic
def undo_tag_change(*, change: TagChange) -> TagChange:
    """Put a renamed or merged tag back as it was; only once, and only while the tag it
    changed still exists. Logged like the change itself."""
    change = TagChange.objects.select_for_update().get(pk=change.pk)
    if change.undone_at is not None:
        raise ClaimError(gettext("This change has already been undone."))
    tag = _lock_tags(tag_ids=[change.tag_id]).get(change.tag_id) if change.tag_id else None
    if tag is None:
        raise ClaimError(
            gettext("The tag has been merged or removed since: this cannot be undone.")
        )
    if change.kind == TagChangeKind.RENAME:
        _undo_rename(change=change, tag=tag)
    else:
        _undo_merge(change=change, target=tag)
    change.undone_at = timezone.now()
    change.save(update_fields=["undone_at"])
    return change


@transaction.atomic
def set_tag_anonymous(*, tag: SourceTag, anonymous: bool, actor=None) -> SourceTag:
    tag = SourceTag.objects.select_for_update().get(pk=tag.pk)
    _lock_articles_of(tag_ids=[tag.pk])
    tag.anonymous = anonymous
    tag.anonymous_is_manual = True
    tag.save(update_fields=["anonymous", "anonymous_is_manual"])
    state = "anonymous" if anonymous else "named"
    _record_tag_change(
        tag=tag,
        actor=actor,
        verb=ActivityVerb.TAG_UPDATED,
        summary=f"{tag.label}: cited source marked {state}",
    )
    return tag


@transaction.atomic
def recount_tag_uses(*, workspace_id: int | None = None) -> None:
    """Set the tag use counters (SourceTag.shared_claim_count, PrivateTagUse) from the claim
    tags, as migration 0009 did. The triggers keep them from then on; this is for data
    loaded with triggers off (bulk loads, `session_replication_role = replica`)."""
    tags = SourceTag.objects.all()
    if workspace_id is not None:
        tags = tags.filter(workspace_id=workspace_id)
    tag_ids = tags.values("pk")
    PrivateTagUse.objects.filter(tag_id__in=tag_ids).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE annotations_sourcetag t SET shared_claim_count = COALESCE((
                SELECT count(*) FROM annotations_claimtag ct
                JOIN annotations_claim c ON c.id = ct.claim_id
                WHERE ct.tag_id = t.id AND c.visibility = 'workspace'), 0)
            WHERE true AND (%(ws)s::bigint IS NULL OR t.workspace_id = %(ws)s::bigint)
            """,
            {"ws": workspace_id},
        )
        cursor.execute(
            """
            INSERT INTO annotations_privatetaguse (tag_id, author_id, uses)
            SELECT ct.tag_id, c.author_id, count(*) FROM annotations_claimtag ct
            JOIN annotations_claim c ON c.id = ct.claim_id
            JOIN annotations_sourcetag t ON t.id = ct.tag_id
            WHERE c.visibility <> 'workspace'
              AND (%(ws)s::bigint IS NULL OR t.workspace_id = %(ws)s::bigint)
            GROUP BY ct.tag_id, c.author_id
            """,
            {"ws": workspace_id},
        )


# ------------------------------------------------------------------------------ blind rounds


def _visibility_in_round(*, article_id: int, author, wanted: str) -> str:
    """The visibility a claim on this article gets: while its blind round is open, what
    would be shared is written blind (its author's alone until the round is revealed), and
    only the round's annotators write there at all.

    Locks the article row first (a claim insert's trigger updates it anyway), then the round,
    so a round cannot start or be revealed between this check and the insert.
    """
    list(Article.objects.select_for_update(no_key=True).filter(pk=article_id).values("pk"))
    blind_round = (
        BlindRound.objects.select_for_update(no_key=True)
        .filter(article_id=article_id, revealed_at__isnull=True)
        .first()
    )
    if blind_round is None:
        return wanted
    if not BlindAnnotator.objects.filter(round=blind_round, user_id=author.pk).exists():
        raise ClaimError(
            gettext(
                "This article is being annotated blind: claims can be added here once every "
                "assigned annotator is done."
            )
        )
    return Visibility.BLIND if wanted == Visibility.WORKSPACE else wanted


@transaction.atomic
def start_blind_round(*, article: Article, owner, annotator_ids: list[int]) -> BlindRound:
    """Assign the article to two or more annotators (owners or editors of its workspace), in
    blind mode. Only an article without shared claims can start one: annotators must not
    see anyone's claims on it."""
    list(Article.objects.select_for_update(no_key=True).filter(pk=article.pk).values("pk"))
    ids = sorted(set(annotator_ids))
    if len(ids) < 2:
        raise ClaimError(gettext("Choose at least two annotators."))
    writers = Membership.objects.filter(
        workspace_id=article.workspace_id, user_id__in=ids, role__in=WRITER_ROLES
    )
    if writers.count() != len(ids):
        raise ClaimError(gettext("Annotators must be owners or editors of this workspace."))
    if BlindRound.objects.filter(article_id=article.pk).exists():
        raise ClaimError(gettext("This article already has a blind round."))
    if Claim.objects.filter(article_id=article.pk, visibility=Visibility.WORKSPACE).exists():
        raise ClaimError(
            gettext(
                "This article already has shared claims: blind annotation starts on an "
                "article nobody has annotated for the workspace yet."
            )
        )
    blind_round = BlindRound.objects.create(
        article=article, workspace_id=article.workspace_id, created_by=owner
    )
    BlindAnnotator.objects.bulk_create(
        [BlindAnnotator(round=blind_round, user_id=user_id) for user_id in ids]
    )
    # The cached reading page changes (no suggestions while the round is open).
    Article.objects.filter(pk=article.pk).update(render_version=F("render_version") + 1)
    return blind_round


def _blind_tag_ids(*, article_id: int) -> list[int]:
    return list(
        ClaimTag.objects.filter(
            claim__article_id=article_id, claim__visibility=Visibility.BLIND
        ).values_list("tag_id", flat=True)
    )


@transaction.atomic
def mark_done(*, blind_round: BlindRound, user, done: bool = True) -> BlindRound:
    """An annotator says they are done (or, before the reveal, not yet). The last one to be
    done reveals the round: every blind claim on the article becomes a workspace claim.

    Lock order as everywhere: the tags the reveal may settle, then the article, then the
    round (claim creation takes article, then round).
    """
    _lock_tags(tag_ids=_blind_tag_ids(article_id=blind_round.article_id))
    list(
        Article.objects.select_for_update(no_key=True)
        .filter(pk=blind_round.article_id)
        .values("pk")
    )
    blind_round = BlindRound.objects.select_for_update().get(pk=blind_round.pk)
    if blind_round.revealed_at is not None:
        raise ClaimError(gettext("This blind round is over: everyone's claims are shown."))
    updated = BlindAnnotator.objects.filter(round=blind_round, user_id=user.pk).update(
        done_at=timezone.now() if done else None
    )
    if not updated:
        raise ClaimError(gettext("You are not an annotator of this blind round."))
    if done and not BlindAnnotator.objects.filter(round=blind_round, done_at__isnull=True).exists():
        _reveal(blind_round=blind_round)
    return blind_round


def _reveal(*, blind_round: BlindRound) -> None:
    """Share every blind claim of the round, in reading order, so the numbering trigger
    (migration 0013) gives them the article's next numbers in that order."""
    claims = list(
        Claim.objects.filter(article_id=blind_round.article_id, visibility=Visibility.BLIND)
        .select_related("author")
        .order_by("anchor_status", "start", "end", "id")
    )
    tag_ids = _blind_tag_ids(article_id=blind_round.article_id)
    for claim in claims:
        Claim.objects.filter(pk=claim.pk).update(
            visibility=Visibility.WORKSPACE, version=F("version") + 1, updated_at=Now()
        )
        claim.visibility = Visibility.WORKSPACE
    settle_claim_tags(claim_tag_ids=tag_ids)
    blind_round.revealed_at = timezone.now()
    blind_round.save(update_fields=["revealed_at"])
    for claim in claims:
        # Every member's page and live stream hears of each claim, as when one is shared.
        record(
            claim=claim,
            actor=claim.author,
            verb=ActivityVerb.CLAIM_SHARED,
            summary=_quote_summary(claim),
        )


# ------------------------------------------------------------------------------ curation


@transaction.atomic
def adopt_version(*, claim: Claim, group: list[Claim], curator) -> Claim:
    """Make `claim` the curated version of its matched span: flagged `curated`, the other
    versions of the same span (`group`) no longer. Annotators' claims are never changed
    otherwise, so agreement figures stay as they were."""
    others = [other.pk for other in group if other.pk != claim.pk]
    Claim.objects.filter(pk__in=others, curated=True).update(
        curated=False, version=F("version") + 1, updated_at=Now()
    )
    Claim.objects.filter(pk=claim.pk).update(
        curated=True, version=F("version") + 1, updated_at=Now()
    )
    claim.refresh_from_db()
    record(
        claim=claim, actor=curator, verb=ActivityVerb.CLAIM_UPDATED, summary=_quote_summary(claim)
    )
    return claim


@transaction.atomic
def write_merged_version(
    *,
    base: Claim,
    group: list[Claim],
    curator,
    labels: list[str],
    status: str,
    note: str = "",
) -> Claim:
    """A curator's own version of a matched span: `base`'s passage with the tags, status and
    note chosen, written as a shared claim of the curator flagged `curated` (and linked to
    `base`); the other versions of the span lose the flag."""
    if status not in ClaimStatus.values:
        raise ClaimError(gettext("Choose a status."))
    note = note.replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ClaimError(gettext("The note is too long."))
    Claim.objects.filter(pk__in=[c.pk for c in group], curated=True).update(
        curated=False, version=F("version") + 1, updated_at=Now()
    )
    merged = Claim.objects.create(
        article_id=base.article_id,
        workspace_id=base.workspace_id,
        author=curator,
        exact=base.exact,
        prefix=base.prefix,
        suffix=base.suffix,
        start=base.start,
        end=base.end,
        text_version=base.text_version,
        status=status,
        note=note,
        visibility=Visibility.WORKSPACE,
        curated=True,
        curated_from=base,
    )
    record(
        claim=merged,
        actor=curator,
        verb=ActivityVerb.CLAIM_CREATED,
        summary=_quote_summary(merged),
    )
    for label in labels:
        add_tag(claim=merged, label=label, user=curator)
    merged.refresh_from_db()
    return merged
