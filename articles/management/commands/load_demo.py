"""Load the quick-start demo: a workspace, two users and the seed article. Safe to run twice."""

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import services
from articles.models import Article, ArticleSource
from workspaces.models import Membership, Role, Workspace

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEED = {
    "path": DEMO_DIR / "fox-russia-iran-missiles.de.txt",
    "outlet": "Fox News (German translation)",
    "language": "de",
}
DEMO_USERS = [("alice", Role.OWNER), ("bob", Role.EDITOR)]


class Command(BaseCommand):
    help = "Create the demo workspace (users alice and bob) with the seed article, once."

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "sourcemark")
        workspace, _ = Workspace.objects.get_or_create(
            slug="demo", defaults={"name": "Demo newsroom"}
        )
        user_model = get_user_model()
        for username, role in DEMO_USERS:
            user, created = user_model.objects.get_or_create(username=username)
            if created or not user.has_usable_password():
                user.set_password(password)
                user.save()
            Membership.objects.get_or_create(
                workspace=workspace, user=user, defaults={"role": role}
            )
        alice = user_model.objects.get(username="alice")
        if not Article.objects.filter(workspace=workspace, source=ArticleSource.DEMO).exists():
            article = services.import_text(
                workspace=workspace,
                user=alice,
                text=SEED["path"].read_text(encoding="utf-8"),
                outlet=SEED["outlet"],
                language=SEED["language"],
                source=ArticleSource.DEMO,
            )
            self.stdout.write(f"Loaded the seed article: /articles/{article.pk}/")
        else:
            self.stdout.write("The seed article is already loaded.")
        self.stdout.write(
            self.style.SUCCESS(f"Sign in as alice (owner) or bob (editor), password: {password}")
        )
