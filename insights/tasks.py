"""Background jobs of the insights app (found by procrastinate's autodiscovery)."""

from __future__ import annotations

from jobs.queue import task

from .selectors import recount

RECOUNT_TASK = "insights.recount"


@task(name=RECOUNT_TASK)
def recount_job(*, key: str, attempt: int) -> None:
    """Count a saved dashboard count again after its workspace changed."""
    recount(key=key)
