"""Who may see and change which claim, tag and reply. Not yours (or not visible) → 404."""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.http import Http404
from psycopg import sql

from articles.access import article_for_reader, article_for_writer
from articles.models import Article
from workspaces.models import WRITER_ROLES, Membership, Role

from .models import (
    BlindAnnotator,
    BlindRound,
    Claim,
    ClaimTag,
    PrivateTagUse,
    Reply,
    SourceTag,
    Suggestion,
    TagChange,
    Visibility,
)


def visible_claims_q(*, user, prefix: str = "") -> Q:
    """Claims a user may see: shared with the workspace, or their own.

    This is the one visibility rule; every path reads claims through it (or, in raw SQL,
    through `visible_claims_sql`, the same condition). A claim not shared with the workspace
    is its author's alone: a private claim, and a blind claim (Visibility.BLIND, written
    during an open blind round). Blind claims become workspace claims when the round is
    revealed (services.mark_done), in one transaction, so "owners see everything only once
    every assigned annotator is done" holds on every path at once, and the counters kept by
    triggers (shared tag counts, claim numbers) ignore blind claims until then.
    """
    return Q(**{f"{prefix}visibility": Visibility.WORKSPACE}) | Q(**{f"{prefix}author": user})


def visible_claims_sql(*, viewer_id: int | None, alias: str = "c") -> tuple[sql.Composable, dict]:
    """`visible_claims_q` as an SQL condition on claims `alias` (for the COPY export and the
    API); `viewer_id=None`: shared claims only."""
    shared = sql.SQL("{}.visibility = %(shared_visibility)s").format(sql.Identifier(alias))
    params: dict[str, object] = {"shared_visibility": Visibility.WORKSPACE.value}
    if viewer_id is None:
        return shared, params
    condition = sql.SQL("({} OR {}.author_id = %(viewer)s)").format(shared, sql.Identifier(alias))
    return condition, params | {"viewer": viewer_id}


def visible_tags_q(*, user) -> Q:
    """Source tags a user may see: their own private tags, and shared tags used on a claim
    they can see (or created by them).

    A tag typed on a private claim ("Bild citing informant John Doe") is its author's
    (`owner`) until they use it on a shared claim; nobody else ever sees it. "Used on a
    claim they can see" reads the counters the database keeps (migration 0009): a shared
    claim, or one of their own private claims.
    """
    used_privately = PrivateTagUse.objects.filter(tag=OuterRef("pk"), author=user, uses__gt=0)
    used_visibly = Q(shared_claim_count__gt=0) | Q(Exists(used_privately))
    shared = Q(owner__isnull=True) & (used_visibly | Q(created_by=user))
    return Q(owner=user) | shared


