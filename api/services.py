"""Writes of the API app: personal tokens (create, revoke, note their use, count writes) and the
IRIs kept with a posted annotation."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from annotations import selectors as claim_selectors
from annotations import services as claim_services
from annotations.anchoring import codepoint_to_utf16_offset
from annotations.models import Claim, ClaimStatus, ClaimTag
from annotations.services import ClaimError
from articles.models import Article

from .models import MAX_TOKEN_NAME_LENGTH, TOKEN_PREFIX, AnnotationIdentity, ApiToken
from .w3c import AnnotationInput

# A token's last use is written at most this often (a busy script must not write on every call).
LAST_USED_RESOLUTION = timedelta(minutes=1)
RATE_WINDOW = timedelta(minutes=1)


class TokenError(ValueError):
    """Bad input for a token (shown to the person as it is)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token: shown once, never stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, user, name: str, read_only: bool = False) -> NewToken:
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(gettext("Give the token a name (what will use it, e.g. “notebook”)."))
    if len(name) > MAX_TOKEN_NAME_LENGTH:
        raise TokenError(
            gettext("The name is too long (at most %(limit)s characters).")
            % {"limit": MAX_TOKEN_NAME_LENGTH}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        hint=secret[:8],
        read_only=read_only,
    )
    return NewToken(token=token, secret=secret)


def revoke_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def note_use(*, token: ApiToken) -> None:
    """Set last_used_at, unless it was set less than a minute ago (one UPDATE, often none)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now


_COUNT_WRITE_SQL = """
    UPDATE api_apitoken
    SET window_writes = CASE WHEN window_started_at > now() - %(window)s
                             THEN window_writes + 1 ELSE 1 END,
        window_started_at = CASE WHEN window_started_at > now() - %(window)s
                                 THEN window_started_at ELSE now() END
    WHERE id = %(token)s
    RETURNING window_writes,
              GREATEST(0, EXTRACT(EPOCH FROM window_started_at + %(window)s - now()))
"""


def count_write(*, token: ApiToken) -> tuple[int, int]:
    """Count one write in the token's current one-minute window, atomically (one UPDATE, so
    concurrent requests cannot both see room for one more). Returns (writes in this window,
    seconds until the window ends)."""
    params: dict[str, Any] = {"window": RATE_WINDOW, "token": token.pk}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_COUNT_WRITE_SQL, params)
        writes, seconds_left = cursor.fetchone()
    return int(writes), int(seconds_left) + 1


def keep_identity(*, claim: Claim, canonical: str, via: list[str]) -> None:
    """Remember a posted annotation's `canonical` and `via` IRIs (nothing to keep: no row)."""
    if canonical or via:
        AnnotationIdentity.objects.update_or_create(
            claim=claim, defaults={"canonical": canonical, "via": via}
        )


# ------------------------------------------------------------------ annotations


class PreconditionFailed(Exception):
    """If-Match names a version of the annotation that is no longer current (HTTP 412)."""


def _utf16(value: int | None, *, text: str) -> int | None:
    """A code-point offset as the UTF-16 offset the claim service takes (clamped to the text;
    the quote decides where a claim goes, the position only picks among repeats)."""
    if value is None:
        return None
    return codepoint_to_utf16_offset(text=text, offset=min(value, len(text)))


@transaction.atomic
def create_annotation(*, article: Article, user, data: AnnotationInput) -> Claim:
    """A claim from a posted annotation, anchored as the browser's highlighter anchors it; its
    tags, note and status through the same services as the claim card (one transaction: a
    bad tag leaves no half-made claim behind)."""
    text = claim_selectors.article_canonical_text(article=article)
    claim, created = claim_services.get_or_create_claim(
        article=article,
        author=user,
        exact=data.exact,
        prefix=data.prefix,
        suffix=data.suffix,
        start_utf16=_utf16(data.start, text=text),
        end_utf16=_utf16(data.end, text=text),
    )
    if not created:
        # One claim per person and passage: a second POST must not look like a new one.
        raise ClaimError(gettext("You have already highlighted this passage."))
    if data.note or data.status:
        claim = claim_services.update_claim(
            claim=claim, version=claim.version, note=data.note or None, status=data.status
        )
    for label in data.tags:
        claim_services.add_tag(claim=claim, label=label, user=user)
    keep_identity(
        claim=claim, canonical=data.canonical, via=[*data.via, *([data.id] if data.id else [])]
    )
    claim.refresh_from_db()
    return claim


