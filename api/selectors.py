"""Reads for the API: annotations and containers as W3C JSON-LD, through the export's mapping
(annotations/export.py), so a download and the API always say the same of a claim."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from psycopg import sql

from annotations import export

from .models import AnnotationIdentity
from .w3c import ANNO_CONTEXT, LDP_CONTEXT

PAGE_SIZE = 100


def article_container_iri(*, article_id: int) -> str:
    return f"{settings.SITE_URL}/api/articles/{article_id}/annotations/"


def workspace_container_iri(*, slug: str) -> str:
    return f"{settings.SITE_URL}/api/workspaces/{slug}/annotations/"


def etag(document: dict) -> str:
    """A strong entity tag: a digest of the representation exactly as it is sent."""
    return '"' + hashlib.sha256(dumps(document).encode()).hexdigest()[:32] + '"'


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _rows(options: export.ExportOptions, *, offset: int = 0, limit: int | None = None) -> list:
    query, params = export.records_query(options)
    if limit is not None:
        query = sql.SQL("{} LIMIT {} OFFSET {}").format(
            query, sql.Literal(limit), sql.Literal(offset)
        )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _identities(claim_ids: Sequence[int]) -> dict[int, AnnotationIdentity]:
    return {
        identity.claim_id: identity
        for identity in AnnotationIdentity.objects.filter(claim_id__in=list(claim_ids))
    }


def _annotation(row, identity: AnnotationIdentity | None) -> dict:
    document = export.annotation_json(row, site_url=settings.SITE_URL)
    if identity is not None:
        if identity.canonical:
            document["canonical"] = identity.canonical
        if identity.via:
            document["via"] = identity.via[0] if len(identity.via) == 1 else identity.via
    return document


def annotation_document(*, workspace_id: int, viewer_id: int, claim_id: int) -> dict | None:
    """One claim as a standalone W3C annotation (with @context), or None if not visible."""
    options = export.ExportOptions(
        workspace_id=workspace_id,
        workspace_slug="",
        viewer_id=viewer_id,
        claim_ids=(claim_id,),
        only_tagged=False,
    )
    rows = _rows(options)
    if not rows:
        return None
    return {"@context": ANNO_CONTEXT, **_annotation(rows[0], _identities([claim_id]).get(claim_id))}


@dataclass(frozen=True)
class Container:
    """What a container holds for one reader: its IRI, label and which claims."""

    iri: str
    label: str
    options: export.ExportOptions

    def collection_iri(self, *, iris: bool) -> str:
        return f"{self.iri}?iris={int(iris)}"

    def page_iri(self, *, iris: bool, page: int) -> str:
        return f"{self.iri}?iris={int(iris)}&page={page}"


@dataclass(frozen=True)
class Summary:
    total: int
    modified: str | None

    def last_page(self, *, size: int) -> int:
        return max(0, (self.total - 1) // size)


def summary(container: Container) -> Summary:
    query, params = export.records_query(container.options)
    count = sql.SQL("SELECT count(*), max(q.updated_at) FROM ({}) q").format(query)
    with connection.cursor() as cursor:
        cursor.execute(count, params)
        total, modified = cursor.fetchone()
    return Summary(total=total, modified=export.iso8601(modified) if modified else None)


def page_document(
    container: Container,
    *,
    facts: Summary,
    page: int,
    iris: bool,
    size: int | None = None,
    embedded: bool = False,
) -> dict:
    """One AnnotationPage; `embedded` leaves out @context (it sits inside the collection)."""
    size = size or PAGE_SIZE
    rows = _rows(container.options, offset=page * size, limit=size)
    identities = {} if iris else _identities([row[0] for row in rows])
    items: list = [
        export.annotation_iri(settings.SITE_URL, row[1], row[0])
        if iris
        else _annotation(row, identities.get(row[0]))
        for row in rows
    ]
    part_of: dict = {"id": container.collection_iri(iris=iris), "total": facts.total}
    if facts.modified:
        part_of["modified"] = facts.modified
    document: dict = {} if embedded else {"@context": ANNO_CONTEXT}
    document |= {
        "id": container.page_iri(iris=iris, page=page),
        "type": "AnnotationPage",
        "partOf": part_of,
        "startIndex": page * size,
    }
    if page < facts.last_page(size=size):
        document["next"] = container.page_iri(iris=iris, page=page + 1)
    if page > 0:
        document["prev"] = container.page_iri(iris=iris, page=page - 1)
    document["items"] = items
    return document


def collection_document(
    container: Container,
    *,
    facts: Summary,
    iris: bool,
    minimal: bool,
    size: int | None = None,
) -> dict:
    """The container's description (an LDP BasicContainer and an AnnotationCollection): the
    first page embedded, or (minimal) only links to the first and last pages."""
    size = size or PAGE_SIZE
    document: dict = {
        "@context": [ANNO_CONTEXT, LDP_CONTEXT],
        "id": container.collection_iri(iris=iris),
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": container.label,
        "total": facts.total,
    }
    if facts.modified:
        document["modified"] = facts.modified
    if minimal:
        if facts.total:
            document["first"] = container.page_iri(iris=iris, page=0)
    else:
        document["first"] = page_document(
            container, facts=facts, page=0, iris=iris, size=size, embedded=True
        )
    if facts.total:
        document["last"] = container.page_iri(iris=iris, page=facts.last_page(size=size))
    return document
