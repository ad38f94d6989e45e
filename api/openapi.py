"""The OpenAPI 3.1 description of /api/, kept by hand next to the views it describes
(tests/api/test_openapi.py checks it against the specification and against the URLconf)."""

from __future__ import annotations

import copy

from django.conf import settings

from .protocol import JSONLD

_PROBLEM = {"$ref": "#/components/responses/Problem"}
_JSONLD_ANNOTATION = {JSONLD: {"schema": {"$ref": "#/components/schemas/Annotation"}}}
_JSONLD_CONTAINER = {
    JSONLD: {
        "schema": {
            "oneOf": [
                {"$ref": "#/components/schemas/AnnotationCollection"},
                {"$ref": "#/components/schemas/AnnotationPage"},
            ]
        }
    }
}
_PREFER = {
    "name": "Prefer",
    "in": "header",
    "required": False,
    "description": (
        'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer" '
        "(no annotations embedded), "
        '"http://www.w3.org/ns/oa#PreferContainedIRIs" (IRIs only) or '
        '"http://www.w3.org/ns/oa#PreferContainedDescriptions" (the default: full annotations).'
        " IRIs and descriptions together: 400."
    ),
    "schema": {"type": "string"},
}
_PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "description": "An AnnotationPage (100 annotations each, counted from 0).",
    "schema": {"type": "integer", "minimum": 0},
}
_IRIS = {
    "name": "iris",
    "in": "query",
    "required": False,
    "description": "1: pages hold annotation IRIs only; 0: full annotations.",
    "schema": {"type": "integer", "enum": [0, 1]},
}
_ARTICLE = {"name": "article_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_CLAIM = {"name": "claim_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": "The ETag of the annotation as last read.",
    "schema": {"type": "string"},
}
_ETAG_HEADER = {"ETag": {"schema": {"type": "string"}}}
_ERRORS = {
    "400": _PROBLEM,
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "404": _PROBLEM,
    "406": _PROBLEM,
}
_WRITE_ERRORS = {**_ERRORS, "403": _PROBLEM, "412": _PROBLEM, "415": _PROBLEM, "429": _PROBLEM}


def _container_get(summary: str) -> dict:
    return {
        "summary": summary,
        "parameters": [_PREFER, _PAGE, _IRIS],
        "responses": {
            "200": {
                "description": "The container (an AnnotationCollection) or one page.",
                "headers": _ETAG_HEADER,
                "content": _JSONLD_CONTAINER,
            },
            **_ERRORS,
        },
    }


