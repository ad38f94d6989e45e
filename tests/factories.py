"""Small factories for test data (plain functions: no extra dependency)."""

from __future__ import annotations

import itertools
from pathlib import Path

from django.contrib.auth import get_user_model

from articles import services
from articles.models import Article, ArticleSource, Block
from workspaces.models import Membership, Role, Workspace

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "articles" / "demo" / "fox-russia-iran-missiles.de.txt"
SHARED = ROOT.parent / "shared"
_counter = itertools.count(1)
PASSWORD = "correct-horse-battery"


def make_user(username: str | None = None):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    return user


def make_workspace(*, name: str | None = None, owner=None) -> Workspace:
    number = next(_counter)
    workspace = Workspace.objects.create(name=name or f"Desk {number}", slug=f"desk-{number}")
    if owner is not None:
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def add_member(*, workspace: Workspace, user, role: str = Role.EDITOR) -> Membership:
    return Membership.objects.create(workspace=workspace, user=user, role=role)


def make_article(*, workspace: Workspace, user=None, text: str | None = None, **fields) -> Article:
    text = text or (
        "A headline about things\n\n"
        "The first paragraph says what happened, according to officials.\n\n"
        "A second paragraph adds detail and context for the reader."
    )
    return services.import_text(
        workspace=workspace, user=user, text=text, source=ArticleSource.PASTE, **fields
    )


def make_seed_article(*, workspace: Workspace, user=None) -> Article:
    return services.import_text(
        workspace=workspace,
        user=user,
        text=SEED_PATH.read_text(encoding="utf-8"),
        outlet="Fox News (German translation)",
        language="de",
        source=ArticleSource.DEMO,
    )


def make_bulk_article(*, workspace: Workspace, blocks: int, title: str = "Bulk") -> Article:
    """An article with many blocks created directly (fast), for query-count tests."""
    article = Article.objects.create(
        workspace=workspace,
        title=title,
        language="en",
        search_config="english",
        source=ArticleSource.PASTE,
    )
    kinds = ["paragraph", "caption", "related", "boilerplate"]
    Block.objects.bulk_create(
        Block(article=article, position=i, kind=kinds[i % 4], text=f"Block number {i}.")
        for i in range(blocks)
    )
    services.refresh_search_vector(article_id=article.pk)
    return article
