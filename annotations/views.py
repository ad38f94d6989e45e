import json
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.db import InterfaceError, OperationalError, connections
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.access import article_for_reader, article_for_writer
from ratelimits.views import rate_limit, too_many_requests_json
from workspaces.selectors import current_membership

from . import live, revisions, selectors, services
from .access import (
    claim_for_author,
    claim_for_deleter,
    claim_for_reader,
    may_delete,
    reply_for_author,
    tag_change_for_actor,
    tag_for_manager,
    tag_for_member,
)
from .models import ClaimStatus, Visibility

CLAIMS_CHANGED = json.dumps({"claims-changed": True})


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise services.ClaimError(gettext("Offsets must be whole numbers.")) from None


@require_POST
@rate_limit("claim", respond=too_many_requests_json)
def create_claim(request, pk: int):
    """Create a claim from the browser's selection (JSON answer for the highlighter)."""
    article = article_for_writer(user=request.user, pk=pk)
    try:
        claim, created = services.get_or_create_claim(
            article=article,
            author=request.user,
            exact=request.POST.get("exact", ""),
            prefix=request.POST.get("prefix", ""),
            suffix=request.POST.get("suffix", ""),
            start_utf16=_int_or_none(request.POST.get("start")),
            end_utf16=_int_or_none(request.POST.get("end")),
            visibility=request.POST.get("visibility") or Visibility.WORKSPACE,
        )
    except services.ClaimError as error:
        return JsonResponse({"error": str(error)}, status=400)
    # The same passage highlighted again (a double click, a retry) is the claim they have.
    return JsonResponse(
        {
            "id": claim.pk,
            "exact": claim.exact,
            "card_url": claim.get_absolute_url(),
            "created": created,
        },
        status=201 if created else 200,
    )


def _card_context(request, claim, *, error: str = "", conflict: dict | None = None):
    selectors.claim_with_details(claim=claim)
    return {
        "conflict": conflict,
        "claim": claim,
        "article": claim.article,
        "is_author": claim.author_id == request.user.pk,
        "can_delete": may_delete(user=request.user, claim=claim),
        "statuses": ClaimStatus.choices,
        "card_error": error,
    }


def _render_card(
    request,
    claim,
    *,
    status: int = 200,
    error: str = "",
    changed: bool = False,
    conflict: dict | None = None,
):
    template = "annotations/claim_detail.html"
    if request.htmx:
        template += "#card"
    context = _card_context(request, claim, error=error, conflict=conflict)
    response = render(request, template, context, status=status)
    if changed:
        response["HX-Trigger"] = CLAIMS_CHANGED
    return response


def _after_change(request, claim, *, error: str = "", status: int = 200):
    """htmx gets the card back; a plain form post goes back to the claim page."""
    if request.htmx:
        if error:
            # Show the error in the card without losing what is on the page (200 so htmx swaps).
            return _render_card(request, claim, error=error, changed=False)
        return _render_card(request, claim, changed=True, status=status)
    if error:
        messages.error(request, error)
    return redirect(claim.get_absolute_url())


def _visibility_from_form(data) -> str | None:
    """The card's "Private" checkbox: absent from the form means "leave as it is"."""
    if "visibility_present" in data:
        return Visibility.PRIVATE if data.get("visibility") == "private" else Visibility.WORKSPACE
    return data.get("visibility") or None


@require_GET
def claim_detail(request, pk: int):
    claim = claim_for_reader(user=request.user, pk=pk)
    return _render_card(request, claim)


def _edit_in_conflict(data, claim) -> dict:
    """What the reader tried to save, shown next to the current version so nothing is lost."""
    status = data.get("status")
    visibility = _visibility_from_form(data) or claim.visibility
    return {
        "note": data.get("note", claim.note),
        "status": status if status in ClaimStatus.values else claim.status,
        "private": visibility == Visibility.PRIVATE,
    }


