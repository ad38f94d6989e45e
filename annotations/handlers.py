"""Receivers for the articles app's signals (connected in apps.AnnotationsConfig.ready)."""

from __future__ import annotations

from django.conf import settings

from jobs.queue import enqueue

from .tasks import COMPUTE_SUGGESTIONS_TASK


def suggest_after_import(*, article, **kwargs) -> None:
    """After an import commits, queue the article's suggested claims: the worker computes
    them in the background, so no page waits (SUGGESTIONS_ON_IMPORT=0 turns this off)."""
    if settings.SUGGESTIONS_ON_IMPORT:
        enqueue(COMPUTE_SUGGESTIONS_TASK, article_id=article.pk)
