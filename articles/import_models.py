"""Imports that run in the background: a batch (one or many items) and its items.

The database holds the whole state, so the batch page shows it after a reload, from any
server process, and a worker that dies loses nothing: the job runs again and finds its item.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="import_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_batches"
    )
    # A single page from the web form: its page lands on the article when done.
    single = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import batch {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("articles:import_batch_status", args=[self.pk])


class ImportItem(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    url = models.TextField(blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    # An uploaded file waits here for the worker (bytea); emptied once the item is finished.
    file_data = models.BinaryField(null=True, blank=True, editable=False)
    title = models.CharField(max_length=500, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    error = models.TextField(blank=True)
    # What the person should check on the imported article (e.g. a guessed title), as the
    # import said it; shown on the batch page and when a single page lands on its article.
    warnings = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # One article per item, however often its job runs (see articles.imports.run_item).
    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_item",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="import_item_position"),
            models.CheckConstraint(
                condition=models.Q(status__in=[status.value for status in ImportStatus]),
                name="import_item_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file_name=""),
                name="import_item_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.file_name or self.url

    @property
    def state(self) -> str:
        """What the page shows: pending (waiting or running), imported or failed."""
        states: dict[str, str] = {ImportStatus.DONE: "imported", ImportStatus.FAILED: "failed"}
        return states.get(self.status, "pending")

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}
