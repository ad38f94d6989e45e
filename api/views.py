"""The W3C Web Annotation Protocol over Sourcemark's claims (README, "Using the API").

* ``/api/articles/<id>/annotations/`` — one article's annotation container (GET, HEAD,
  OPTIONS, POST);
* ``/api/workspaces/<slug>/annotations/`` — every claim of a workspace the caller may see
  (GET, HEAD, OPTIONS; read-only);
* ``/api/articles/<id>/annotations/<claim>`` — one annotation (GET, HEAD, OPTIONS, PUT,
  DELETE); a browser asking for HTML is redirected to the claim's page;
* ``/api/schema/`` — the OpenAPI description.

Only bearer tokens authenticate here (api/access.py); the site's permission rules decide the
rest, and what is not the caller's is a 404. Errors are RFC 9457 problem documents.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from annotations.access import claim_for_author, claim_for_deleter, claim_for_reader
from annotations.export import ExportOptions, annotation_iri, article_iri
from annotations.services import ClaimError
from articles.access import article_for_reader, article_for_writer
from ratelimits import limiter
from workspaces.models import Membership

from . import openapi, protocol, selectors, services
from .access import Caller, NotAuthenticated, ReadOnlyToken, authenticate, require_write
from .protocol import ProtocolError
from .w3c import AnnotationProblem, parse_annotation


def _unauthenticated(error: NotAuthenticated) -> HttpResponse:
    response = protocol.problem(401, "Unauthorized", error.description)
    challenge = 'Bearer realm="Sourcemark API"'
    if error.error:
        challenge += f', error="{error.error}"'
    response["WWW-Authenticate"] = challenge
    return response


def _run(view, request, args, kwargs) -> HttpResponse:
    """Call the view and turn every expected failure into its problem response."""
    try:
        caller = authenticate(authorization=request.headers.get("Authorization", ""))
        return view(request, caller, *args, **kwargs)
    except NotAuthenticated as error:
        return _unauthenticated(error)
    except ReadOnlyToken as error:
        response = protocol.problem(403, "Read-only token", str(error))
        response["WWW-Authenticate"] = 'Bearer realm="Sourcemark API", error="insufficient_scope"'
        return response
    except Http404:
        return protocol.problem(404, "Not found", "There is nothing here for this token.")
    except ProtocolError as error:
        return error.response()
    except AnnotationProblem as error:
        return protocol.problem(
            400, "Not an annotation Sourcemark can take", error.detail, pointer=error.pointer
        )
    except services.PreconditionFailed as error:
        return protocol.problem(412, "Precondition failed", str(error))
    except ClaimError as error:
        return protocol.problem(400, "Bad annotation", str(error))


def endpoint(*, allow: str, links: str, accept_post: bool = False):
    """An API view: bearer-token callers only (no session, so no CSRF), the protocol's headers
    on every response, 405 for methods outside `allow`."""
    methods = {method.strip() for method in allow.split(",")}

    def decorate(view):
        @login_not_required
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = _run(_checking_method(view, methods), request, args, kwargs)
            response["Link"] = links
            response["Allow"] = allow
            if accept_post:
                response["Accept-Post"] = protocol.JSONLD
            patch_vary_headers(response, ["Accept", "Prefer"])
            patch_cache_control(response, private=True, no_cache=True)
            return response

        return wrapper

    return decorate


def _checking_method(view, methods: set[str]):
    def checked(request, caller, *args, **kwargs):
        if request.method not in methods:
            raise ProtocolError(
                405, "Method not allowed", f"{request.method} is not supported here."
            )
        if request.method == "OPTIONS":
            return HttpResponse(status=204)
        return view(request, caller, *args, **kwargs)

    return checked


def _require_json_ld(request) -> None:
    if not request.accepts(protocol.JSONLD) and not request.accepts("application/json"):
        raise ProtocolError(
            406,
            "Not acceptable",
            f"Annotations are served as {protocol.JSONLD} only.",
        )


def _check_write_rate(caller: Caller) -> None:
    """The API's write rate limit: API_WRITES_PER_MINUTE per token (429 beyond it)."""
    writes, seconds_left = services.count_write(token=caller.token)
    if writes > settings.API_WRITES_PER_MINUTE:
        raise ProtocolError(
            429,
            "Too many requests",
            f"This token may make {settings.API_WRITES_PER_MINUTE} changes a minute; "
            f"try again in {seconds_left} s.",
            headers={"Retry-After": str(seconds_left)},
        )


