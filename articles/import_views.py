"""Importing news pages: one page by URL or .html file, and batches of URLs and files.

Batch import: the form posts the list. Files arrive with that request and are imported at once,
each on its own; URLs are listed as pending rows, and each row imports itself with its own htmx
request. Three rows start on load; every answer names the next row to start (an HX-Trigger
event), so a failure never stops the rest. static/js/batch.js moves the progress bar.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ratelimits import limiter
from ratelimits.views import rate_limit, refusal_message
from workspaces.selectors import current_membership

from . import services
from .forms import BatchImportForm, ImportWebForm, _normalise_web_address
from .models import ArticleSource
from .views import announce_import

logger = logging.getLogger(__name__)

# How many URL rows of a batch are fetched at the same time.
BATCH_CONCURRENCY = 3


def _writer_membership(request):
    membership = current_membership(request=request)
    if membership is None or not membership.can_write:
        return membership, render(
            request, "articles/no_workspace.html", status=403 if membership else 200
        )
    return membership, None


@require_http_methods(["GET", "POST"])
@rate_limit("import")
def import_web(request):
    """One page: by URL (fetched safely) or as an uploaded .html/.htm file."""
    membership, refused = _writer_membership(request)
    if refused:
        return refused
    form = ImportWebForm(request.POST or None, request.FILES or None)
    status = 200
    duplicate = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                article, revision = _import_web_form(
                    form=form, membership=membership, user=request.user, choice=request.POST
                )
            except services.DuplicateArticle as found:
                status, duplicate = 200, found.article
            except services.ArticleImportError as error:
                form.add_error(None, str(error))
            else:
                return redirect(announce_import(request, article, revision))
    context = {
        "form": form, "max_mb": services.max_html_bytes() // 1_048_576, "duplicate": duplicate,
    }
    return render(request, "articles/import_web.html", context, status=status)


def _import_web_form(*, form: ImportWebForm, membership, user, choice):
    data = form.cleaned_data
    overrides = {
        "title": data.get("title", ""),
        "outlet": data.get("outlet", ""),
        "language": data.get("language", ""),
    }
    upload = data.get("file")
    if upload is not None:
        return _import_upload(upload=upload, membership=membership, user=user, **overrides), None
    # An address already in the workspace: ask whether this is a new revision of it.
    draft, html = services.draft_and_page_from_url(url=data["url"], **overrides)
    return services.save_or_revise(
        draft=draft, workspace=membership.workspace, user=user, source=ArticleSource.URL,
        choice=choice.get("duplicate", ""), revision_of=choice.get("duplicate_of", ""),
        urls=[data["url"]], original=html,
    )


def _import_upload(*, upload, membership, user, **overrides):
    """An uploaded file, refused before it is read when it is over the largest limit."""
    limit = services.max_html_bytes()
    if upload.size > limit:
        raise services.ArticleImportError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB."
        )
    return services.import_file(
        workspace=membership.workspace, user=user, data=upload.read(),
        name=upload.name or "file", **overrides,
    )


# --------------------------------------------------------------------------------------------
# Batch
# --------------------------------------------------------------------------------------------


@dataclass
class BatchItem:
    index: int
    label: str
    url: str = ""
    state: str = "pending"  # pending | imported | failed
    error: str = ""
    article: object = None
    blocks: int = 0

    @property
    def start_trigger(self) -> str:
        if self.index < BATCH_CONCURRENCY:
            return "load"
        return f"batch-next-{self.index} from:body"


def _run(item: BatchItem, action) -> BatchItem:
    """Run one import; whatever goes wrong becomes this item's reason, never the batch's."""
    try:
        article = action()
    except services.ArticleImportError as error:
        item.state, item.error = "failed", str(error)
    except Exception:  # one bad page must not stop the batch
        logger.exception("batch import of %s failed", item.label)
        item.state, item.error = "failed", "Something went wrong while importing this item."
    else:
        item.state, item.article, item.blocks = "imported", article, article.blocks.count()
    return item


@require_http_methods(["GET", "POST"])
# Each file counts; the batch's URLs count one by one as their rows import them.
@rate_limit("import", cost=lambda request: len(request.FILES.getlist("files")) or 1)
def import_batch(request):
    membership, refused = _writer_membership(request)
    if refused:
        return refused
    max_items = settings.ARTICLE_BATCH_MAX_ITEMS
    form = BatchImportForm(request.POST or None, request.FILES or None, max_items=max_items)
    items: list[BatchItem] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            language = form.cleaned_data.get("language", "")
            items = _start_batch(
                data=form.cleaned_data, membership=membership, user=request.user
            )
            form = BatchImportForm(initial={"language": language}, max_items=max_items)
        else:
            status = 400
    context = _batch_context(form=form, items=items, max_items=max_items)
    return render(request, "articles/batch_import.html", context, status=status)


def _start_batch(*, data: dict, membership, user) -> list[BatchItem]:
    """Import the files now, each on its own; list the URLs as pending rows (each row then
    imports itself with its own request)."""
    language = data.get("language", "")
    items: list[BatchItem] = []
    for upload in data["files"]:
        item = BatchItem(index=len(items), label=upload.name or "file")
        items.append(
            _run(item, lambda upload=upload: _import_upload(
                upload=upload, membership=membership, user=user, language=language,
            ))
        )
    items.extend(
        BatchItem(index=index, label=url, url=url) for index, url in enumerate(data["urls"])
    )
    return items


def _batch_context(*, form: BatchImportForm, items: list[BatchItem], max_items: int) -> dict:
    states = [item.state for item in items]
    return {
        "form": form,
        "items": items,
        "file_items": [item for item in items if not item.url],
        "url_items": [item for item in items if item.url],
        "done": len(states) - states.count("pending"),
        "imported": states.count("imported"),
        "failed": states.count("failed"),
        "language": (form.initial or {}).get("language", ""),
        "max_items": max_items,
        "concurrency": BATCH_CONCURRENCY,
        "max_mb": services.max_html_bytes() // 1_048_576,
    }


@require_POST
def import_batch_item(request):
    """Import one URL of a batch; always answers with the row (imported or failed)."""
    membership = current_membership(request=request)
    if membership is None or not membership.can_write:
        return HttpResponse("You cannot import articles in this workspace.", status=403)
    try:
        index = max(0, int(request.POST.get("index", "0")))
    except ValueError:
        index = 0
    raw = request.POST.get("url", "")[:2100]
    language = request.POST.get("language", "")
    if language not in {"", "de", "en"}:
        language = ""
    item = BatchItem(index=index, label=raw.strip() or "(empty line)", url=raw)

    def action():
        decision = limiter.check(hits=[("import_user", str(request.user.pk))])
        if not decision.allowed:  # this row fails with the reason; so do the next ones
            raise services.ArticleImportError(refusal_message(decision, action="import"))
        try:
            url = _normalise_web_address(raw)
        except ValidationError as error:
            raise services.ArticleImportError(" ".join(error.messages)) from None
        if not url:
            raise services.ArticleImportError("The line is empty.")
        return services.import_url(
            workspace=membership.workspace, user=request.user, url=url, language=language
        )

    _run(item, action)
    response = render(request, "articles/batch_import.html#row", {"item": item})
    response["HX-Trigger"] = f"batch-next-{index + BATCH_CONCURRENCY}"
    return response
