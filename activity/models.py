"""The workspace's change log. Articles, claims, tags and workspaces all write to it, so it sits
just above `workspaces` and knows nothing of the apps that use it: `article_id` and `claim_id`
are plain numbers, and the log outlives the articles and claims it mentions."""

from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityVerb(models.TextChoices):
    CLAIM_CREATED = "claim.created", _("created a claim")
    CLAIM_UPDATED = "claim.updated", _("edited a claim")
    CLAIM_DELETED = "claim.deleted", _("deleted a claim")
    CLAIM_MODERATED = "claim.moderated", _("removed a claim (moderation)")
    CLAIM_SHARED = "claim.shared", _("shared a claim with the workspace")
    CLAIM_HIDDEN = "claim.hidden", _("made a claim private")
    TAG_ADDED = "tag.added", _("tagged a claim")
    TAG_REMOVED = "tag.removed", _("removed a tag from a claim")
    TAG_RENAMED = "tag.renamed", _("renamed a source tag")
    TAG_MERGED = "tag.merged", _("merged source tags")
    TAG_UPDATED = "tag.updated", _("changed a source tag")
    REPLY_CREATED = "reply.created", _("replied to a claim")
    REPLY_UPDATED = "reply.updated", _("edited a reply")
    REPLY_DELETED = "reply.deleted", _("deleted a reply")
    BLOCK_KIND = "block.kind", _("changed a block's kind")
    SUGGESTIONS_FOUND = "suggestions.found", _("found suggested claims")
    SUGGESTION_ACCEPTED = "suggestion.accepted", _("accepted a suggested claim")
    SUGGESTION_DISMISSED = "suggestion.dismissed", _("dismissed suggested claims")


class Activity(models.Model):
    """The workspace's change log: the activity page, and the live stream's catch-up.

    Its id is the Server-Sent Events id: a browser that reconnects with Last-Event-ID gets
    every later row it may see. An insert trigger sends NOTIFY sourcemark_activity, which is
    how changes reach other server processes (annotations/migrations/0004, where the table
    was born; it kept its name when the model moved here).
    """

    id = models.BigAutoField(primary_key=True)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="activity"
    )
    # No foreign keys to articles or claims: this app sits below them.
    article_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32, choices=ActivityVerb.choices)
    claim_id = models.BigIntegerField(null=True, blank=True)
    # Set for events about a private claim: only this user may ever see the event.
    visible_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotations_activity"
        ordering = ["-id"]
        verbose_name_plural = "activity"
        indexes = [
            models.Index(fields=["workspace", "-id"], name="activity_workspace_recent"),
            models.Index(fields=["article_id", "id"], name="activity_article_since"),
            # prune_activity: rows are appended in time order, so a tiny BRIN index finds
            # the old ones without a B-tree the size of the log.
            BrinIndex(fields=["created_at"], name="activity_created_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} ({self.created_at:%Y-%m-%d %H:%M})"
