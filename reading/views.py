"""The reading page (an article with its claims), its block-kind fixes, and the activity log."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from articles import services as article_services
from articles.access import block_for_writer
from articles.forms import LANGUAGE_CHOICES, BlockKindForm
from articles.models import BlockKind
from workspaces.access import membership_for

from . import selectors
from .access import article_for_reading
from .page import block_with_marks, render_reading_page

LANGUAGE_NAMES = {code: name for code, name in LANGUAGE_CHOICES if code}


@require_GET
def article_detail(request, pk: int):
    article = article_for_reading(user=request.user, pk=pk)
    fragment = {"article-blocks": "blocks", "claim-panel": "panel"}.get(
        request.htmx.target if request.htmx else None, ""
    )
    return render_reading_page(
        request,
        article=article,
        can_write=article.viewer_membership.can_write,
        context={
            "article": article,
            "can_write": article.viewer_membership.can_write,
            "language_name": LANGUAGE_NAMES.get(article.language, ""),
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
