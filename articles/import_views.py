"""Importing news pages: one page by URL or .html file, and batches of URLs and files.

Every import runs in the background (articles/imports.py, a job per item): a POST saves the
batch and answers at once with a redirect to its page, ``/articles/import/batch/<id>/``,
which shows the items' state from the database and polls it (htmx, every second) until all
are finished. A single page from the web form lands on its article when done.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ratelimits.views import rate_limit
from workspaces.selectors import current_membership

from . import imports, services
from .forms import BatchImportForm, ImportWebForm, _normalise_web_address
from .models import ArticleSource, ImportBatch, ImportItem, ImportStatus
from .views import announce_import

# How often the batch page asks for the items' state while some are not finished.
POLL_SECONDS = 1


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
    """One page: by URL or as an uploaded .html/.htm file, imported in the background."""
    membership, refused = _writer_membership(request)
    if refused:
        return refused
    form = ImportWebForm(request.POST or None, request.FILES or None)
    status = 200
    duplicate = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            upload = data.get("file")
            choice = request.POST.get("duplicate", "")
            duplicate = None
            if upload is None and choice != "new":
                duplicate = services.article_with_address(
                    workspace=membership.workspace, url=data["url"]
                )
            if duplicate is not None and choice == "revision":
                # A new revision of an article already here: fetched now, once, and its
                # claims re-anchored in the same transaction.
                try:
                    article, revision = _import_web_form(
                        form=form, membership=membership, user=request.user, choice=request.POST
                    )
                except services.ArticleImportError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect(announce_import(request, article, revision))
            elif duplicate is not None:
                status = 200  # ask: a new revision of it, or a separate article?
            else:
                batch = imports.queue_batch(
                    workspace=membership.workspace,
                    user=request.user,
                    urls=[] if upload is not None else [data["url"]],
                    files=[upload] if upload is not None else [],
                    title=data.get("title", ""),
                    outlet=data.get("outlet", ""),
                    language=data.get("language", ""),
                    single=True,
                    count_limit=False,  # this request was counted by @rate_limit
                )
                return redirect(batch.get_absolute_url())
    context = {
        "form": form,
        "max_mb": services.max_html_bytes() // 1_048_576,
        "duplicate": duplicate,
    }
    return render(request, "articles/import_web.html", context, status=status)


def _import_web_form(*, form: ImportWebForm, membership, user, choice):
    """A new revision of the workspace's article at this address (the person chose it)."""
    data = form.cleaned_data
    overrides = {
        "title": data.get("title", ""),
        "outlet": data.get("outlet", ""),
        "language": data.get("language", ""),
    }
    draft, html = services.draft_and_page_from_url(url=data["url"], **overrides)
    return services.save_or_revise(
        draft=draft,
        workspace=membership.workspace,
        user=user,
        source=ArticleSource.URL,
        choice=choice.get("duplicate", ""),
        revision_of=choice.get("duplicate_of", ""),
        urls=[data["url"]],
        original=html,
    )


