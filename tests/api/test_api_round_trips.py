"""Round trips through the W3C checker (../shared/w3c/validate.py): what the API serves
conforms, what the export writes can be posted back, and examples from elsewhere are taken."""

import json

import pytest
from api_helpers import article_iri, call, container, new_annotation, path_of
from django.urls import reverse
from factories import SHARED
from tests_validate import validate_document

from annotations.models import Claim

pytestmark = pytest.mark.django_db


def test_container_pages_and_annotations_conform(client, api_world, tmp_path):
    token = api_world.tokens["alice"]
    created = call(
        client,
        "post",
        container(api_world.article),
        token=token,
        body=new_annotation(api_world.article),
    )
    validate_document(created.json(), tmp_path)
    collection = call(client, "get", container(api_world.article), token=token).json()
    validate_document(collection, tmp_path)
    minimal = call(
        client,
        "get",
        container(api_world.article),
        token=token,
        Prefer=('return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'),
    ).json()
    validate_document(minimal, tmp_path)
    page = call(client, "get", path_of(collection["last"]), token=token).json()
    validate_document(page, tmp_path)
    workspace = call(
        client, "get", f"/api/workspaces/{api_world.workspace.slug}/annotations/", token=token
    ).json()
    validate_document(workspace, tmp_path)


def test_an_empty_container_conforms(client, api_world, tmp_path):
    from factories import make_article

    empty = make_article(workspace=api_world.workspace, user=api_world.alice)
    document = call(client, "get", container(empty), token=api_world.tokens["bob"]).json()
    assert document["total"] == 0
    validate_document(document, tmp_path)


def test_exported_annotation_posts_back_unchanged(client, api_world, tmp_path):
    """Export → delete → POST the exported annotation → the same claim again (new IRI, the
    old one kept in via)."""
    client.force_login(api_world.alice)
    url = reverse("annotations:article_export_jsonld", args=[api_world.article.pk])
    exported = json.loads(b"".join(client.get(url, {"only_tagged": "0"}).streaming_content))
    item = next(i for i in exported["first"]["items"] if i["id"].endswith(f"/{api_world.claim.pk}"))
    validate_document({"@context": "http://www.w3.org/ns/anno.jsonld", **item}, tmp_path)
    token = api_world.tokens["alice"]
    assert call(client, "delete", path_of(item["id"]), token=token).status_code == 204
    response = call(client, "post", container(api_world.article), token=token, body=item)
    assert response.status_code == 201, response.content
    again = response.json()
    validate_document(again, tmp_path)
    assert again["via"] == item["id"] and again["id"] != item["id"]
    for key in ("body", "motivation"):
        assert again[key] == item[key]
    assert again["target"][0]["selector"] == item["target"][0]["selector"]


def test_an_annotation_from_another_tool_is_taken(client, api_world, tmp_path):
    """The conformance kit's news example, aimed at our article (a highlight with no body)."""
    example = json.loads((SHARED / "w3c" / "examples" / "news_highlight.json").read_text())
    example["target"]["source"] = article_iri(api_world.article)
    example["target"]["selector"] = [
        {"type": "TextQuoteSelector", "exact": "Raketenwerfer", "prefix": "damit begonnen, "},
        {"type": "TextPositionSelector", "start": 0, "end": 13},
    ]
    response = call(
        client, "post", container(api_world.article), token=api_world.tokens["bob"], body=example
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(author=api_world.bob, exact="Raketenwerfer")
    assert response.json()["via"] == example["id"]
    assert claim.note == "" and not claim.tags.exists()
    validate_document(response.json(), tmp_path)
