from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from workspaces.models import Membership


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    SUPPORTED = "supported", _("Supported")
    DISPUTED = "disputed", _("Disputed")
    FALSE = "false", _("False")
    OPINION = "opinion", _("Opinion")


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", _("Anchored")
    # The claim's sentence is gone from the current revision: kept, not shown in the text.
    ORPHANED = "orphaned", _("Orphaned")


class Visibility(models.TextChoices):
    WORKSPACE = "workspace", _("Workspace")
    PRIVATE = "private", _("Private")
    # Written during a blind round (BlindRound): its author's alone, like a private claim,
    # until every assigned annotator is done; then it becomes a workspace claim.
    BLIND = "blind", _("Blind")


MAX_NOTE_LENGTH = 10_000
MAX_REPLY_LENGTH = 10_000


class SourceTag(models.Model):
    """Where a claim comes from, as typed ("WSJ citing US officials") and parsed.

    A tag with an `owner` is private: it is used only on its owner's private claims (or on
    none), nobody else sees it, and anyone else typing its label gets a separate tag. A tag
    without an owner is the workspace's: it is (or was) used on a shared claim. Which one a
    tag is follows from where it is used (services.settle_tag_owner).
    """

    # Set by rename and merge (services.py) for the page's Undo banner, never stored.
    change: TagChange | None

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="source_tags"
    )
    label = models.CharField(max_length=200)
    outlet = models.CharField(max_length=200, blank=True)
    cited = models.CharField(max_length=200, blank=True)
    anonymous = models.BooleanField(default=False)
    # Set when a user toggled `anonymous` by hand: re-parsing (e.g. on rename) keeps it.
    anonymous_is_manual = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # How many shared claims carry the tag. Kept by PostgreSQL triggers on claim tags and on
    # claim visibility (migration 0009), so tag lists sort by use without counting 1M links.
    shared_claim_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["label"]
        indexes = [
            models.Index(
                fields=["workspace", "-shared_claim_count", "label"], name="source_tag_by_use"
            ),
        ]
        constraints = [
            # One shared tag per label, and one private tag per label and owner: the same
            # label may be several tags, none of which reveals the others.
            models.UniqueConstraint(
                "workspace",
                Lower("label"),
                condition=models.Q(owner__isnull=True),
                name="source_tag_unique_shared_label",
            ),
            models.UniqueConstraint(
                "workspace",
                "owner",
                Lower("label"),
                condition=models.Q(owner__isnull=False),
                name="source_tag_unique_private_label",
            ),
            models.CheckConstraint(
                condition=~models.Q(label="") & ~models.Q(label__contains=";"),
                name="source_tag_label_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.label


# Where a claim stands in its article's text (the W3C selectors and the text version they
# refer to) and where a revision moved it from: only anchoring, re-anchoring and re-attaching
# write these (annotations/revisions.py); the admin shows them read-only.
CLAIM_PLACEMENT_FIELDS = [
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "text_version",
    "anchor_status",
    "original_exact",
    "original_prefix",
    "original_suffix",
    "original_start",
    "original_end",
    "original_text_version",
    "text_changed_at",
]


class DatabaseAssignedNumberField(models.PositiveIntegerField):
    """An integer the database sets on insert (a trigger), read back with INSERT … RETURNING."""

    db_returning = True


class Claim(models.Model):
    """A highlighted passage of an article, anchored with W3C Web Annotation selectors."""

    # Set per request by annotations/access.py and selectors.py, never stored.
    viewer_membership: Membership
    tag_items: list[tuple[str, bool]]  # (label, anonymous) in the order they were added
    tag_list: list[SourceTag]
    reply_list: list[Reply]
    first_tag: SourceTag | None  # agreement: the tag whose values count (selectors.py)

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claims")
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="claims"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    # TextQuoteSelector
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    # TextPositionSelector: code-point offsets into the article's canonical text
    # (blocks joined by "\n\n"), valid for `text_version` of the article.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text_version = models.PositiveIntegerField(default=1)
    # After a new revision: anchored (selectors describe the current text) or orphaned
    # (selectors keep the last text the claim had; start/end are not current offsets).
    anchor_status = models.CharField(
        max_length=16, choices=AnchorStatus.choices, default=AnchorStatus.ANCHORED
    )
    # The selectors as first highlighted, kept from the first re-anchoring on (empty before:
    # then the current selectors are the original ones).
    original_exact = models.TextField(blank=True)
    original_prefix = models.CharField(max_length=64, blank=True)
    original_suffix = models.CharField(max_length=64, blank=True)
    original_start = models.PositiveIntegerField(null=True, blank=True)
    original_end = models.PositiveIntegerField(null=True, blank=True)
    original_text_version = models.PositiveIntegerField(null=True, blank=True)
    # When a revision last changed the text under the claim (or orphaned it).
    text_changed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=MAX_NOTE_LENGTH)
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNVERIFIED
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.WORKSPACE
    )
    tags = models.ManyToManyField(SourceTag, through="ClaimTag", related_name="claims")
    # Optimistic locking: every edit must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The claim's number in its article, given once by a database trigger (migration 0013)
    # when the claim is inserted, never re-used or changed; a blind claim gets its number
    # when its round is revealed (no number while blind, so numbers reveal nothing).
    number = DatabaseAssignedNumberField(null=True, blank=True, editable=False)
    # Curation (after a blind round): the version adopted into the curated set, or a merged
    # version a curator wrote (`curated_from`: the version it started from).
    curated = models.BooleanField(default=False)
    curated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_versions",
    )

    class Meta:
        ordering = ["article", "start", "end", "id"]
        indexes = [
            models.Index(fields=["article", "start"], name="claim_article_start"),
            models.Index(fields=["workspace", "-created_at"], name="claim_workspace_recent"),
            # The export form's annotators: "wrote a claim here" is one probe per person.
            models.Index(fields=["workspace", "author"], name="claim_workspace_author"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="claim_span"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="claim_visibility_valid",
            ),
            # The same person highlighting the same passage of the same text twice is one
            # claim, also when the requests arrive at once (services.create_claim returns it).
            # Claims moved by a revision are exempt: two of them may land on one passage.
            # A curator's merged version may stand on a passage they highlighted themselves.
            models.UniqueConstraint(
                fields=["article", "author", "text_version", "start", "end"],
                condition=models.Q(original_text_version__isnull=True, curated_from__isnull=True),
                name="claim_unique_span_per_author",
            ),
            models.UniqueConstraint(fields=["article", "number"], name="claim_unique_number"),
            models.CheckConstraint(
                condition=models.Q(anchor_status__in=AnchorStatus.values),
                name="claim_anchor_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk}: {self.exact[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("annotations:detail", args=[self.pk])


class ClaimNumberCounter(models.Model):
    """The last claim number given in an article. The numbering trigger (migration 0013)
    upserts this row (INSERT … ON CONFLICT DO UPDATE … RETURNING), which holds its row lock
    until the transaction ends: two claims created at once never get one number."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Article {self.article_id}: {self.last_number} claims numbered"


class BlindRound(models.Model):
    """Blind double annotation of one article: each assigned annotator sees only their own
    claims on it (written with Visibility.BLIND) until every one of them is done; then the
    round is revealed (`revealed_at`) and their claims become workspace claims."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="blind_round"
    )
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revealed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Blind round on article {self.article_id}"

    @property
    def is_open(self) -> bool:
        return self.revealed_at is None


class BlindAnnotator(models.Model):
    round = models.ForeignKey(BlindRound, on_delete=models.CASCADE, related_name="annotators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="blind_annotator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in blind round {self.round_id}"


class ClaimTag(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claim_tags")
    tag = models.ForeignKey(SourceTag, on_delete=models.CASCADE, related_name="claim_tags")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "tag"], name="claim_tag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on claim {self.claim_id}"


class PrivateTagUse(models.Model):
    """How many of `author`'s private claims carry `tag` (rows with 0 uses are removed).

    Kept by the same triggers as SourceTag.shared_claim_count: a reader's tag counts are the
    shared count plus their own row here, one small indexed query per request.
    """

    tag = models.ForeignKey(SourceTag, on_delete=models.CASCADE, related_name="private_uses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "tag"], name="private_tag_use_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.uses} private uses of {self.tag_id} by {self.author_id}"


class Reply(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claim_replies"
    )
    body = models.TextField(max_length=MAX_REPLY_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="reply_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} by {self.author_id}"


class TagChangeKind(models.TextChoices):
    RENAME = "rename", _("Rename")
    MERGE = "merge", _("Merge")


class TagChange(models.Model):
    """A rename or merge of a source tag, with what it takes to undo it.

    `before` holds the tag as it was (for a merge: the merged-away tag, with its id);
    `claims` (merge only) lists each claim that carried that tag: [claim id, added_by id,
    added_at, whether the merge moved it (False: it already had the target)].
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=TagChangeKind.choices)
    # The renamed tag, or the tag merged into.
    tag = models.ForeignKey(SourceTag, null=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.CharField(max_length=420)
    before = models.JSONField()
    claims = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TagChangeKind.values), name="tag_change_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"


class SuggestionState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class SuggestionRun(models.Model):
    """Suggestions were computed for this text version of the article (even if none were
    found): they are computed once per text version, never again."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    text_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "text_version"], name="suggestion_run_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Suggestions for article {self.article_id} v{self.text_version}"


class Suggestion(models.Model):
    """A passage the attribution rules take for reported speech, with its proposed source tag.

    Offsets are code points into the canonical text of `text_version` (like Claim's). A
    person accepts (it becomes a claim with the tag), or dismisses it; either is kept for
    that text version.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="suggestions"
    )
    text_version = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    cue = models.CharField(max_length=200, blank=True)
    cue_start = models.PositiveIntegerField()
    cue_end = models.PositiveIntegerField()
    outlet = models.CharField(max_length=200, blank=True)
    cited = models.CharField(max_length=200, blank=True)
    anonymous = models.BooleanField(default=False)
    proposed_label = models.CharField(max_length=200)
    state = models.CharField(
        max_length=16, choices=SuggestionState.choices, default=SuggestionState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )

    class Meta:
        ordering = ["article", "text_version", "start", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "text_version", "start", "end"], name="suggestion_unique_span"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="suggestion_span"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=SuggestionState.values),
                name="suggestion_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Suggestion {self.pk}: {self.proposed_label}"
