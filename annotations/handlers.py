"""Receivers for the articles app's signals (connected in apps.AnnotationsConfig.ready)."""

from __future__ import annotations

from django.conf import settings

from .suggestions import compute_suggestions


def suggest_after_import(*, article_id: int, **kwargs) -> None:
    """After an import commits, compute the article's suggested claims.

    Inline only when SUGGESTIONS_ON_IMPORT is set: the background job queue is where this
    belongs (the page never waits); until it runs them, "Suggest claims" computes on demand.
    """
    if settings.SUGGESTIONS_ON_IMPORT:
        compute_suggestions(article_id=article_id)
