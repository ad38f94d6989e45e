"""Discovery (W3C Web Annotation Protocol 4.4): an article's page links to the container
where annotations on it are created, with `Link: <…>; rel="http://www.w3.org/ns/oa#annotationService"`.
A middleware, so the article page (in a lower app) needs to know nothing of the API."""

from . import selectors

ANNOTATION_SERVICE = "http://www.w3.org/ns/oa#annotationService"


class AnnotationServiceLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name != "articles:detail" or response.status_code != 200:
            return response
        iri = selectors.article_container_iri(article_id=match.kwargs["pk"])
        link = f'<{iri}>; rel="{ANNOTATION_SERVICE}"'
        if response.has_header("Link"):
            link = f"{response['Link']}, {link}"
        response["Link"] = link
        return response