_SCHEMA = {
    "openapi": "3.1.0",
    "info": {
        "title": "Sourcemark API",
        "version": "1.0.0",
        "description": (
            "Claims as W3C Web Annotations, served as the W3C Web Annotation Protocol "
            "(https://www.w3.org/TR/annotation-protocol/): LDP basic containers of "
            "annotations. Authenticate with a personal API token from your account page: "
            "`Authorization: Bearer smk_…`. Errors are RFC 9457 problem documents."
        ),
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/articles/{article_id}/annotations/": {
            "parameters": [_ARTICLE],
            "get": _container_get("The claims on one article that the token's user may see"),
            "post": {
                "summary": "Create a claim from a W3C annotation",
                "description": (
                    "target.source must be `<SITE_URL>/articles/<article_id>/`, with a "
                    "TextQuoteSelector and optionally a TextPositionSelector (code points). "
                    "Bodies: tagging → source tag, commenting → note, assessing → status."
                ),
                "requestBody": {"required": True, "content": _JSONLD_ANNOTATION},
                "responses": {
                    "201": {
                        "description": "Created; Location is the annotation's IRI.",
                        "headers": {**_ETAG_HEADER, "Location": {"schema": {"type": "string"}}},
                        "content": _JSONLD_ANNOTATION,
                    },
                    **_WRITE_ERRORS,
                },
            },
        },
        "/api/workspaces/{slug}/annotations/": {
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": _container_get("Every claim in a workspace the token's user may see"),
        },
        "/api/articles/{article_id}/annotations/{claim_id}": {
            "parameters": [_ARTICLE, _CLAIM],
            "get": {
                "summary": "One annotation (an HTML request is redirected to the claim page)",
                "responses": {
                    "200": {
                        "description": "The annotation.",
                        "headers": _ETAG_HEADER,
                        "content": _JSONLD_ANNOTATION,
                    },
                    "303": {"description": "Accept prefers text/html: the claim's page."},
                    **_ERRORS,
                },
            },
            "put": {
                "summary": "Replace the annotation's note, status and tags",
                "parameters": [_IF_MATCH],
                "requestBody": {"required": True, "content": _JSONLD_ANNOTATION},
                "responses": {
                    "200": {
                        "description": "The new state.",
                        "headers": _ETAG_HEADER,
                        "content": _JSONLD_ANNOTATION,
                    },
                    "428": _PROBLEM,
                    **_WRITE_ERRORS,
                },
            },
            "delete": {
                "summary": "Delete the claim (its author, or the workspace's owner)",
                "parameters": [{**_IF_MATCH, "required": False}],
                "responses": {"204": {"description": "Deleted."}, **_WRITE_ERRORS},
            },
        },
        "/api/schema/": {
            "get": {
                "summary": "This description",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {}}},
                    }
                },
            },
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token (smk_…).",
            },
        },
        "responses": {
            "Problem": {
                "description": "An RFC 9457 problem document.",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
            "Unauthorized": {
                "description": "No token, or an unknown or revoked one.",
                "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
        "schemas": {
            "Problem": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "pointer": {"type": "string", "description": "JSON pointer to what is wrong."},
                },
                "required": ["title", "status", "detail"],
            },
            "Selector": {
                "type": "object",
                "properties": {
                    "type": {"enum": ["TextQuoteSelector", "TextPositionSelector"]},
                    "exact": {"type": "string"},
                    "prefix": {"type": "string"},
                    "suffix": {"type": "string"},
                    "start": {"type": "integer", "minimum": 0},
                    "end": {"type": "integer", "minimum": 0},
                },
                "required": ["type"],
            },
            "TextualBody": {
                "type": "object",
                "properties": {
                    "type": {"const": "TextualBody"},
                    "purpose": {"enum": ["tagging", "commenting", "assessing"]},
                    "value": {"type": "string"},
                    "format": {"type": "string"},
                },
                "required": ["value"],
            },
            "Annotation": {
                "type": "object",
                "description": "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/).",
                "properties": {
                    "@context": {},
                    "id": {"type": "string", "format": "uri"},
                    "type": {"const": "Annotation"},
                    "motivation": {"type": "string"},
                    "created": {"type": "string", "format": "date-time"},
                    "modified": {"type": "string", "format": "date-time"},
                    "creator": {"type": "object"},
                    "canonical": {"type": "string"},
                    "via": {},
                    "body": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/TextualBody"},
                            {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/TextualBody"},
                            },
                        ]
                    },
                    "bodyValue": {"type": "string"},
                    "target": {
                        "type": "object",
                        "properties": {
                            "source": {},
                            "selector": {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/Selector"},
                                    {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Selector"},
                                    },
                                ]
                            },
                        },
                        "required": ["source", "selector"],
                    },
                },
                "required": ["type", "target"],
            },
            "AnnotationPage": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "type": {"const": "AnnotationPage"},
                    "partOf": {"type": "object"},
                    "startIndex": {"type": "integer"},
                    "next": {"type": "string"},
                    "prev": {"type": "string"},
                    "items": {
                        "type": "array",
                        "items": {
                            "oneOf": [
                                {"type": "string"},
                                {"$ref": "#/components/schemas/Annotation"},
                            ]
                        },
                    },
                },
                "required": ["id", "type", "partOf", "items"],
            },
            "AnnotationCollection": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "type": {"type": "array"},
                    "label": {"type": "string"},
                    "total": {"type": "integer"},
                    "modified": {"type": "string"},
                    "first": {
                        "oneOf": [
                            {"type": "string"},
                            {"$ref": "#/components/schemas/AnnotationPage"},
                        ]
                    },
                    "last": {"type": "string"},
                },
                "required": ["id", "type", "total"],
            },
        },
    },
}


def schema() -> dict:
    """The description, with this server's address."""
    document = copy.deepcopy(_SCHEMA)
    document["servers"] = [{"url": settings.SITE_URL}]
    return document
