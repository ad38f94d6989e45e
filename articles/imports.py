"""Background imports: queue a batch of URLs and files, run one item as a job.

A web request only writes the batch, its items (uploaded files included, as bytea) and one
job per item, in one transaction, and answers at once; a worker (``manage.py run_worker``)
fetches and extracts each item. Every item is a row with its status, so any server process
shows the same progress and a reload loses nothing. The web form's single page is a batch of
one. ``manage.py import_article`` still imports synchronously (it is the command line).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from jobs.queue import RetryLater, enqueue_many, max_attempts
from ratelimits import limiter
from ratelimits.views import refusal_message

from . import services
from .forms import _normalise_web_address
from .limits import file_too_large_message
from .models import ArticleSource, ImportBatch, ImportItem, ImportStatus

logger = logging.getLogger(__name__)

IMPORT_ITEM_TASK = "articles.import_item"
UNEXPECTED = "Something went wrong while importing this item."


def _limit_refusal(*, user) -> str:
    """Count one import for ``user``; the reason when over the limit, else ""."""
    decision = limiter.check(hits=[("import_user", str(user.pk))])
    return "" if decision.allowed else refusal_message(decision, action="import")


def _file_item(*, upload, position: int) -> ImportItem:
    limit = services.max_html_bytes()
    item = ImportItem(position=position, file_name=(upload.name or "file")[:255])
    if upload.size > limit:
        item.status = ImportStatus.FAILED
        item.error = file_too_large_message(size=upload.size, limit=limit)
    else:
        item.file_data = upload.read()
    return item


def _url_item(*, url: str, position: int) -> ImportItem:
    """An address as typed; "example.com/x" means https, anything but http(s) fails at once."""
    item = ImportItem(position=position, url=url)
    try:
        item.url = _normalise_web_address(url) or url
    except ValidationError as error:
        item.status, item.error = ImportStatus.FAILED, " ".join(error.messages)
    return item


@transaction.atomic
def queue_batch(
    *,
    workspace,
    user,
    urls: Sequence[str] = (),
    files: Sequence = (),
    language: str = "",
    title: str = "",
    outlet: str = "",
    single: bool = False,
    count_limit: bool = True,
) -> ImportBatch:
    """Save the batch and queue one job per item. Each item counts against the user's import
    rate limit (``count_limit``); one over the limit fails with the reason, as does a file
    over the size limit. The jobs exist exactly when the batch does (same transaction)."""
    batch = ImportBatch.objects.create(
        workspace=workspace, created_by=user, language=language, single=single
    )
    items = [_file_item(upload=upload, position=index) for index, upload in enumerate(files)]
    items += [_url_item(url=url, position=len(items) + index) for index, url in enumerate(urls)]
    for item in items:
        item.batch, item.title, item.outlet = batch, title, outlet
        refusal = _limit_refusal(user=user) if count_limit and not item.error else ""
        if refusal:
            item.status, item.error, item.file_data = ImportStatus.FAILED, refusal, None
    ImportItem.objects.bulk_create(items)
    enqueue_many(
        IMPORT_ITEM_TASK,
        [{"item_id": item.pk} for item in items if item.status == ImportStatus.QUEUED],
    )
    return batch


def _start(*, item_id: int, attempt: int) -> ImportItem | None:
    """Mark the item running (attempt n); None when it is gone or already finished (a job
    run again after its worker died right after finishing)."""
    with transaction.atomic():
        item = (
            ImportItem.objects.select_for_update()
            .select_related("batch")
            .filter(pk=item_id)
            .first()
        )
        if item is None or item.finished:
            return None
        item.status, item.attempts = ImportStatus.RUNNING, attempt
        item.save(update_fields=["status", "attempts", "updated_at"])
        return item


def _draft(item: ImportItem) -> tuple[services.ArticleDraft, str]:
    language = item.batch.language
    if item.url:
        draft = services.draft_from_url(
            url=item.url, title=item.title, outlet=item.outlet, language=language
        )
        return draft, ArticleSource.URL
    return services.draft_from_file(
        data=bytes(item.file_data or b""),
        name=item.file_name,
        title=item.title,
        outlet=item.outlet,
        language=language,
    )


def _finish(*, item_id: int, status: str, error: str = "", draft=None, source: str = "") -> None:
    """Write the item's outcome (and its article) once: a second run finds it finished."""
    with transaction.atomic():
        item = ImportItem.objects.select_for_update().select_related("batch").get(pk=item_id)
        if item.finished:
            return
        if draft is not None:
            item.article = services.save_draft(
                draft=draft,
                workspace=item.batch.workspace,
                user=item.batch.created_by,
                source=source,
            )
            item.warnings = list(draft.warnings)
        item.status, item.error = status, error
        if item.finished:
            item.file_data = None
        item.save(
            update_fields=["status", "error", "warnings", "article", "file_data", "updated_at"]
        )


def run_item(*, item_id: int, attempt: int) -> None:
    """Import one item. A passing failure (network, timeout, server error, anything
    unexpected) is retried with backoff until the last attempt; a permanent one (HTTP 404,
    not HTML, too large, an unreadable file) fails the item at once with its reason."""
    item = _start(item_id=item_id, attempt=attempt)
    if item is None:
        return
    last = attempt >= max_attempts()
    try:
        draft, source = _draft(item)
    except services.ArticleImportError as error:
        if error.transient and not last:
            _retry(item_id=item_id, reason=str(error))
        _finish(item_id=item_id, status=ImportStatus.FAILED, error=str(error))
        return
    except Exception:
        logger.exception("import of item %s failed (attempt %s)", item_id, attempt)
        if not last:
            _retry(item_id=item_id, reason=UNEXPECTED)
        _finish(item_id=item_id, status=ImportStatus.FAILED, error=UNEXPECTED)
        return
    _finish(item_id=item_id, status=ImportStatus.DONE, draft=draft, source=source)


def _retry(*, item_id: int, reason: str) -> None:
    ImportItem.objects.filter(pk=item_id, status=ImportStatus.RUNNING).update(
        status=ImportStatus.QUEUED, error=f"{reason} Trying again shortly."
    )
    raise RetryLater(reason)
