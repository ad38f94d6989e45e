"""What claim search reads: one text-search document per claim, kept by PostgreSQL triggers.

A claim's searchable words live in four tables (its quote and note, its replies, the labels of
its source tags) and its language in a fifth (the article's search configuration). A GIN index
can only cover one table, so each claim gets one row here: `vector` holds the quote and tag
labels (weight A), the note (B) and the replies (C), parsed in the article's configuration,
which is kept beside it in `config` so a query can give each configuration its own tsquery
(the BitmapOr that articles.selectors uses for the library). Migration 0001 installs the
triggers that keep the rows current and fills them for existing claims.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ClaimDocument(models.Model):
    claim = models.OneToOneField(
        "annotations.Claim",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # The article's text search configuration (german / english / simple).
    config = models.CharField(max_length=32)
    vector = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["vector"], name="claim_document_vector")]

    def __str__(self) -> str:
        return f"Search document of claim {self.claim_id}"


class PendingTag(models.Model):
    """A source tag whose claims' documents are to be rebuilt by the background job
    (`search.refresh_pending`): written by the triggers (migration 0002) instead of
    rebuilding thousands of documents inside a bulk rename or merge
    (`annotations.signals.bulk_tag_change`). `queued_at` is the queueing transaction's time:
    the job removes a row only if nobody queued the tag again while it worked."""

    tag_id = models.BigIntegerField(primary_key=True)  # no foreign key: a merged tag is gone
    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Search documents of tag {self.tag_id} to rebuild"
