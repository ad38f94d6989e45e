"""Who may see and change which article. Anything that is not yours is a 404, never a 403."""

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404

from annotations.models import Claim, Visibility
from workspaces.models import WRITER_ROLES, Membership

from .models import Article, Block


def _article_for_roles(*, user, pk: int, roles=None) -> Article:
    if not user.is_authenticated:
        raise Http404("No such article")
    # One query: the article joined with the viewer's membership of its workspace.
    memberships = Membership.objects.filter(user=user, workspace_id=OuterRef("workspace_id"))
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    # Whether the reader has private claims here: their reading page is then personal.
    private_claims = Exists(
        Claim.objects.filter(article=OuterRef("pk"), author=user, visibility=Visibility.PRIVATE)
    )
    article = (
        Article.objects.select_related("workspace")
        .annotate(viewer_membership_id=Subquery(memberships.values("pk")[:1]),
                  viewer_role=Subquery(memberships.values("role")[:1]),
                  viewer_has_private_claims=private_claims)
        .filter(pk=pk, viewer_membership_id__isnull=False)
        .first()
    )
    if article is None:
        raise Http404("No such article")
    article.viewer_membership = Membership(
        pk=article.viewer_membership_id, workspace=article.workspace, user=user,
        role=article.viewer_role,
    )
    return article


def article_for_reader(*, user, pk: int) -> Article:
    """The article if the user is a member of its workspace (any role)."""
    return _article_for_roles(user=user, pk=pk)


def article_for_writer(*, user, pk: int) -> Article:
    """The article if the user may change it (owner or editor of its workspace).

    Viewers get 404 too: they cannot know the write URL exists for them.
    """
    return _article_for_roles(user=user, pk=pk, roles=WRITER_ROLES)


def block_for_writer(*, user, article_pk: int, block_pk: int) -> Block:
    article = article_for_writer(user=user, pk=article_pk)
    try:
        block = Block.objects.get(pk=block_pk, article=article)
    except Block.DoesNotExist as exc:
        raise Http404("No such block") from exc
    block.article = article
    return block