@require_http_methods(["GET", "POST"])
def import_batch(request):
    """The batch form; a valid POST queues every item (each counts against the import rate
    limit on its own) and goes to the batch's page."""
    membership, refused = _writer_membership(request)
    if refused:
        return refused
    max_items = settings.ARTICLE_BATCH_MAX_ITEMS
    form = BatchImportForm(request.POST or None, request.FILES or None, max_items=max_items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            batch = imports.queue_batch(
                workspace=membership.workspace,
                user=request.user,
                urls=form.cleaned_data["urls"],
                files=form.cleaned_data["files"],
                language=form.cleaned_data.get("language", ""),
            )
            return redirect(batch.get_absolute_url())
        status = 400
    context = {"form": form, **_form_context(max_items=max_items)}
    return render(request, "articles/batch_import.html", context, status=status)


def _form_context(*, max_items: int) -> dict:
    return {"max_items": max_items, "max_mb": services.max_html_bytes() // 1_048_576}


def _own_batch(request, batch_id: int) -> ImportBatch:
    """A batch is its importer's alone (in a workspace they still write to); else 404."""
    membership = current_membership(request=request)
    batch = (
        ImportBatch.objects.filter(pk=batch_id, created_by=request.user)
        .select_related("workspace")
        .first()
    )
    if batch is None or membership is None or membership.workspace_id != batch.workspace_id:
        raise Http404("No such import.")
    return batch


def _batch_state(batch: ImportBatch) -> dict:
    items = list(batch.items.select_related("article").defer("file_data"))
    counts = {status: 0 for status in ImportStatus.values}
    for item in items:
        counts[item.status] += 1
    done = counts[ImportStatus.DONE] + counts[ImportStatus.FAILED]
    return {
        "batch": batch,
        "items": items,
        "total": len(items),
        "done": done,
        "imported": counts[ImportStatus.DONE],
        "failed": counts[ImportStatus.FAILED],
        "complete": done == len(items),
        "poll_seconds": POLL_SECONDS,
    }


@require_GET
def import_batch_status(request, batch_id: int):
    """The batch's page (and, for htmx polls, its progress section) from the database."""
    batch = _own_batch(request, batch_id)
    state = _batch_state(batch)
    if batch.single and state["complete"] and state["items"]:
        return _single_result(request, item=state["items"][0])
    if request.htmx:
        return render(request, "articles/batch_import.html#progress", state)
    max_items = settings.ARTICLE_BATCH_MAX_ITEMS
    context = {
        **state,
        **_form_context(max_items=max_items),
        "form": BatchImportForm(initial={"language": batch.language}, max_items=max_items),
    }
    return render(request, "articles/batch_import.html", context)


def _single_result(request, *, item: ImportItem):
    """A page from the web form, finished: go and read it, or show the form again with the
    reason (and the address, to correct it)."""
    if item.status == ImportStatus.DONE and item.article is not None:
        target = item.article.get_absolute_url()
        _warn(request, item=item)
        if request.htmx:  # the poll: htmx follows this to the article
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        count = item.article.blocks.count()
        messages.success(
            request,
            gettext("Imported “%(title)s” as %(count)s blocks.")
            % {"title": item.article.title, "count": count},
        )
        return redirect(target)
    if request.htmx:  # the poll: reload into the form with the reason
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    form = ImportWebForm(initial={"url": item.url, "title": item.title, "outlet": item.outlet})
    context = {
        "form": form,
        "max_mb": services.max_html_bytes() // 1_048_576,
        "import_error": item.error or "The article was deleted.",
        "import_label": item.label,
    }
    return render(request, "articles/import_web.html", context)


def _warn(request, *, item: ImportItem) -> None:
    """What the import says to check (a guessed title) greets the person on the article,
    whose title they can edit right there; shown once, on landing."""
    for warning in item.warnings:
        messages.warning(request, gettext("Check this import: %(warning)s") % {"warning": warning})


@require_POST
def import_batch_item(request):
    """Queue one URL as a batch of its own and answer with its row (the page before the
    background jobs posted each URL here; kept for clients that still do)."""
    membership = current_membership(request=request)
    if membership is None or not membership.can_write:
        return HttpResponse("You cannot import articles in this workspace.", status=403)
    raw = request.POST.get("url", "")[:2100]
    language = request.POST.get("language", "")
    if language not in {"", "de", "en"}:
        language = ""
    try:
        url = _normalise_web_address(raw)
        error = "" if url else "The line is empty."
    except ValidationError as invalid:
        url, error = "", " ".join(invalid.messages)
    if error:
        item = ImportItem(
            url=raw.strip() or "(empty line)", status=ImportStatus.FAILED, error=error
        )
    else:
        batch = imports.queue_batch(
            workspace=membership.workspace, user=request.user, urls=[url], language=language
        )
        item = batch.items.get()
    return render(request, "articles/batch_import.html#row", {"item": item})