def _begin_write(caller: Caller) -> None:
    require_write(caller=caller)
    _check_write_rate(caller)


# ---------------------------------------------------------------------- containers


def _serve_container(request, container: selectors.Container) -> HttpResponse:
    _require_json_ld(request)
    head = request.method == "HEAD"
    page = protocol.page_number(request.GET.get("page"))
    facts = selectors.summary(container)
    if page is not None:
        # A page's IRI already carries the preference it was made for (?iris=…).
        iris = request.GET.get("iris") == "1"
        if page > facts.last_page(size=selectors.PAGE_SIZE):
            raise ProtocolError(
                404,
                "No such page",
                f"The last page is {facts.last_page(size=selectors.PAGE_SIZE)}.",
            )
        return protocol.jsonld(
            selectors.page_document(container, facts=facts, page=page, iris=iris), head=head
        )
    preferences = protocol.container_preferences(request.headers.get("Prefer", ""))
    iris = preferences.iris if "iris" not in request.GET else request.GET["iris"] == "1"
    document = selectors.collection_document(
        container, facts=facts, iris=iris, minimal=preferences.minimal
    )
    response = protocol.jsonld(document, head=head)
    response["Content-Location"] = container.collection_iri(iris=iris)
    if request.headers.get("Prefer"):
        response["Preference-Applied"] = "return=representation"
    return response


def _article_container(*, article, caller: Caller) -> selectors.Container:
    return selectors.Container(
        iri=selectors.article_container_iri(article_id=article.pk),
        label=f"Claims on “{article.title}”",
        options=ExportOptions(
            workspace_id=article.workspace_id,
            workspace_slug="",
            viewer_id=caller.user.pk,
            article_ids=(article.pk,),
            only_tagged=False,
        ),
    )


@endpoint(
    allow=protocol.ARTICLE_CONTAINER_METHODS, links=protocol.CONTAINER_LINKS, accept_post=True
)
def article_annotations(request, caller: Caller, pk: int):
    if request.method == "POST":
        return _create(request, caller, pk)
    article = article_for_reader(user=caller.user, pk=pk)
    return _serve_container(request, _article_container(article=article, caller=caller))


def _check_claim_rate(caller: Caller) -> None:
    """New claims share one budget per person, whether made in the browser or by a script."""
    decision = limiter.check(hits=[("claim_user", str(caller.user.pk))])
    if not decision.allowed:
        raise ProtocolError(
            429,
            "Too many requests",
            f"Too many new claims; try again in {decision.retry_after} s.",
            headers={"Retry-After": str(decision.retry_after)},
        )


def _create(request, caller: Caller, pk: int) -> HttpResponse:
    article = article_for_writer(user=caller.user, pk=pk)
    _begin_write(caller)
    _check_claim_rate(caller)
    data = parse_annotation(
        protocol.read_json_body(request), article_iri=article_iri(settings.SITE_URL, pk)
    )
    claim = services.create_annotation(article=article, user=caller.user, data=data)
    document = _annotation_document(claim=claim, caller=caller)
    response = protocol.jsonld(document, status=201)
    response["Location"] = document["id"]
    return response


