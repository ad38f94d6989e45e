"""Who may see and change which article. Anything that is not yours is a 404, never a 403."""

from django.http import Http404
from psycopg import sql

from workspaces.models import WRITER_ROLES, Membership, Role

from .models import Article, Block

# One round trip, written as SQL because the reading page runs it on every view and the ORM
# spent ~3 ms building the equivalent subqueries (bench/claims.py): the article, the viewer's
# membership of its workspace (none: 404).
_ARTICLE_COLUMNS = sql.SQL(", ").join(
    sql.Identifier("a", str(field.column))
    for field in Article._meta.concrete_fields
    if field.name != "search_vector"  # large, and never needed here
)
_ARTICLE_FOR_MEMBER_SQL = (
    sql.SQL("""
    SELECT {columns}, m.id AS viewer_membership_id, m.role AS viewer_role
    FROM articles_article a
    JOIN workspaces_membership m ON m.workspace_id = a.workspace_id AND m.user_id = %(user)s
    WHERE a.id = %(article)s AND m.role = ANY(%(roles)s)
""")
    .format(columns=_ARTICLE_COLUMNS)
    .as_string(None)
)
ALL_ROLES = tuple(role.value for role in Role)


def _article_for_roles(*, user, pk: int, roles=None) -> Article:
    if not user.is_authenticated:
        raise Http404("No such article")
    try:
        article_id = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such article") from None
    params = {"user": user.pk, "article": article_id, "roles": list(roles or ALL_ROLES)}
    article = next(iter(Article.objects.raw(_ARTICLE_FOR_MEMBER_SQL, params)), None)
    if article is None:
        raise Http404("No such article")
    article.viewer_membership = Membership(
        pk=article.viewer_membership_id,
        workspace_id=article.workspace_id,
        user=user,
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
