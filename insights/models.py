from django.db import models


class SourceCount(models.Model):
    """A saved count behind the Sources dashboard: the claims every member of a workspace may
    see, for one filter set (`scope` "shared"), or what one reader sees beyond them (`scope`
    is their user id). Saved in PostgreSQL so every server process and replica reuses it, and
    so a view never waits for a recount of 2M claims once one exists (insights/selectors.py,
    `dashboard`: a count older than the workspace's last change is shown while a background
    job counts again)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80, unique=True)
    # The filter set, as DashboardFilters fields (JSON), so the job can count it again.
    filters = models.JSONField()
    scope = models.CharField(max_length=20)
    # The workspace's newest change-log row when it was counted (selectors.workspace_generation).
    generation = models.BigIntegerField()
    counted_at = models.DateTimeField()
    counts = models.JSONField()

    def __str__(self) -> str:
        return f"{self.key} at {self.generation}"
