from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from workspaces.models import Membership


class BlockKind(models.TextChoices):
    # These exact names are a contract: exports and later issues rely on them.
    HEADLINE = "headline", _("Headline")
    PARAGRAPH = "paragraph", _("Paragraph")
    CAPTION = "caption", _("Caption")
    RELATED = "related", _("Related")
    BOILERPLATE = "boilerplate", _("Boilerplate")


class ArticleSource(models.TextChoices):
    PASTE = "paste", _("Pasted text")
    FILE = "file", _("Text file")
    HTML = "html", _("HTML file")
    URL = "url", _("URL")
    DEMO = "demo", _("Demo data")


class Article(models.Model):
    # Set per request by the access checks (articles/access.py, reading/access.py), never
    # stored: the viewer's membership of the article's workspace, and whether their reading
    # page is personal (they have private claims on it).
    viewer_membership: Membership
    viewer_membership_id: int
    viewer_role: str
    viewer_has_private_claims: bool
    has_blind_round: bool  # set by reading.access.article_for_reading
    blind_round_open: bool  # (the same)

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="articles"
    )
    title = models.CharField(max_length=500)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    # PostgreSQL text search configuration matching the language (german / english / simple).
    search_config = models.CharField(max_length=32, default="simple")
    source = models.CharField(max_length=16, choices=ArticleSource.choices)
    # The number of the article's current revision (ArticleRevision.number): bumped whenever
    # block texts change; claims remember the version their offsets refer to.
    text_version = models.PositiveIntegerField(default=1)
    # Bumped by database triggers on every change that alters the reading page (blocks,
    # claims, their tags and replies): the rendered page is cached per render version.
    render_version = models.PositiveBigIntegerField(default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_articles",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="article_workspace_recent"),
            GinIndex(fields=["search_vector"], name="article_search_vector"),
            # The library's keyset pages (newest first by id), filtered by outlet or by
            # language; the filter menus skip through the outlet and language indexes (one
            # probe per distinct value: selectors.facet_values).
            models.Index(fields=["workspace", "-id"], name="article_workspace_newest"),
            models.Index(
                fields=["workspace", "outlet", "-id"],
                include=["language"],
                name="article_workspace_outlet",
            ),
            models.Index(
                fields=["workspace", "language", "-id"], name="article_workspace_language"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(search_config__in=["german", "english", "simple"]),
                name="article_search_config_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])


class Block(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=BlockKind.choices)
    text = models.TextField()
    # A paragraph that is one of the article's subheadings: shown as a subheading, still a
    # paragraph (the block kinds are a contract).
    is_subheading = models.BooleanField(default=False)
    # Set when a reader fixed the kind by hand: re-segmentation never overwrites it.
    kind_is_manual = models.BooleanField(default=False)
    kind_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="block_unique_position"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[kind.value for kind in BlockKind]),
                name="block_kind_valid",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="block_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}#{self.position} {self.kind}"


class RevisionSource(models.TextChoices):
    PASTE = "paste", _("Pasted text")
    FILE = "file", _("Text file")
    HTML = "html", _("HTML file")
    URL = "url", _("URL")
    DEMO = "demo", _("Demo data")
    EDIT = "edit", _("Extraction fixed by hand")


class ArticleRevision(models.Model):
    """One numbered version of an article's text: its blocks as they were, where they came from.

    ``number`` is the article's ``text_version`` while this revision is current. ``blocks`` is
    a list of {"kind", "text", "kind_is_manual"}; ``original`` the imported document (the page's
    HTML or the text as uploaded), empty where it was not kept.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    blocks = models.JSONField(default=list)
    source = models.CharField(max_length=16, choices=RevisionSource.choices)
    source_url = models.URLField(max_length=2000, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    original = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="article_revision_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=RevisionSource.values),
                name="article_revision_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"

    def canonical_text(self) -> str:
        # The same separator as annotations.anchoring.CANONICAL_SEPARATOR (never changes).
        return "\n\n".join(block["text"] for block in self.blocks)


from .import_models import ImportBatch, ImportItem, ImportStatus  # noqa: E402, F401