@require_POST
def update_claim(request, pk: int):
    claim = claim_for_author(user=request.user, pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return _after_change(request, claim, error="The form is missing its version; reload.")
    try:
        claim = services.update_claim(
            claim=claim,
            version=version,
            note=request.POST.get("note") if "note" in request.POST else None,
            status=request.POST.get("status") or None,
            visibility=_visibility_from_form(request.POST),
        )
    except services.StaleEditError:
        claim.refresh_from_db()
        conflict = _edit_in_conflict(request.POST, claim)
        # 409 for a plain form post; htmx only swaps 2xx answers into the card.
        return _render_card(request, claim, status=200 if request.htmx else 409, conflict=conflict)
    except services.ClaimError as error:
        return _after_change(request, claim, error=str(error))
    return _after_change(request, claim)


@require_POST
def delete_claim(request, pk: int):
    claim = claim_for_deleter(user=request.user, pk=pk)
    article_url = claim.article.get_absolute_url()
    services.delete_claim(claim=claim, actor=request.user)
    if request.htmx:
        response = render(request, "annotations/claim_detail.html#card_deleted", {})
        response["HX-Trigger"] = CLAIMS_CHANGED
        return response
    messages.success(request, gettext("Claim deleted."))
    return redirect(article_url)


@require_POST
def add_tag(request, pk: int):
    claim = claim_for_author(user=request.user, pk=pk)
    try:
        services.add_tag(claim=claim, label=request.POST.get("source_tag", ""), user=request.user)
    except services.ClaimError as error:
        return _after_change(request, claim, error=str(error))
    claim.refresh_from_db()
    return _after_change(request, claim)


@require_POST
def reattach_claim(request, pk: int):
    """Put an orphaned claim on the text the author selected (UTF-16 offsets, like a new claim)."""
    claim = claim_for_author(user=request.user, pk=pk)
    try:
        claim = revisions.reattach_claim(  # _int_or_none raises a ClaimError (a ValueError)
            claim=claim,
            actor=request.user,
            exact=request.POST.get("exact", ""),
            prefix=request.POST.get("prefix", ""),
            suffix=request.POST.get("suffix", ""),
            start_utf16=_int_or_none(request.POST.get("start")),
            end_utf16=_int_or_none(request.POST.get("end")),
        )
    except (revisions.ReattachError, services.ClaimError) as error:
        return _after_change(request, claim, error=str(error))
    return _after_change(request, claim)


@require_POST
def remove_tag(request, pk: int, tag_pk: int):
    claim = claim_for_author(user=request.user, pk=pk)
    services.remove_tag(claim=claim, tag_id=tag_pk, user=request.user)
    claim.refresh_from_db()
    return _after_change(request, claim)


@require_POST
def add_reply(request, pk: int):
    claim = claim_for_reader(user=request.user, pk=pk)
    try:
        services.add_reply(claim=claim, author=request.user, body=request.POST.get("body", ""))
    except services.ClaimError as error:
        return _after_change(request, claim, error=str(error))
    return _after_change(request, claim)


@require_POST
def update_reply(request, pk: int):
    reply = reply_for_author(user=request.user, pk=pk)
    claim = claim_for_reader(user=request.user, pk=reply.claim_id)
    try:
        services.update_reply(reply=reply, body=request.POST.get("body", ""))
    except services.ClaimError as error:
        return _after_change(request, claim, error=str(error))
    return _after_change(request, claim)


@require_POST
def delete_reply(request, pk: int):
    reply = reply_for_author(user=request.user, pk=pk)
    claim = claim_for_reader(user=request.user, pk=reply.claim_id)
    services.delete_reply(reply=reply)
    return _after_change(request, claim)


@require_GET
def tag_suggestions(request):
    """Autocomplete for source tags: <option>s for a <datalist>, most used first."""
    membership = current_membership(request=request)
    workspace_id = membership.workspace_id if membership else None
    if request.GET.get("article"):
        try:
            article_pk = _int_or_none(request.GET["article"])
        except services.ClaimError:
            raise Http404("No such article") from None
        article = article_for_reader(user=request.user, pk=article_pk)
        workspace_id = article.workspace_id
    tags = []
    if workspace_id is not None:
        # The tag field of a claim sends `source_tag`; the Sources page's merge field sends
        # `into_label` and the tag being merged (not a target for itself) as `exclude`.
        query = request.GET.get("source_tag") or request.GET.get("into_label", "")
        try:
            exclude_id = _int_or_none(request.GET.get("exclude"))
        except services.ClaimError:
            exclude_id = None
        tags = selectors.tag_suggestions(
            workspace_id=workspace_id, user=request.user, query=query, exclude_id=exclude_id
        )
    return render(request, "annotations/tag_suggestions.html", {"tags": tags})


@require_http_methods(["GET"])
def tag_list(request):
    """The Sources page: one page of the workspace's tags (filtered by `q`), most used
    first. Typing in the filter swaps only the results (htmx); the links work without it."""
    membership = current_membership(request=request)
    if membership is None:
        return render(request, "articles/no_workspace.html")
    query = request.GET.get("q", "").strip()[:200]
    page = selectors.tag_page(
        workspace_id=membership.workspace_id, user=request.user, query=query, params=request.GET
    )
    manageable = selectors.manageable_tag_ids(
        workspace_id=membership.workspace_id,
        user=request.user,
        role=membership.role,
        tag_ids=[tag.pk for tag in page],
    )
    for tag in page:
        tag.manageable = tag.pk in manageable
    template = "annotations/tag_list.html"
    if request.htmx and request.htmx.target == "tag-results":
        template += "#results"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "can_write": membership.can_write,
            "is_owner": membership.role == "owner",
            "undo": selectors.undoable_change(pk=request.GET.get("done"), user=request.user),
        },
    )


