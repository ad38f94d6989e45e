"""Suggested claims: computing them per text version, accepting and dismissing them (writes).

Suggestions come from the attribution rules (``annotations.attribution``) run on the
article's canonical text. They are computed once per (article, text_version) and stored;
`compute_suggestions(article_id=...)` is what a background job calls after an import, the
"Suggest claims" button calls it too. Callers have checked permissions (access.py).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from activity import services as activity_log
from activity.models import ActivityVerb
from articles.models import Article

from . import selectors, services
from .access import visible_claims_q
from .anchoring import codepoint_to_utf16_offset
from .attribution import LANGUAGES, suggest
from .models import Claim, Suggestion, SuggestionRun, SuggestionState
from .source_tags import MAX_TAG_LENGTH

# How a proposed tag reads, in the article's language ("<outlet> citing <cited>"); the
# source-tag parser reads both back into the same outlet and cited source.
CONNECTORS = {"en": "citing", "de": "unter Berufung auf"}


def proposed_label(*, outlet: str, cited: str, language: str) -> str:
    """The source tag a suggestion proposes: outlet and cited source in the text's words."""
    outlet, cited = " ".join(outlet.split()), " ".join(cited.split())
    if outlet and cited:
        label = f"{outlet} {CONNECTORS.get(language, CONNECTORS['en'])} {cited}"
    else:
        label = outlet or cited
    return label.replace(";", ",")[:MAX_TAG_LENGTH]


_INSERT_RUN = """
INSERT INTO annotations_suggestionrun (article_id, text_version, computed_at)
VALUES (%s, %s, now()) ON CONFLICT DO NOTHING RETURNING id
"""


def _log(*, article: Article, actor, verb: str, summary: str) -> None:
    """Tell other readers' pages (live stream) that suggestion marks changed."""
    activity_log.record(
        workspace_id=article.workspace_id,
        article_id=article.pk,
        actor=actor,
        verb=verb,
        summary=summary,
    )


def _found(*, article: Article) -> list[Suggestion]:
    """What the rules find in the article's text, as unsaved rows (only those with a source)."""
    text = selectors.article_canonical_text(article=article)
    language = article.language if article.language in LANGUAGES else "en"
    return [
        Suggestion(
            article_id=article.pk,
            text_version=article.text_version,
            start=found.start,
            end=found.end,
            quote=found.quote,
            cue=found.cue[:200],
            cue_start=found.cue_start,
            cue_end=found.cue_end,
            outlet=found.outlet[:200],
            cited=found.cited[:200],
            anonymous=found.anonymous,
            proposed_label=proposed_label(
                outlet=found.outlet, cited=found.cited, language=language
            ),
        )
        for found in suggest(text=text, language=language)
        if found.start < found.end and (found.outlet.strip() or found.cited.strip())
    ]


def compute_suggestions(*, article_id: int, actor=None) -> int:
    """Compute and store the suggestions for the article's current text version, once.

    Returns how many were stored (0 when they had been computed before). Two calls at once
    are safe: the run row's unique constraint lets one of them store its rows. The rules run
    (about a second for a long article) before any lock is taken. With an `actor` (someone
    pressed "Suggest claims") the change is logged so other readers' pages refresh.
    """
    article = (
        Article.objects.filter(pk=article_id)
        .only("id", "workspace_id", "language", "text_version")
        .first()
    )
    if (
        article is None
        or SuggestionRun.objects.filter(article=article, text_version=article.text_version).exists()
    ):
        return 0
    rows = _found(article=article)
    with transaction.atomic():
        current = (
            Article.objects.filter(pk=article.pk)
            .select_for_update(no_key=True)
            .values_list("text_version", flat=True)
            .first()
        )
        if current != article.text_version:
            return 0  # the text changed meanwhile: the new version gets its own run
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_RUN, [article.pk, article.text_version])
            if cursor.fetchone() is None:
                return 0
        created = len(Suggestion.objects.bulk_create(rows, ignore_conflicts=True))
        if actor is not None and created:
            _log(
                article=article,
                actor=actor,
                verb=ActivityVerb.SUGGESTIONS_FOUND,
                summary=f"{created} suggested claim{'s' if created != 1 else ''}",
            )
        return created


