"""The reading page (an article with its claims), its block-kind fixes, and the activity log."""

import json

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from activity.models import ActivityVerb
from articles import services as article_services
from articles.access import article_for_writer, block_for_writer
from articles.forms import LANGUAGE_CHOICES, ArticleTitleForm, BlockKindForm
from articles.models import BlockKind
from workspaces.access import membership_for

from . import selectors
from .access import article_for_reading
from .forms import NewVersionForm
from .page import block_with_marks, render_reading_page

LANGUAGE_NAMES = {code: name for code, name in LANGUAGE_CHOICES if code}


def activity_verbs_json() -> str:
    """What each change log verb says, for live.js's notices ("bob tagged a claim"), in the
    reader's interface language (the labels are lazy translations)."""
    return json.dumps({verb: str(label) for verb, label in ActivityVerb.choices})


_SENTINEL = "987654321"


def claim_url_template() -> str:
    """A claim card's URL with "{id}" for the claim (highlight.js and live.js fill it in)."""
    return reverse("annotations:detail", args=[int(_SENTINEL)]).replace(_SENTINEL, "{id}")


@require_GET
def article_detail(request, pk: int):
    article = article_for_reading(user=request.user, pk=pk)
    fragment = {
        "article-blocks": "blocks",
        "claim-panel": "panel",
        "suggestion-panel": "suggestions",
    }.get(request.htmx.target if request.htmx else None, "")
    return render_reading_page(
        request,
        article=article,
        can_write=article.viewer_membership.can_write,
        context={
            "article": article,
            "can_write": article.viewer_membership.can_write,
            "language_name": str(LANGUAGE_NAMES.get(article.language, "")),
            "claim_url_template": claim_url_template(),
            "activity_verbs": activity_verbs_json(),
        },
        fragment=fragment,
    )


@require_POST
def change_block_kind(request, pk: int, block_pk: int):
    block = block_for_writer(user=request.user, article_pk=pk, block_pk=block_pk)
    form = BlockKindForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose one of: " + ", ".join(BlockKind.values))
    block = article_services.change_block_kind(
        block=block, kind=form.cleaned_data["kind"], user=request.user
    )
    if request.htmx:
        article = article_for_reading(user=request.user, pk=pk)
        return HttpResponse(block_with_marks(request=request, article=article, block_pk=block.pk))
    messages.success(
        request,
        gettext("Block marked as “%(kind)s”.") % {"kind": block.get_kind_display()},
    )
    return redirect(f"{block.article.get_absolute_url()}#block-{block.pk}")


@require_POST
def rename_article(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    form = ArticleTitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Enter a title of at most 500 characters."))
        return redirect(article.get_absolute_url())
    try:
        article_services.rename_article(article=article, title=form.cleaned_data["title"])
    except article_services.ArticleImportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("Title saved."))
    return redirect(article.get_absolute_url())


@require_GET
def activity(request, pk: int):
    membership = membership_for(user=request.user, workspace_id=pk)
    page = selectors.activity_page(
        workspace=membership.workspace, user=request.user, params=request.GET
    )
    return render(
        request,
        "workspaces/activity.html",
        {"workspace": membership.workspace, "membership": membership, "page": page},
    )


def _revision_number(value, *, default: int, numbers: list[int]) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number in numbers else default


def _versions_page(request, article, *, form=None, status: int = 200):
    revisions = selectors.article_revisions(article=article)
    numbers = [revision.number for revision in revisions]
    newer_number = _revision_number(request.GET.get("b"), default=numbers[-1], numbers=numbers)
    older_default = numbers[-2] if len(numbers) > 1 else numbers[-1]
    older_number = _revision_number(request.GET.get("a"), default=older_default, numbers=numbers)
    by_number = {revision.number: revision for revision in revisions}
    comparison = None
    if older_number != newer_number:
        comparison = selectors.compare_revisions(
            article=article,
            user=request.user,
            older=by_number[older_number],
            newer=by_number[newer_number],
        )
    return render(
        request,
        "articles/versions.html",
        {
            "article": article,
            "revisions": revisions,
            "older": older_number,
            "newer": newer_number,
            "comparison": comparison,
            "can_write": article.viewer_membership.can_write,
            "form": form or NewVersionForm(),
        },
        status=status,
    )


@require_GET
def versions(request, pk: int):
    """The article's revisions, and what changed between two of them."""
    return _versions_page(request, article_for_reading(user=request.user, pk=pk))


def _revision_message(request, result) -> None:
    if not result.changed:
        messages.info(request, gettext("The text has not changed: no new version was made."))
        return
    messages.success(
        request,
        f"Version {result.revision.number} saved: {result.reanchored} claims re-anchored, "
        f"{result.orphaned} orphaned.",
    )


@require_POST
def upload_version(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    form = NewVersionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _versions_page(request, article, form=form, status=400)
    upload = form.cleaned_data.get("file")
    try:
        if upload:
            result = article_services.revise_from_file(
                article=article, data=upload.read(), name=upload.name, user=request.user
            )
        else:
            result = article_services.revise_from_text(
                article=article, text=form.cleaned_data["text"], user=request.user
            )
    except article_services.ArticleImportError as error:
        form.add_error(None, str(error))
        return _versions_page(request, article, form=form, status=400)
    _revision_message(request, result)
    return redirect(article.get_absolute_url())


@require_POST
def check_for_updates(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    try:
        result = article_services.check_for_updates(article=article, user=request.user)
    except article_services.ArticleImportError as error:
        messages.error(
            request, gettext("Could not check for updates: %(error)s") % {"error": error}
        )
        return redirect(article.get_absolute_url())
    _revision_message(request, result)
    return redirect(article.get_absolute_url())


@require_GET
def fix_extraction(request, pk: int):
    """Split, merge or delete blocks, or add a paragraph the extraction missed."""
    article = article_for_writer(user=request.user, pk=pk)
    return render(
        request,
        "articles/fix_extraction.html",
        {
            "article": article,
            "blocks": list(article.blocks.order_by("position")),
            "missing": article_services.missing_paragraphs(article=article),
        },
    )


def _position(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise article_services.ArticleImportError("Choose a block.") from None


def _apply_fix(request, article):
    action, data = request.POST.get("action", ""), request.POST
    if action == "split":
        return article_services.split_block(
            article=article,
            position=_position(data.get("position")),
            text=data.get("text", ""),
            user=request.user,
        )
    if action == "merge":
        return article_services.merge_with_next(
            article=article, position=_position(data.get("position")), user=request.user
        )
    if action == "delete":
        return article_services.delete_block(
            article=article, position=_position(data.get("position")), user=request.user
        )
    if action == "add":
        return article_services.add_from_original(
            article=article,
            text=data.get("text", ""),
            after=_position(data.get("after")),
            user=request.user,
        )
    raise article_services.ArticleImportError("Choose split, merge, delete or add.")


@require_POST
def apply_fix(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    try:
        result = _apply_fix(request, article)
    except article_services.ArticleImportError as error:
        messages.error(request, str(error))
    else:
        _revision_message(request, result)
    return redirect("articles:fix_extraction", pk=article.pk)
