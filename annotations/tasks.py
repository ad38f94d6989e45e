"""Background jobs of the annotations app (found by procrastinate's autodiscovery)."""

from __future__ import annotations

from jobs.queue import task

from .suggestions import compute_suggestions

COMPUTE_SUGGESTIONS_TASK = "annotations.compute_suggestions"


@task(name=COMPUTE_SUGGESTIONS_TASK)
def compute_suggestions_job(*, article_id: int, attempt: int) -> None:
    """Suggested claims for an article's current text version (once per version)."""
    compute_suggestions(article_id=article_id)
