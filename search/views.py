"""The search page: claims (and articles) matching one search box and facets."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from annotations.models import ClaimStatus
from articles.pagination import query_without_empty
from ratelimits.views import rate_limit
from workspaces.selectors import current_membership

from . import selectors
from .forms import SearchForm


def claim_link(claim) -> str:
    """The claim opened in its article (the reading page opens `#claim-<id>`)."""
    return reverse("articles:detail", args=[claim.article_id]) + f"#claim-{claim.pk}"


def _active_filters(*, form: SearchForm, search: selectors.ClaimSearch, workspace, user):
    """The filters in force with what they are called, and errors for ids that are not here."""
    filters = []
    if search.tag_id is not None:
        tag = selectors.visible_tag(workspace=workspace, user=user, pk=search.tag_id)
        if tag is None:
            form.add_error("tag", _("That source tag is not in this workspace."))
        else:
            filters.append(("tag", _("Source tag"), tag.label))
    if search.article_id is not None:
        article = selectors.article_in_workspace(workspace=workspace, pk=search.article_id)
        if article is None:
            form.add_error("article", _("That article is not in this workspace."))
        else:
            filters.append(("article", _("Article"), article.title))
    for name, label, value in (
        ("outlet", _("Outlet"), search.outlet),
        ("cited", _("Cited source"), search.cited),
        ("annotator", _("Annotator"), search.annotator),
        ("article_outlet", _("Article outlet"), search.article_outlet),
    ):
        if value:
            filters.append((name, label, value))
    if search.language:
        language = dict(form.fields["language"].choices).get(search.language, search.language)
        filters.append(("language", _("Article language"), language))
    return filters


@require_GET
@rate_limit("search", methods=("GET",))
def search(request):
    membership = current_membership(request=request)
    if membership is None:
        return render(request, "articles/no_workspace.html", status=200)
    cleaned = None if request.htmx else query_without_empty(request.GET)
    if cleaned is not None:  # a plain form submission: the same search at a tidy address
        return redirect(reverse("search:search") + (f"?{cleaned}" if cleaned else ""))
    workspace, user = membership.workspace, request.user
    form = SearchForm(request.GET)
    form.is_valid()
    search = form.search()
    filters = _active_filters(form=form, search=search, workspace=workspace, user=user)
    search = form.search()  # without an id _active_filters found to be someone else's
    page = selectors.claim_page(workspace=workspace, user=user, search=search, params=request.GET)
    for claim in page.items:
        claim.search_link = claim_link(claim)
    facets = selectors.facets(workspace=workspace, user=user, search=search)
    for row in facets.statuses:
        row["label"] = ClaimStatus(row["value"]).label
    context = {
        "form": form,
        "search": search,
        "filters": filters,
        "page": page,
        "facets": facets,
        "articles": selectors.matching_articles(workspace=workspace, query=search.query),
        "facet_sample": selectors.FACET_SAMPLE,
    }
    template = "search/search.html"
    target = request.htmx.target if request.htmx else None
    if target in ("search-results", "search-app"):
        template += "#results" if target == "search-results" else "#app"
    return render(request, template, context)