@require_GET
def manage_tag(request, pk: int):
    """A tag's rename and merge forms: a page of their own, or (htmx) the part the Sources
    page opens in the tag's row, so a page of tags does not carry every row's forms."""
    tag = tag_for_manager(user=request.user, pk=pk)
    template = "annotations/tag_manage.html"
    if request.htmx:
        template += "#tools"
    return render(request, template, {"tag": tag})


def _confirm_tag_change(request, *, tag, action: str, label: str = "", target=None):
    """The confirmation step: a page of its own, or its partial in the tag row for htmx."""
    template = "annotations/tag_confirm.html"
    if request.htmx:
        template += "#confirm"
    context = {
        "tag": tag,
        "action": action,
        "label": label,
        "target": target,
        "reach": selectors.tag_reach(tag=tag, user=request.user),
    }
    return render(request, template, context)


def _tag_change_done(change):
    """Back to the tag list, which offers to undo the change."""
    return redirect(f"{reverse('annotations:tags')}?done={change.pk}")


@require_POST
def rename_tag(request, pk: int):
    tag = tag_for_manager(user=request.user, pk=pk)
    try:
        label = services.check_rename(tag=tag, label=request.POST.get("label", ""))
        if request.POST.get("confirm") != "yes":
            return _confirm_tag_change(request, tag=tag, action="rename", label=label)
        tag = services.rename_tag(tag=tag, label=label, actor=request.user)
    except services.ClaimError as error:
        messages.error(request, str(error))
        return redirect("annotations:tags")
    return _tag_change_done(tag.change)


def _merge_target_pk(request, *, source) -> int | None:
    """The id of the tag to merge into: `into` (the confirmation step sends the id), else
    the label typed or picked from the suggestions (`into_label`)."""
    try:
        target_pk = _int_or_none(request.POST.get("into"))
    except services.ClaimError:
        return None
    if target_pk is None:
        target = selectors.merge_target(
            source=source, user=request.user, label=request.POST.get("into_label", "")
        )
        target_pk = target.pk if target else None
    return target_pk


