"""Suggested claims on the reading page: compute them, accept (edited or not), dismiss."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from articles.access import article_for_writer
from ratelimits.views import rate_limit

from . import suggestions
from .access import suggestion_for_writer
from .services import ClaimError
from .views import CLAIMS_CHANGED, _render_card


def _changed(request, article, message: str = ""):
    """htmx: the page refreshes its marks and panels; a plain form post goes back to it."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Trigger": CLAIMS_CHANGED})
    if message:
        messages.success(request, message)
    return redirect(f"{article.get_absolute_url()}#suggestion-panel")


def _refused(request, article, error: str):
    if request.htmx:
        # Shown in the claim card (200 so htmx swaps it); the panel refreshes to what is true.
        body = format_html('<p class="form-error" role="alert">{}</p>', error)
        return HttpResponse(body, headers={"HX-Trigger": CLAIMS_CHANGED})
    messages.error(request, error)
    return redirect(f"{article.get_absolute_url()}#suggestion-panel")


@require_POST
def compute(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    found = suggestions.compute_suggestions(article_id=article.pk, actor=request.user)
    return _changed(
        request,
        article,
        ngettext("%(count)s suggestion found.", "%(count)s suggestions found.", found)
        % {"count": found},
    )


@require_POST
@rate_limit("claim")
def accept(request, pk: int):
    suggestion, article = suggestion_for_writer(user=request.user, pk=pk)
    try:
        claim = suggestions.accept_suggestion(
            suggestion=suggestion, user=request.user, label=request.POST.get("label", "")
        )
    except ClaimError as error:
        return _refused(request, article, str(error))
    if request.htmx:
        # The new claim's card opens for editing; the page refreshes its marks and panels.
        return _render_card(request, claim, changed=True)
    messages.success(request, gettext("Suggestion accepted: edit the claim below."))
    return redirect(f"/claims/{claim.pk}/")


@require_POST
def dismiss(request, pk: int):
    suggestion, article = suggestion_for_writer(user=request.user, pk=pk)
    suggestions.dismiss_suggestion(suggestion=suggestion, user=request.user)
    return _changed(request, article, gettext("Suggestion dismissed."))


@require_POST
@rate_limit("claim")
def decide_all(request, pk: int):
    article = article_for_writer(user=request.user, pk=pk)
    label = request.POST.get("label", "")
    if request.POST.get("action") == "accept":
        claims = suggestions.accept_all(article=article, label=label, user=request.user)
        return _changed(
            request,
            article,
            gettext("Accepted %(count)s from %(label)s.") % {"count": len(claims), "label": label},
        )
    if request.POST.get("action") == "dismiss":
        count = suggestions.dismiss_all(article=article, label=label, user=request.user)
        return _changed(
            request,
            article,
            gettext("Dismissed %(count)s from %(label)s.") % {"count": count, "label": label},
        )
    return _refused(request, article, gettext("Choose accept or dismiss."))
