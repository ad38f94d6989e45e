from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from ratelimits.views import rate_limit
from workspaces.selectors import current_membership

from . import selectors, services
from .forms import LANGUAGE_CHOICES, ImportTextForm
from .limits import file_too_large_message
from .models import ArticleSource, BlockKind

LANGUAGE_NAMES = {code: name for code, name in LANGUAGE_CHOICES if code}


@require_GET
def library(request):
    membership = current_membership(request=request)
    if membership is None:
        return render(request, "articles/no_workspace.html", status=200)
    filters = selectors.LibraryFilters(
        query=request.GET.get("q", "").strip()[:200],
        outlet=request.GET.get("outlet", "").strip(),
        language=request.GET.get("language", "").strip(),
    )
    page = selectors.library_page(
        workspace=membership.workspace, filters=filters, params=request.GET
    )
    context = {
        "page": page,
        "filters": filters,
        "kinds": BlockKind,
        "can_write": membership.can_write,
        "ranked_matches": selectors.RANKED_MATCHES,
    }
    if request.htmx and request.htmx.target == "library-results":
        # Only the results are swapped as one types: the filter menus stay as they are.
        return render(request, "articles/library.html#results", context)
    facets = selectors.facet_values(workspace=membership.workspace)
    context["facets"] = facets
    context["language_options"] = [
        (code, LANGUAGE_NAMES.get(code, code.upper())) for code in facets["languages"]
    ]
    return render(request, "articles/library.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit("import")
def import_article(request):
    membership = current_membership(request=request)
    if membership is None or not membership.can_write:
        return render(request, "articles/no_workspace.html", status=403 if membership else 200)
    form = ImportTextForm(request.POST or None, request.FILES or None)
    status = 200
    duplicate = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                article, revision = _import_from_form(
                    form=form, membership=membership, user=request.user, choice=request.POST
                )
            except services.DuplicateArticle as found:
                status, duplicate = 200, found.article
            except services.ArticleImportError as error:
                form.add_error(None, str(error))
            else:
                return redirect(announce_import(request, article, revision))
    return render(
        request,
        "articles/import.html",
        {"form": form, "max_mb": services.max_upload_bytes() // 1_048_576, "duplicate": duplicate},
        status=status,
    )


def announce_import(request, article, revision) -> str:
    """Say what an import did; the address to go to next."""
    if revision is None:
        counts = article.blocks.count()
        messages.success(
            request,
            gettext("Imported “%(title)s” as %(counts)s blocks.")
            % {"title": article.title, "counts": counts},
        )
    elif revision.changed:
        messages.success(
            request,
            gettext(
                "Version %(number)s of “%(title)s” saved: "
                "%(reanchored)s claims re-anchored, %(orphaned)s orphaned."
            )
            % {
                "number": revision.revision.number,
                "title": article.title,
                "reanchored": revision.reanchored,
                "orphaned": revision.orphaned,
            },
        )
    else:
        messages.info(
            request,
            gettext("“%(title)s” has not changed: no new version was made.")
            % {"title": article.title},
        )
    return article.get_absolute_url()


def _import_from_form(*, form: ImportTextForm, membership, user, choice):
    data = form.cleaned_data
    upload = data.get("file")
    if upload is not None:
        if upload.size > services.max_upload_bytes():
            raise services.ArticleImportError(
                file_too_large_message(size=upload.size, limit=services.max_upload_bytes())
            )
        text = services.decode_text_file(data=upload.read())
        source = ArticleSource.FILE
    else:
        text = data["text"]
        source = ArticleSource.PASTE
    draft = services.draft_from_text(
        text=text,
        title=data.get("title", ""),
        outlet=data.get("outlet", ""),
        url=data.get("url", ""),
        language=data.get("language", ""),
    )
    if source == ArticleSource.FILE:  # an upload is not sent again: no question to ask
        return services.save_draft(
            draft=draft, workspace=membership.workspace, user=user, source=source
        ), None
    return services.save_or_revise(
        draft=draft,
        workspace=membership.workspace,
        user=user,
        source=source,
        choice=choice.get("duplicate", ""),
        revision_of=choice.get("duplicate_of", ""),
        original=text,
    )
