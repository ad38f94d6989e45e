"""The reading page (an article with its claims), its block-kind fixes, and the activity log."""

import json

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from activity.models import ActivityVerb
from articles import services as article_services
from articles.access import article_for_writer, block_for_writer
from articles.forms import LANGUAGE_CHOICES, ArticleTitleForm, BlockKindForm
from articles.models import BlockKind
from workspaces.access import membership_for

from . import selectors
from .access import article_for_reading
from .page import block_with_marks, render_reading_page

LANGUAGE_NAMES = {code: name for code, name in LANGUAGE_CHOICES if code}
# What each change log verb says, for live.js's notices ("bob tagged a claim").
ACTIVITY_VERBS_JSON = json.dumps(dict(ActivityVerb.choices))
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
            "language_name": LANGUAGE_NAMES.get(article.language, ""),
            "claim_url_template": claim_url_template(),
            "activity_verbs": ACTIVITY_VERBS_JSON,
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
    messages.success(request, f"Block marked as {block.get_kind_display().lower()}.")
    return redirect(f"{block.article.get_absolute_url()}#block-{block.pk}")


@require_POST
def rename_article(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    form = ArticleTitleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a title of at most 500 characters.")
        return redirect(article.get_absolute_url())
    try:
        article_services.rename_article(article=article, title=form.cleaned_data["title"])
    except article_services.ArticleImportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Title saved.")
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
