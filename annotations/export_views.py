"""Export pages and downloads: the workspace export form, and per-article shortcuts.

URLs (all GET; anyone who is not a member of the workspace gets 404):

* ``/export/`` — the form (filters, layout, format). ``?workspace=SLUG`` picks a workspace
  other than the current one; ``?article=ID`` pre-selects articles.
* ``/export/articles/?article_q=…`` — articles matching a search, as checkboxes for the
  form (htmx; without script the form's "Find" button reloads ``/export/`` with them).
* ``/export/download/?…`` — the streamed file, same parameters as the form.
* ``/articles/<id>/export.csv`` and ``/articles/<id>/export.jsonld`` — this article's claims
  (same optional parameters, e.g. ``?layout=tags&only_tagged=0&raw=1&excel=1``).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.access import article_for_reader
from articles.selectors import LibraryFilters, library_articles
from workspaces.models import Membership
from workspaces.selectors import current_membership

from . import export
from .forms import ExportForm


def _form_data(request):
    """GET data with the defaults of a link without parameters (only_tagged is on)."""
    data = request.GET.copy()
    # An unticked checkbox is simply absent: the form sends `filtered=1` so that absence means
    # "off"; a bare link keeps the default ("only tagged" on).
    if "filtered" not in data and "only_tagged" not in data:
        data["only_tagged"] = "on"
    # Links may say ?only_tagged=0 / ?raw=false (a checkbox widget would read them as ticked).
    for name in ("only_tagged", "curated", "raw", "excel"):
        if data.get(name, "").strip().lower() in {"0", "false", "off", "no"}:
            del data[name]
    return data


def requested_membership(request) -> Membership:
    """The membership named by ?workspace=SLUG, else the current one; 404 when not a member
    (export downloads and the agreement report take the same parameter)."""
    if not request.user.is_authenticated:
        raise Http404("No such workspace")
    slug = request.GET.get("workspace")
    if slug:
        membership = (
            Membership.objects.select_related("workspace")
            .filter(user=request.user, workspace__slug=slug)
            .first()
        )
    else:
        membership = current_membership(request=request)
    if membership is None:
        raise Http404("No such workspace")
    return membership


async def _stream_in_one_thread(iterator):
    """Serve a synchronous export under ASGI chunk by chunk.

    Django would otherwise collect a sync iterator into a list before sending it (the whole
    file in memory). Every step runs in the same dedicated thread, since the export's cursor
    belongs to that thread's database connection; a client that goes away cancels this
    generator, which closes the export (and so the COPY) in that thread.
    """
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sourcemark-export")
    loop = asyncio.get_running_loop()
    done = object()
    try:
        while True:
            chunk = await loop.run_in_executor(executor, next, iterator, done)
            if chunk is done:
                return
            yield chunk
    finally:
        await asyncio.shield(loop.run_in_executor(executor, _finish, iterator))
        executor.shutdown(wait=False)


def _finish(iterator) -> None:
    close = getattr(iterator, "close", None)
    if close is not None:
        close()
    connections.close_all()


def download_response(
    options: export.ExportOptions, *, fmt: str, request=None
) -> StreamingHttpResponse:
    content_type = export.CSV_CONTENT_TYPE if fmt == "csv" else export.JSONLD_CONTENT_TYPE
    chunks = export.iter_export(options, fmt=fmt)
    if isinstance(request, ASGIRequest):
        chunks = _stream_in_one_thread(chunks)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename(options, fmt=fmt)}"'
    response["Cache-Control"] = "private, no-store"
    # Tell buffering proxies (nginx) to pass the stream through as it comes.
    response["X-Accel-Buffering"] = "no"
    return response


ARTICLE_MATCHES = 20


def _article_choices(request, membership, form) -> dict:
    """The articles part of the form: those chosen (ticked, kept across searches) and up to
    20 more matching `article_q`, best match first (the library's indexed search)."""
    chosen = form.fields["article"].widget.choices
    query = request.GET.get("article_q", "").strip()[:200]
    matches = []
    if query:
        articles = library_articles(
            workspace=membership.workspace, filters=LibraryFilters(query=query)
        )
        if chosen:
            articles = articles.exclude(pk__in=[pk for pk, _ in chosen])
        matches = list(articles.values_list("id", "title")[:ARTICLE_MATCHES])
    return {"article_q": query, "article_chosen": chosen, "article_matches": matches}


def _render_page(request, membership, form, *, status=200):
    context = {"form": form, "workspace": membership.workspace}
    context |= _article_choices(request, membership, form)
    return render(request, "annotations/export.html", context, status=status)


def _initial(request) -> dict:
    """The form as the person left it (the "Find" button reloads the page with it), or the
    defaults for a bare link."""
    initial = {
        "article": request.GET.getlist("article"),
        "format": "csv",
        "layout": "claims",
        "only_tagged": True,
    }
    if "filtered" not in request.GET:
        return initial
    data = _form_data(request)
    for name in ("tag", "annotator", "status"):
        initial[name] = data.getlist(name)
    for name in ("format", "layout", "since", "until"):
        if data.get(name):
            initial[name] = data[name]
    for name in ("only_tagged", "curated", "raw", "excel"):
        initial[name] = name in data
    return initial


@require_GET
def export_page(request):
    membership = requested_membership(request)
    form = ExportForm(initial=_initial(request), workspace=membership.workspace, user=request.user)
    return _render_page(request, membership, form)


@require_GET
def export_article_search(request):
    """The matches for the export form's article search (htmx swaps them in)."""
    membership = requested_membership(request)
    form = ExportForm(
        initial={"article": request.GET.getlist("article")},
        workspace=membership.workspace,
        user=request.user,
    )
    return render(
        request,
        "annotations/export.html#article-choices",
        _article_choices(request, membership, form),
    )


@require_GET
def export_download(request):
    membership = requested_membership(request)
    form = ExportForm(_form_data(request), workspace=membership.workspace, user=request.user)
    if not form.is_valid():
        return _render_page(request, membership, form, status=400)
    fmt = form.cleaned_data["format"] or "csv"
    return download_response(form.options(membership=membership), fmt=fmt, request=request)


def _article_download(request, pk: int, *, fmt: str):
    article = article_for_reader(user=request.user, pk=pk)
    membership = article.viewer_membership
    data = _form_data(request)
    data.setlist("article", [str(article.pk)])
    form = ExportForm(data, workspace=article.workspace, user=request.user)
    if not form.is_valid():
        return _render_page(request, membership, form, status=400)
    return download_response(form.options(membership=membership), fmt=fmt, request=request)


@require_GET
def article_export_csv(request, pk: int):
    return _article_download(request, pk, fmt="csv")


@require_GET
def article_export_jsonld(request, pk: int):
    return _article_download(request, pk, fmt="jsonld")
