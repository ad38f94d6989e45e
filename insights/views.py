"""The Sources dashboard (its charts, their CSV and SVG) and the per-article source summary."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles.access import article_for_reader
from articles.pagination import query_without_empty
from workspaces.selectors import current_membership

from . import charts, selectors
from .forms import DashboardFilterForm


def _dashboard_data(request):
    """(membership, form, filters, charts) for the current workspace; 404 without one."""
    membership = current_membership(request=request)
    if membership is None:
        raise Http404("No workspace")
    form = DashboardFilterForm(request.GET)
    form.is_valid()
    filters = form.filters()
    data = selectors.dashboard(
        workspace_id=membership.workspace_id, user=request.user, filters=filters
    )
    return membership, form, filters, data


@require_GET
def dashboard(request):
    if current_membership(request=request) is None:
        return render(request, "articles/no_workspace.html")
    cleaned = query_without_empty(request.GET)
    if cleaned is not None and not request.htmx:  # a plain submission of the filter form
        return redirect(reverse("insights:dashboard") + (f"?{cleaned}" if cleaned else ""))
    membership, form, filters, data = _dashboard_data(request)
    query = request.GET.urlencode() if cleaned is None else cleaned
    context = {
        "form": form,
        "filters": filters,
        "data": data,
        "cards": charts.dashboard_cards(data=data, filters=filters, query=query),
        "options": _filter_options(
            selectors.filter_choices(workspace_id=membership.workspace_id, user=request.user),
            filters,
        ),
        "anonymous_search": charts.claim_search_url(filters=filters, anonymous="yes"),
    }
    template = "insights/dashboard.html"
    if request.htmx and request.htmx.target == "dashboard-results":
        template += "#results"
    return render(request, template, context)


def _options(pairs, selected) -> str:
    """<option>s, built here rather than in the template: hundreds of tags and outlets,
    each value and label escaped."""
    wanted = "" if selected is None else str(selected)
    html = "".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == wanted else ""}>'
        f"{escape(label)}</option>"
        for value, label in pairs
    )
    return mark_safe(html)  # noqa: S308 - every value and label is escaped just above


def _filter_options(choices: dict, filters) -> dict[str, str]:
    return {
        "outlet": _options(((o, o) for o in choices["outlets"]), filters.outlet),
        "tag": _options(choices["tags"], filters.tag),
        "annotator": _options(((n, n) for n in choices["annotators"]), filters.annotator),
        "status": _options(choices["statuses"], filters.status),
        "language": _options(((c, c.upper()) for c in choices["languages"]), filters.language),
    }


def _chart(request, key: str):
    _membership, _form, filters, data = _dashboard_data(request)
    for chart in charts.dashboard_charts(data=data, filters=filters):
        if chart.key == key:
            return chart
    raise Http404("No such chart")


def _download(body: str, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def chart_csv(request, chart: str):
    found = _chart(request, chart)
    return _download(
        "\ufeff" + charts.chart_csv(found),  # Excel reads the BOM as UTF-8
        content_type="text/csv; charset=utf-8",
        name=f"sourcemark-{slugify(found.key)}.csv",
    )


@require_GET
def chart_svg(request, chart: str):
    found = _chart(request, chart)
    return _download(
        charts.standalone_svg(found),
        content_type="image/svg+xml; charset=utf-8",
        name=f"sourcemark-{slugify(found.key)}.svg",
    )


@require_GET
def article_summary(request, pk: int):
    """The reading page's source summary (its panel refreshes this on every live change)."""
    article = article_for_reader(user=request.user, pk=pk)
    summary = selectors.article_summary(article=article, user=request.user)
    template = "insights/article_summary.html"
    if request.htmx:
        template += "#summary"
    context = {
        "article": article,
        "summary": summary,
        "status_bar": charts.segments(summary.statuses),
        "source_bar": charts.segments(
            [
                ("anonymous", _("Anonymous"), summary.anonymous),
                ("named", _("Named"), summary.named),
                ("untagged", _("No tag"), summary.untagged),
            ]
        ),
    }
    return render(request, template, context)