@endpoint(allow=protocol.WORKSPACE_CONTAINER_METHODS, links=protocol.CONTAINER_LINKS)
def workspace_annotations(request, caller: Caller, slug: str):
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user=caller.user, workspace__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such workspace")
    workspace = membership.workspace
    container = selectors.Container(
        iri=selectors.workspace_container_iri(slug=workspace.slug),
        label=f"Claims in {workspace.name}",
        options=ExportOptions(
            workspace_id=workspace.pk,
            workspace_slug=workspace.slug,
            viewer_id=caller.user.pk,
            only_tagged=False,
        ),
    )
    return _serve_container(request, container)


# ---------------------------------------------------------------------- annotations


def _annotation_document(*, claim, caller: Caller) -> dict:
    document = selectors.annotation_document(
        workspace_id=claim.workspace_id, viewer_id=caller.user.pk, claim_id=claim.pk
    )
    if document is None:  # pragma: no cover - the caller has just been allowed to see it
        raise Http404("No such annotation")
    return document


def _in_article(claim, pk: int):
    if claim.article_id != int(pk):
        raise Http404("No such annotation")
    return claim


def _redirect_browsers(view):
    """An HTML request for an annotation's IRI goes to the claim's page (which checks the
    browser's session as every page does); the redirect itself reveals nothing."""

    @functools.wraps(view)
    def wrapper(request, pk: int, claim_pk: int):
        wants_html = protocol.preferred_type(request) == "text/html"
        if request.method in {"GET", "HEAD"} and wants_html:
            response = redirect("annotations:detail", claim_pk, permanent=False)
            response.status_code = 303
            patch_vary_headers(response, ["Accept"])
            return response
        return view(request, pk=pk, claim_pk=claim_pk)

    return login_not_required(csrf_exempt(wrapper))


@_redirect_browsers
@endpoint(allow=protocol.ANNOTATION_METHODS, links=protocol.ANNOTATION_LINKS)
def annotation(request, caller: Caller, pk: int, claim_pk: int):
    if request.method == "PUT":
        return _replace(request, caller, pk, claim_pk)
    if request.method == "DELETE":
        return _delete(request, caller, pk, claim_pk)
    _require_json_ld(request)
    claim = _in_article(claim_for_reader(user=caller.user, pk=claim_pk), pk)
    return protocol.jsonld(
        _annotation_document(claim=claim, caller=caller), head=request.method == "HEAD"
    )


def _etag_of(claim, caller: Caller):
    return lambda: selectors.etag(_annotation_document(claim=claim, caller=caller))


def _replace(request, caller: Caller, pk: int, claim_pk: int) -> HttpResponse:
    claim = _in_article(claim_for_author(user=caller.user, pk=claim_pk), pk)
    _begin_write(caller)
    if_match = request.headers.get("If-Match", "")
    if not if_match:
        raise ProtocolError(
            428,
            "Precondition required",
            "Send If-Match with the ETag you last read of this annotation.",
        )
    data = parse_annotation(
        protocol.read_json_body(request), article_iri=article_iri(settings.SITE_URL, pk)
    )
    claim = services.replace_annotation(
        claim=claim,
        user=caller.user,
        data=data,
        if_match=if_match,
        own_iri=annotation_iri(settings.SITE_URL, claim.article_id, claim.pk),
        current_etag=_etag_of(claim, caller),
    )
    return protocol.jsonld(_annotation_document(claim=claim, caller=caller))


def _delete(request, caller: Caller, pk: int, claim_pk: int) -> HttpResponse:
    claim = _in_article(claim_for_deleter(user=caller.user, pk=claim_pk), pk)
    _begin_write(caller)
    services.delete_annotation(
        claim=claim,
        user=caller.user,
        if_match=request.headers.get("If-Match", ""),
        current_etag=_etag_of(claim, caller),
    )
    return HttpResponse(status=204)


# ---------------------------------------------------------------------- schema


@login_not_required
def schema(request):
    """The OpenAPI description of /api/ (public: it describes, it holds no data)."""
    if request.method not in {"GET", "HEAD"}:
        response = JsonResponse({"detail": "Use GET."}, status=405)
        response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse(openapi.schema(), json_dumps_params={"ensure_ascii": False})
