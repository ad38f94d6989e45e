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
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ratelimits import limiter
from ratelimits.views import rate_limit, refusal_message
from workspaces.selectors import current_membership

from . import services
from .forms import HTML_SUFFIXES, BatchImportForm, ImportWebForm, _normalise_web_address
from .models import ArticleSource

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
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                article = _import_web_form(form=form, membership=membership, user=request.user)
            except services.ArticleImportError as error:
                form.add_error(None, str(error))
            else:
                count = article.blocks.count()
                messages.success(request, f"Imported “{article.title}” as {count} blocks.")
                return redirect(article.get_absolute_url())
    context = {"form": form, "max_mb": services.max_html_bytes() // 1_048_576}
    return render(request, "articles/import_web.html", context, status=status)


def _import_web_form(*, form: ImportWebForm, membership, user):
    data = form.cleaned_data
    overrides = {
        "title": data.get("title", ""),
        "outlet": data.get("outlet", ""),
        "language": data.get("language", ""),
    }
    upload = data.get("file")
    if upload is not None:
        html = _read_html_upload(upload)
        return services.import_html(
            workspace=membership.workspace, user=user, html=html, **overrides
        )
    return services.import_url(
        workspace=membership.workspace, user=user, url=data["url"], **overrides
    )


def _read_html_upload(upload) -> str:
    limit = services.max_html_bytes()
    if upload.size > limit:
        raise services.ArticleImportError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB."
        )
    return services.decode_html_file(data=upload.read(), name=upload.name)


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


def _import_file(*, upload, membership, user, language: str):
    name = upload.name or "file"
    lower = name.lower()
    limit = services.max_html_bytes()
    if upload.size > limit:
        raise services.ArticleImportError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {limit // 1_048_576} MB."
        )
    if lower.endswith(HTML_SUFFIXES):
        html = services.decode_html_file(data=upload.read(), name=name)
        draft = services.draft_from_html(html=html, language=language)
        source = ArticleSource.HTML
    elif lower.endswith(".txt"):
        if upload.size > services.max_upload_bytes():
            raise services.ArticleImportError(
                f"The file is {upload.size / 1_048_576:.1f} MB; "
                f"the limit is {services.max_upload_bytes() // 1_048_576} MB."
            )
        text = services.decode_text_file(data=upload.read())
        draft = services.draft_from_text(text=text, language=language)
        source = ArticleSource.FILE
    else:
        raise services.ArticleImportError("Only .txt, .html and .htm files can be imported.")
    return services.save_draft(
        draft=draft, workspace=membership.workspace, user=user, source=source
    )


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
            for upload in form.cleaned_data["files"]:
                item = BatchItem(index=len(items), label=upload.name or "file")
                items.append(
                    _run(item, lambda upload=upload: _import_file(
                        upload=upload, membership=membership, user=request.user,
                        language=language,
                    ))
                )
            urls = form.cleaned_data["urls"]
            first_url = len(items)
            for url in urls:
                items.append(BatchItem(index=len(items) - first_url, label=url, url=url))
            form = BatchImportForm(
                initial={"language": language}, max_items=max_items
            )
        else:
            status = 400
    done = sum(1 for item in items if item.state != "pending")
    context = {
        "form": form,
        "items": items,
        "file_items": [item for item in items if not item.url],
        "url_items": [item for item in items if item.url],
        "done": done,
        "imported": sum(1 for item in items if item.state == "imported"),
        "failed": sum(1 for item in items if item.state == "failed"),
        "language": (form.initial or {}).get("language", ""),
        "max_items": max_items,
        "concurrency": BATCH_CONCURRENCY,
        "max_mb": services.max_html_bytes() // 1_048_576,
    }
    return render(request, "articles/batch_import.html", context, status=status)


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