def _same_target(*, claim: Claim, data: AnnotationInput) -> bool:
    if data.exact != claim.exact:
        return False
    return data.start is None or (data.start, data.end) == (claim.start, claim.end)


def _check_unchanged_iris(*, claim: Claim, data: AnnotationInput, own_iri: str) -> None:
    if data.id and data.id != own_iri:
        raise ClaimError(
            gettext("id must be this annotation's IRI, %(own_iri)s (or left out).")
            % {"own_iri": own_iri}
        )
    identity = AnnotationIdentity.objects.filter(claim=claim).first()
    canonical = identity.canonical if identity else ""
    via = list(identity.via) if identity else []
    if canonical and data.canonical != canonical:
        raise ClaimError(gettext("canonical cannot change once set."))
    if via and list(data.via) != via:
        raise ClaimError(gettext("via cannot change once set."))
    keep_identity(claim=claim, canonical=canonical or data.canonical, via=via or list(data.via))


def _replace_tags(*, claim: Claim, labels: tuple[str, ...], user) -> None:
    wanted = {label.strip().lower(): label for label in labels}
    current = {
        link.tag.label.lower(): link.tag_id
        for link in ClaimTag.objects.filter(claim=claim).select_related("tag")
    }
    for lowered, tag_id in current.items():
        if lowered not in wanted:
            claim_services.remove_tag(claim=claim, tag_id=tag_id, user=user)
    for lowered, label in wanted.items():
        if lowered not in current:
            claim_services.add_tag(claim=claim, label=label, user=user)


def lock_current(*, claim: Claim, if_match: str, current_etag: Callable[[], str]) -> Claim:
    """Lock the claim's row and check If-Match against its current representation (inside the
    caller's transaction, so nobody changes it between the check and the write)."""
    locked = Claim.objects.select_for_update().get(pk=claim.pk)
    tags = [tag.strip() for tag in if_match.split(",")]
    if "*" not in tags and current_etag() not in tags:
        raise PreconditionFailed("The annotation changed since this ETag was read.")
    return locked


@transaction.atomic
def replace_annotation(
    *,
    claim: Claim,
    user,
    data: AnnotationInput,
    if_match: str,
    own_iri: str,
    current_etag: Callable[[], str],
) -> Claim:
    """PUT: the annotation's new state. The target cannot move (create another claim for
    another passage); note, status and tags become what the annotation says."""
    claim = lock_current(claim=claim, if_match=if_match, current_etag=current_etag)
    if not _same_target(claim=claim, data=data):
        raise ClaimError(
            "A claim's target cannot change: create a new annotation for another "
            "passage and delete this one."
        )
    _check_unchanged_iris(claim=claim, data=data, own_iri=own_iri)
    status = data.status or ClaimStatus.UNVERIFIED
    if (data.note, status) != (claim.note, claim.status):
        claim = claim_services.update_claim(
            claim=claim, version=claim.version, note=data.note, status=status
        )
    _replace_tags(claim=claim, labels=data.tags, user=user)
    claim.refresh_from_db()
    return claim


@transaction.atomic
def delete_annotation(
    *, claim: Claim, user, if_match: str, current_etag: Callable[[], str]
) -> None:
    if if_match:
        claim = lock_current(claim=claim, if_match=if_match, current_etag=current_etag)
    claim_services.delete_claim(claim=claim, actor=user)
