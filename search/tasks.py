"""Background jobs of the search app (found by procrastinate's autodiscovery)."""

from __future__ import annotations

from jobs.queue import task

from .services import REFRESH_TASK, refresh_pending_documents


@task(name=REFRESH_TASK)
def refresh_pending_job(*, attempt: int) -> None:
    """Rebuild the search documents of tags renamed or merged in bulk."""
    refresh_pending_documents()