@require_POST
def merge_tag(request, pk: int):
    source = tag_for_manager(user=request.user, pk=pk)
    target_pk = _merge_target_pk(request, source=source)
    if target_pk is None:
        label = request.POST.get("into_label", "").strip()
        if label:
            messages.error(
                request,
                gettext("There is no tag “%(label)s” to merge into: choose one of the suggestions.")
                % {"label": label},
            )
        else:
            messages.error(request, gettext("Choose the tag to merge into."))
        return redirect("annotations:tags")
    target = tag_for_member(user=request.user, pk=target_pk, writers_only=True)
    if request.POST.get("confirm") != "yes":
        return _confirm_tag_change(request, tag=source, action="merge", target=target)
    try:
        target = services.merge_tags(source=source, target=target, actor=request.user)
    except services.ClaimError as error:
        messages.error(request, str(error))
        return redirect("annotations:tags")
    return _tag_change_done(target.change)


@require_POST
def undo_tag_change(request, pk: int):
    change = tag_change_for_actor(user=request.user, pk=pk)
    try:
        change = services.undo_tag_change(change=change)
        messages.success(request, gettext("Undone: %(summary)s.") % {"summary": change.summary})
    except services.ClaimError as error:
        messages.error(request, str(error))
    return redirect("annotations:tags")


@require_POST
def toggle_tag_anonymous(request, pk: int):
    tag = tag_for_manager(user=request.user, pk=pk)
    services.set_tag_anonymous(
        tag=tag, anonymous=request.POST.get("anonymous") == "true", actor=request.user
    )
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(_tags_page_url(request.POST.get("back", "")))


def _tags_page_url(query_string: str) -> str:
    """The Sources page the form was on (its filter and place), from the `back` field; only
    those parameters are kept, so the field can lead nowhere else."""
    back = QueryDict(query_string.lstrip("?"))
    kept = {key: back[key] for key in ("q", "after", "before") if back.get(key)}
    url = reverse("annotations:tags")
    return f"{url}?{urlencode(kept)}" if kept else url


def _event_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _open_event_stream(request, pk: int, *, release_connection: bool):
    """Everything the stream needs from the database, in one go: the reader, the article
    (404 if they may not read it), where to start and the events since then (filtered in
    SQL by who may see each row now). Under ASGI this runs as one hop into the sync thread
    and gives the connection back at once; interleaving several hops with other requests
    could leave the pool empty while its holders wait for that thread."""
    try:
        user = request.user
        article = article_for_reader(user=user, pk=pk)
        after_id = _event_id(request.headers.get("Last-Event-ID"))
        if after_id is None:
            after_id = _event_id(request.GET.get("since"))
        if after_id is None:
            after_id = live.latest_event_id(article_id=article.pk)
        events = live.visible_events(article_id=article.pk, user=user, after_id=after_id)
        return user, article, after_id, events
    finally:
        if release_connection:
            connections.close_all()


async def article_events(request, pk: int):
    """Server-Sent Events for one article: every change a reader may see, as it happens.

    Resumes after Last-Event-ID (sent by the browser when it reconnects) or ?since=; a new
    stream starts at the newest event. 404 for anyone who cannot read the article; 503 with
    Retry-After when this process holds LIVE_MAX_STREAMS streams (live.stream_admission)
    or cannot read the database in time.
    """
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not isinstance(request, ASGIRequest):
        # A WSGI worker cannot hold a stream open without blocking: send what is new and
        # let the browser come back (it resumes from its Last-Event-ID) — polling, not push.
        _, _, _, events = await sync_to_async(_open_event_stream)(
            request, pk, release_connection=False
        )
        return _event_response(iter([live.polling_response(events or [])]))
    # Streams are admitted (and wait their turn to open) in live.stream_admission, before
    # any middleware reads the database.
    try:
        user, article, after_id, events = await sync_to_async(_open_event_stream)(
            request, pk, release_connection=True
        )
    except (OperationalError, InterfaceError):
        return live.come_back_later()
    # The stream may stay open for hours; it reads through the live module's own few
    # threads, each taking a pooled connection only for the read.
    return _event_response(
        live.event_stream(article_id=article.pk, user=user, after_id=after_id, backlog=events)
    )


def _event_response(stream) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # let proxies pass events through at once
    return response
