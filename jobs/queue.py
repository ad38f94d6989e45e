"""Background jobs: a PostgreSQL-backed queue (procrastinate) that survives restarts.

How an app uses it (any app, at any layer, since this one imports none of them):

* Register a task in the app's ``tasks.py`` (procrastinate imports every app's ``tasks``
  module when Django starts, in the web processes and in the worker alike)::

      from jobs.queue import RetryLater, task

      @task(name="annotations.compute_suggestions")
      def compute_suggestions(*, article_id: int, attempt: int) -> None:
          ...  # raise RetryLater(...) for a passing failure: retried with backoff

* Queue a job from a service, by name (so a lower app can queue a higher app's task
  without importing it)::

      from jobs.queue import enqueue
      enqueue("annotations.compute_suggestions", article_id=article.pk)

  The job row is written on the caller's database connection, so a job queued inside
  ``transaction.atomic()`` exists exactly when the transaction commits. Nothing waits for
  it: the worker (``manage.py run_worker``, started by ``dev.py run``) picks it up at once
  through LISTEN/NOTIFY.

A task runs at most ``JOB_MAX_ATTEMPTS`` times: only ``RetryLater`` is retried, after
``JOB_RETRY_SECONDS`` × 2^(attempt − 1) seconds; any other exception fails the job at once.
A task learns which attempt it is through its ``attempt`` argument (1, 2, …), so it can
record progress and tell a last failure from one that will be retried. Jobs of a worker
that died (no heartbeat for ``JOB_STALLED_SECONDS``) are retried by the next worker.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

logger = logging.getLogger(__name__)

__all__ = [
    "RetryLater",
    "app",
    "enqueue",
    "enqueue_many",
    "enqueue_once",
    "max_attempts",
    "task",
]


class RetryLater(Exception):
    """A passing failure (network, timeout, a server error): run the job again later."""


def max_attempts() -> int:
    return max(1, settings.JOB_MAX_ATTEMPTS)


class Backoff(BaseRetryStrategy):
    """Retry ``RetryLater`` with exponential backoff; read the settings when a job fails, so
    they can change without re-registering tasks."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        if not isinstance(exception, RetryLater):
            return None
        # job.attempts counts the runs before the one that just failed.
        if job.attempts + 1 >= max_attempts():
            return None
        return RetryDecision(retry_in={"seconds": settings.JOB_RETRY_SECONDS * 2**job.attempts})


def task(*, name: str, queue: str = "default") -> Callable[[Callable[..., Any]], Any]:
    """Register a synchronous task under ``name``; it is called with its keyword arguments
    and ``attempt`` (1 for the first run). Database connections are cleaned up around it,
    as Django does around a request."""

    def decorate(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def run(context, **kwargs: Any) -> Any:
            close_old_connections()
            try:
                return func(attempt=context.job.attempts + 1, **kwargs)
            finally:
                close_old_connections()

        return app.task(name=name, queue=queue, retry=Backoff(), pass_context=True)(run)

    return decorate


def enqueue(task_name: str, *, lock: str | None = None, **kwargs: Any) -> int:
    """Queue the task registered as ``task_name`` with ``kwargs`` (JSON values); returns the
    job id. ``lock`` names a queueing lock: while a job with it waits, another with the same
    lock is refused (procrastinate's AlreadyEnqueued)."""
    return app.configure_task(name=task_name, queueing_lock=lock).defer(**kwargs)


def enqueue_once(task_name: str, *, lock: str, **kwargs: Any) -> int | None:
    """Queue the task unless a job with the same ``lock`` is already waiting (that one will do
    the work); returns the new job's id, or None when one was waiting."""
    try:
        return enqueue(task_name, lock=lock, **kwargs)
    except AlreadyEnqueued:
        return None


def enqueue_many(task_name: str, kwargs_list: list[dict[str, Any]]) -> list[int]:
    """Queue one job per entry of ``kwargs_list`` in one statement; returns the job ids."""
    if not kwargs_list:
        return []
    return app.configure_task(name=task_name).batch_defer(*kwargs_list)