def _existing_claim(*, suggestion: Suggestion, user) -> Claim | None:
    """A claim on exactly this passage that the user can see, their own first."""
    same_span = Claim.objects.filter(
        article_id=suggestion.article_id,
        text_version=suggestion.text_version,
        start=suggestion.start,
        end=suggestion.end,
    ).filter(visible_claims_q(user=user))
    return same_span.filter(author=user).first() or same_span.order_by("id").first()


def _lock_open(*, suggestion: Suggestion) -> Suggestion | None:
    return (
        Suggestion.objects.select_for_update()
        .filter(pk=suggestion.pk, state=SuggestionState.OPEN)
        .first()
    )


@transaction.atomic
def accept_suggestion(*, suggestion: Suggestion, user, label: str = "") -> Claim:
    """Make the suggestion a claim with its proposed tag (or `label`, the person's edit).

    Never a second claim on the same passage: the user's claim there gets the tag, or, when
    someone else's shared claim covers exactly this passage, that claim stands for it (only
    its author may tag it). Raises ClaimError (bad label, text changed meanwhile).
    """
    locked = _lock_open(suggestion=suggestion)
    if locked is None:
        # Accepted already (a double click): the claim it became, if this user may see it.
        decided = Suggestion.objects.filter(pk=suggestion.pk).values_list("claim_id", flat=True)
        claim = Claim.objects.filter(pk__in=decided).filter(visible_claims_q(user=user)).first()
        if claim is None:
            raise services.ClaimError(gettext("This suggestion was already decided."))
        return claim
    article = Article.objects.get(pk=locked.article_id)
    if article.text_version != locked.text_version:
        raise services.ClaimError(gettext("The article text changed since this was suggested."))
    label = label.strip() or locked.proposed_label
    claim = _existing_claim(suggestion=locked, user=user)
    if claim is None or claim.author_id == user.pk:
        text = selectors.article_canonical_text(article=article)
        claim, _ = services.get_or_create_claim(
            article=article,
            author=user,
            exact=locked.quote,
            start_utf16=codepoint_to_utf16_offset(text=text, offset=locked.start),
            end_utf16=codepoint_to_utf16_offset(text=text, offset=locked.end),
        )
        services.add_tag(claim=claim, label=label, user=user)
    else:
        # Someone else's claim stands for it: no claim event tells others the mark went.
        _log(article=article, actor=user, verb=ActivityVerb.SUGGESTION_ACCEPTED, summary=label)
    locked.state, locked.claim = SuggestionState.ACCEPTED, claim
    locked.decided_by, locked.decided_at = user, timezone.now()
    locked.save(update_fields=["state", "claim", "decided_by", "decided_at"])
    return claim


@transaction.atomic
def dismiss_suggestion(*, suggestion: Suggestion, user) -> bool:
    """Dismiss it for this text version; False when it was already decided."""
    dismissed = Suggestion.objects.filter(pk=suggestion.pk, state=SuggestionState.OPEN).update(
        state=SuggestionState.DISMISSED, decided_by=user, decided_at=timezone.now()
    )
    if dismissed:
        article = Article.objects.only("id", "workspace_id").get(pk=suggestion.article_id)
        _log(
            article=article,
            actor=user,
            verb=ActivityVerb.SUGGESTION_DISMISSED,
            summary=suggestion.proposed_label,
        )
    return bool(dismissed)


def _open_for_label(*, article: Article, label: str):
    return Suggestion.objects.filter(
        Q(article=article, text_version=article.text_version, state=SuggestionState.OPEN),
        proposed_label=label,
    ).order_by("start", "end")


def accept_all(*, article: Article, label: str, user) -> list[Claim]:
    """Accept every open suggestion proposing this source tag (each in its own transaction,
    so one that fails, e.g. decided meanwhile, leaves the others accepted)."""
    claims = []
    for suggestion in _open_for_label(article=article, label=label):
        try:
            claims.append(accept_suggestion(suggestion=suggestion, user=user))
        except services.ClaimError:
            continue
    return claims


@transaction.atomic
def dismiss_all(*, article: Article, label: str, user) -> int:
    dismissed = _open_for_label(article=article, label=label).update(
        state=SuggestionState.DISMISSED, decided_by=user, decided_at=timezone.now()
    )
    if dismissed:
        _log(
            article=article,
            actor=user,
            verb=ActivityVerb.SUGGESTION_DISMISSED,
            summary=f"{dismissed} from {label}",
        )
    return dismissed
