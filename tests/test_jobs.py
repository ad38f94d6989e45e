"""The job machinery (jobs/): queuing by name, the retry rule, the import signal."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from factories import SEED_PATH
from job_helpers import queued_jobs

from articles import services
from articles.signals import article_imported
from jobs.queue import Backoff, RetryLater, enqueue


class _Job:
    def __init__(self, attempts: int) -> None:
        self.attempts = attempts


def test_backoff_retries_passing_failures_with_growing_waits(settings):
    settings.JOB_MAX_ATTEMPTS, settings.JOB_RETRY_SECONDS = 3, 5
    backoff = Backoff()
    now = timezone.now()
    first = backoff.get_retry_decision(exception=RetryLater("x"), job=_Job(0))
    second = backoff.get_retry_decision(exception=RetryLater("x"), job=_Job(1))
    assert (first.retry_at - now).total_seconds() == pytest.approx(5, abs=1)
    assert (second.retry_at - now).total_seconds() == pytest.approx(10, abs=1)
    assert backoff.get_retry_decision(exception=RetryLater("x"), job=_Job(2)) is None  # 3 runs
    assert backoff.get_retry_decision(exception=ValueError("bug"), job=_Job(0)) is None


@pytest.mark.django_db
def test_enqueue_by_name_writes_the_job_with_the_caller_transaction():
    with transaction.atomic():
        job_id = enqueue("articles.import_item", item_id=42)
    jobs = queued_jobs("articles.import_item")
    assert [(job["id"], job["args"]) for job in jobs] == [(job_id, {"item_id": 42})]
    try:
        with transaction.atomic():
            enqueue("articles.import_item", item_id=43)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert len(queued_jobs("articles.import_item")) == 1  # gone with its transaction


@pytest.mark.django_db(transaction=True)
def test_article_imported_is_sent_once_the_import_commits(workspace, alice):
    heard = []

    def listener(sender, *, article, user, **kwargs):
        heard.append((article.pk, user.username))

    article_imported.connect(listener)
    try:
        with transaction.atomic():
            article = services.import_file(
                workspace=workspace, user=alice, data=SEED_PATH.read_bytes(), name="seed.txt"
            )
            assert heard == []  # not before the commit
        assert heard == [(article.pk, "alice")]
    finally:
        article_imported.disconnect(listener)