def manageable_tags_q(*, user, role: str) -> Q:
    """Tags a member may rename, merge or mark anonymous (among those they can see).

    Their own private tags; as a workspace owner, any shared tag; as an editor, only tags
    no one else's claim carries (used on their claims or created by them). Viewers: none.
    """
    if role not in WRITER_ROLES:
        return Q(pk__in=[])
    if role == Role.OWNER:
        return Q(owner=user) | Q(owner__isnull=True)
    others = ClaimTag.objects.filter(tag=OuterRef("pk")).exclude(claim__author=user)
    mine = ClaimTag.objects.filter(tag=OuterRef("pk"), claim__author=user)
    # A CASE, not `NOT EXISTS (others) AND …`: PostgreSQL turns a top-level NOT EXISTS into an
    # anti join that reads a bitmap of every link of the tag (100,000 for a busy one) before
    # its first match; inside CASE each EXISTS stays a subplan that stops at the first row,
    # and "mine" is only looked for when no one else's claim carries the tag.
    return Q(
        Case(
            When(Exists(others), then=Value(False)),
            When(Q(Exists(mine)) | Q(created_by=user) | Q(owner=user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def claim_for_reader(*, user, pk: int) -> Claim:
    """A claim the user can see (member of its workspace, and shared or their own)."""
    if not user.is_authenticated:
        raise Http404("No such claim")
    claim = (
        Claim.objects.select_related("article", "author", "workspace")
        .filter(pk=pk, workspace__memberships__user=user)
        .filter(visible_claims_q(user=user))
        .first()
    )
    if claim is None:
        raise Http404("No such claim")
    claim.viewer_membership = Membership.objects.get(workspace_id=claim.workspace_id, user=user)
    return claim


def claim_for_author(*, user, pk: int) -> Claim:
    """A claim the user wrote and may still edit (owner or editor; a member demoted to viewer
    reads and replies only); anyone else, even a co-member, gets 404 for edits."""
    claim = claim_for_reader(user=user, pk=pk)
    if claim.author_id != user.pk or claim.viewer_membership.role not in WRITER_ROLES:
        raise Http404("No such claim")
    return claim


def may_delete(*, user, claim: Claim) -> bool:
    """Their own claim, or (moderation) any claim they can see in a workspace they own."""
    return claim.author_id == user.pk or claim.viewer_membership.role == Role.OWNER


def claim_for_deleter(*, user, pk: int) -> Claim:
    claim = claim_for_reader(user=user, pk=pk)
    if not may_delete(user=user, claim=claim):
        raise Http404("No such claim")
    return claim


def reply_for_author(*, user, pk: int) -> Reply:
    if not user.is_authenticated:
        raise Http404("No such reply")
    reply = (
        Reply.objects.select_related("claim", "author")
        .filter(pk=pk, author=user, claim__workspace__memberships__user=user)
        .filter(visible_claims_q(user=user, prefix="claim__"))
        .first()
    )
    if reply is None:
        raise Http404("No such reply")
    return reply


def tag_for_manager(*, user, pk: int) -> SourceTag:
    """A tag the user may rename, merge or mark anonymous (manageable_tags_q); else 404."""
    if not user.is_authenticated:
        raise Http404("No such tag")
    tag = tag_for_member(user=user, pk=pk, writers_only=True)
    role = Membership.objects.get(workspace_id=tag.workspace_id, user=user).role
    if (
        not SourceTag.objects.filter(pk=tag.pk)
        .filter(manageable_tags_q(user=user, role=role))
        .exists()
    ):
        raise Http404("No such tag")
    return tag


def tag_for_member(*, user, pk: int, writers_only: bool = False) -> SourceTag:
    if not user.is_authenticated:
        raise Http404("No such tag")
    memberships = Membership.objects.filter(user=user)
    if writers_only:
        memberships = memberships.filter(role__in=WRITER_ROLES)
    tag = (
        SourceTag.objects.filter(pk=pk, workspace_id__in=memberships.values("workspace_id"))
        .filter(visible_tags_q(user=user))
        .first()
    )
    if tag is None:
        raise Http404("No such tag")
    return tag


def tag_change_for_actor(*, user, pk: int) -> TagChange:
    """A rename or merge the user made, in a workspace they still write in; else 404."""
    if not user.is_authenticated:
        raise Http404("No such change")
    writing = Membership.objects.filter(user=user, role__in=WRITER_ROLES)
    change = TagChange.objects.filter(
        pk=pk, actor=user, workspace_id__in=writing.values("workspace_id")
    ).first()
    if change is None:
        raise Http404("No such change")
    return change


def suggestion_for_writer(*, user, pk: int) -> tuple[Suggestion, Article]:
    """A suggestion and its article, for an owner or editor of its workspace; 404 for
    everyone else (viewers never decide suggestions, outsiders cannot know they exist)."""
    suggestion = Suggestion.objects.filter(pk=pk).first()
    if suggestion is None:
        raise Http404("No such suggestion")
    article = article_for_writer(user=user, pk=suggestion.article_id)
    return suggestion, article


def article_for_owner(*, user, pk: int) -> Article:
    """The article if the user owns its workspace (blind rounds, agreement, curation)."""
    article = article_for_reader(user=user, pk=pk)
    if article.viewer_membership.role != Role.OWNER:
        raise Http404("No such article")
    return article


def blind_round_for_annotator(*, user, article_pk: int) -> tuple[BlindRound, BlindAnnotator]:
    """The article's blind round and the user's place in it; 404 if they are not assigned."""
    article = article_for_writer(user=user, pk=article_pk)
    annotator = (
        BlindAnnotator.objects.select_related("round")
        .filter(round__article_id=article.pk, user_id=user.pk)
        .first()
    )
    if annotator is None:
        raise Http404("No such blind round")
    return annotator.round, annotator


def article_for_curator(*, user, pk: int) -> Article:
    """An article an owner may curate: not while its blind round is open (nobody sees the
    annotators' claims yet), 404 then as for anyone who is not an owner."""
    article = article_for_owner(user=user, pk=pk)
    if BlindRound.objects.filter(article_id=article.pk, revealed_at__isnull=True).exists():
        raise Http404("No such article")
    return article
