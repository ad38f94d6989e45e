"""The HTTP side of the W3C Web Annotation Protocol: media types, Link/Allow/Vary headers,
Prefer parsing, problem responses (RFC 9457) and entity-tag checks."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse

from .selectors import dumps, etag

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PROBLEM = "application/problem+json"
# What a client may ask for; JSON-LD comes first, so */* and no Accept at all get it.
OFFERED = [JSONLD, "application/json", "text/html"]
ACCEPTED_POST_TYPES = ("application/ld+json", "application/json")

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
PREFER_MINIMAL = LDP + "PreferMinimalContainer"
PREFER_IRIS = OA + "PreferContainedIRIs"
PREFER_DESCRIPTIONS = OA + "PreferContainedDescriptions"
CONSTRAINED_BY = "http://www.w3.org/TR/annotation-protocol/"

CONTAINER_LINKS = f'<{LDP}BasicContainer>; rel="type", <{CONSTRAINED_BY}>; rel="{LDP}constrainedBy"'
ANNOTATION_LINKS = f'<{LDP}Resource>; rel="type", <{OA}Annotation>; rel="type"'
ARTICLE_CONTAINER_METHODS = "GET, HEAD, OPTIONS, POST"
WORKSPACE_CONTAINER_METHODS = "GET, HEAD, OPTIONS"
ANNOTATION_METHODS = "GET, HEAD, OPTIONS, PUT, DELETE"


class ProtocolError(Exception):
    """An HTTP error with a problem description."""

    def __init__(
        self, status: int, title: str, detail: str, *, headers: dict | None = None, **extra
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def response(self) -> HttpResponse:
        response = problem(self.status, self.title, self.detail, **self.extra)
        for name, value in self.headers.items():
            response[name] = value
        return response


def problem(status: int, title: str, detail: str, **extra) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM)


def jsonld(document: dict, *, status: int = 200, head: bool = False) -> HttpResponse:
    """A JSON-LD response with its strong ETag (HEAD: the same headers, no body)."""
    response = HttpResponse(
        b"" if head else dumps(document).encode(), status=status, content_type=JSONLD
    )
    response["ETag"] = etag(document)
    return response


def preferred_type(request) -> str | None:
    return request.get_preferred_type(OFFERED)


@dataclass(frozen=True)
class Preferences:
    minimal: bool = False
    iris: bool = False


def _included_iris(value: str) -> list[str]:
    """The IRIs in `include="…"` of one `return=representation; include="…"` preference."""
    iris: list[str] = []
    for parameter in value.split(";")[1:]:
        name, _, raw = parameter.strip().partition("=")
        if name.strip().lower() == "include":
            iris += raw.strip().strip('"').split()
    return iris


def container_preferences(prefer: str) -> Preferences:
    """Read Prefer (RFC 7240) as the protocol uses it. Asking for IRIs and descriptions at
    once is a client error the protocol forbids (400)."""
    included: list[str] = []
    for preference in _split_preferences(prefer):
        if preference.split(";")[0].strip().replace(" ", "") == "return=representation":
            included += _included_iris(preference)
    if PREFER_IRIS in included and PREFER_DESCRIPTIONS in included:
        raise ProtocolError(
            400,
            "Conflicting preferences",
            "Prefer either PreferContainedIRIs or PreferContainedDescriptions, not both.",
        )
    return Preferences(minimal=PREFER_MINIMAL in included, iris=PREFER_IRIS in included)


def _split_preferences(prefer: str) -> list[str]:
    """Split on commas outside quotes (an include list is quoted and may hold none, but a
    careful reader does not rely on that)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in prefer:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def page_number(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ProtocolError(400, "Bad page", "page must be a whole number, 0 or more.")
    return int(raw)


def read_json_body(request):
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_POST_TYPES:
        raise ProtocolError(
            415,
            "Unsupported media type",
            f"Send the annotation as {JSONLD} (got {content_type or 'no Content-Type'}).",
        )
    try:
        body = request.body
    except RequestDataTooBig:
        raise ProtocolError(413, "Too large", "The annotation is too large.") from None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(
            400, "Not JSON", f"The body is not valid UTF-8 JSON: {error}."
        ) from None
    except RecursionError:
        raise ProtocolError(400, "Not JSON", "The body nests too deeply.") from None
