"""Helpers for the API tests: tokens, requests with a bearer token, IRIs as test-client paths."""

from __future__ import annotations

import json

from django.conf import settings

from api import services as api_services
from workspaces.models import Role

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
NEW_QUOTE = "Moskau habe bereits damit begonnen"
PRIVATE_QUOTE = "Raketenwerfer"


def token_for(user, *, read_only: bool = False, name: str = "tests") -> str:
    return api_services.create_token(user=user, name=name, read_only=read_only).secret


def path_of(iri: str) -> str:
    assert iri.startswith(settings.SITE_URL), iri
    return iri[len(settings.SITE_URL) :]


def call(
    client,
    method: str,
    url: str,
    *,
    token: str | None = None,
    body=None,
    content_type: str = JSONLD,
    **headers,
):
    """One request; `body` (a dict) is sent as JSON; extra headers by name ("If-Match")."""
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body))
    return client.generic(
        method.upper(),
        path_of(url) if url.startswith("http") else url,
        data,
        content_type=content_type,
        headers=headers,
    )


def article_iri(article) -> str:
    return f"{settings.SITE_URL}/articles/{article.pk}/"


def container(article) -> str:
    return f"/api/articles/{article.pk}/annotations/"


def annotation_url(claim) -> str:
    return f"/api/articles/{claim.article_id}/annotations/{claim.pk}"


def new_annotation(
    article,
    *,
    exact: str = NEW_QUOTE,
    tags=("Reuters citing officials",),
    note: str | None = "Check the original.",
    status: str | None = "disputed",
    selector=None,
) -> dict:
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in tags]
    if note is not None:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": note})
    if status is not None:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": status})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": bodies,
        "target": {
            "source": article_iri(article),
            "selector": selector or {"type": "TextQuoteSelector", "exact": exact},
        },
    }


VIEWER_ROLE = Role.VIEWER
