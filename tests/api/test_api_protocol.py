"""Every MUST of the W3C Web Annotation Protocol (../shared/w3c/protocol_requirements.txt),
one test per requirement sentence. `REQUIREMENTS` maps each sentence to its test;
`test_every_must_of_the_protocol_has_a_test` fails when a MUST sentence has none."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from api_helpers import (
    JSONLD,
    NEW_QUOTE,
    annotation_url,
    call,
    container,
    new_annotation,
    path_of,
)
from django.conf import settings
from factories import SHARED

from annotations.models import Claim

pytestmark = pytest.mark.django_db

REQUIREMENTS_FILE = SHARED / "w3c" / "protocol_requirements.txt"
LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
MINIMAL = f'return=representation;include="{LDP}PreferMinimalContainer"'
IRIS = f'return=representation;include="{OA}PreferContainedIRIs"'
DESCRIPTIONS = f'return=representation;include="{OA}PreferContainedDescriptions"'

# Sentence (its start, as in the file) → the test below that shows Sourcemark meets it.
REQUIREMENTS = {
    (
        "The Annotation Server MUST support the following HTTP methods on the Annotation's IRI"
    ): "test_annotation_iri_supports_get_head_and_options",
    (
        "Servers MUST support the JSON-LD representation using the Web Annotation profile"
    ): "test_annotations_are_json_ld_in_the_web_annotation_profile",
    (
        "These responses MUST have a Content-Type header with the application/ld+json"
    ): "test_annotation_content_type_is_json_ld_with_the_profile",
    (
        "The response from the Annotation Server MUST have a Link header entry"
    ): "test_annotation_has_a_type_link",
    (
        "For HEAD and GET requests, the response MUST have an ETag header"
    ): "test_annotation_get_and_head_have_an_etag",
    ("The response MUST have an Allow header"): "test_annotation_has_an_allow_header",
    (
        "For HEAD and GET requests, if the server supports content negotiation by format or "
        "JSON-LD profile, the response MUST have a Vary header"
    ): "test_annotation_varies_on_accept",
    (
        "An Annotation Server MUST provide one or more Containers"
    ): "test_every_article_has_an_annotation_container",
    (
        "The URI of an Annotation Container MUST NOT have a query or fragment component"
    ): "test_container_iris_have_no_query_and_end_in_a_slash",
    (
        "The Annotation Server MUST support the following HTTP methods on the Annotation "
        "Container's IRI"
    ): "test_container_supports_get_head_options_and_post",
    (
        "When an HTTP GET request is issued against the Annotation Container, the server MUST "
        "return a description"
    ): "test_get_on_a_container_describes_it",
    ("That description MUST be available in JSON-LD"): "test_container_description_is_json_ld",
    (
        "Annotation Containers MUST return a Link header [ rfc5988 ] on all responses"
    ): "test_container_link_header_on_all_responses",
    (
        "It MUST advertise its type by including a link where the rel parameter value is type"
    ): "test_container_advertises_basic_container_type",
    (
        "It MUST advertise that it imposes Annotation protocol specific constraints"
    ): "test_container_advertises_constrained_by",
    (
        "For HEAD and GET requests, responses from Annotation Containers MUST include an ETag"
    ): "test_container_get_and_head_have_an_etag",
    (
        "If the Accept header is absent from a GET request, then Annotation Servers MUST "
        "respond with a JSON-LD"
    ): "test_container_without_accept_is_json_ld",
    (
        "If the server supports content negotiation by format or JSON-LD profile, the "
        "response to a HEAD or GET request from the Annotation Container MUST have a Vary"
    ): "test_container_varies_on_accept",
    (
        "The Collection MUST have an IRI that identifies it"
    ): "test_collection_has_an_iri_and_the_collection_type",
    (
        "If there are greater than zero Annotations in the Container, the representation MUST"
    ): "test_non_empty_container_links_or_embeds_the_first_page",
    (
        "The server MAY redirect the client to this IRI and deliver the response there, "
        "otherwise it MUST include a Content-Location"
    ): "test_container_has_content_location",
    (
        "If the client prefers to only receive the Container description"
    ): "test_prefer_minimal_container_is_honoured",
    (
        "If the client prefers to receive the Annotations only as IRI references"
    ): "test_prefer_contained_iris_is_honoured",
    (
        "If the client prefers to receive complete Annotation descriptions"
    ): "test_prefer_contained_descriptions_is_honoured",
    (
        "However, the client MUST NOT include both the PreferContainedIRIs"
    ): "test_both_iris_and_descriptions_preferred_is_a_client_error",
    (
        "If the client requests the minimal representation of an Annotation Container, the "
        "response MUST NOT"
    ): "test_minimal_container_has_no_contains_and_no_embedded_page",
    (
        "If the Server supports Container preferences, it MUST respond to PreferContainedIRIs"
    ): "test_contained_iris_first_page_holds_only_iris",
    (
        "If the Server supports Container preferences, it MUST respond to "
        "PreferContainedDescriptions"
    ): "test_contained_descriptions_first_page_holds_annotations",
    (
        "The Annotation Page MUST have an IRI that identifies it"
    ): "test_page_has_an_iri_and_the_page_type",
    (
        "If the Page is not the last Page in the Collection, then it MUST have a reference to "
        "the Page which follows"
    ): "test_pages_but_the_last_have_next",
    (
        "Each page MUST have a link to the Collection that it is part of"
    ): "test_every_page_has_part_of",
    (
        "This link is carried in an HTTP Link header and the value of the rel parameter MUST be"
    ): "test_article_page_links_its_annotation_service",
    (
        "Upon receipt of an Annotation, the server MAY assign IRIs to any resource or blank "
        "node in the Annotation, and MUST assign"
    ): "test_server_assigns_an_id_even_if_one_is_given",
    (
        "The IRI for the Annotation MUST be the IRI of the Container with an additional component"
    ): "test_annotation_iri_is_container_iri_plus_one_component",
    (
        "If the Annotation contains a canonical property, then that reference MUST be maintained"
    ): "test_canonical_is_kept_unchanged",
    (
        "If the Annotation has an IRI in the id property, then it SHOULD be copied to the via "
        "property, and the IRI assigned by the server"
    ): "test_given_id_is_replaced_and_kept_in_via",
    (
        "The server MUST respond with a 201 Created response if the creation is successful"
    ): "test_creation_is_201_and_failure_an_error_code",
    (
        "The response MUST have a Location header with the Annotation's new IRI"
    ): "test_creation_has_location",
    (
        "Replacing the Annotation with a new state MUST be done with the PUT method"
    ): "test_put_replaces_the_annotation",
    (
        "If successful, the server MUST return a 200 OK status with the Annotation as the body"
    ): "test_put_answers_200_with_the_annotation_as_json_ld",
    (
        "As with creation, the server MUST return the new state of the Annotation in the response"
    ): "test_put_returns_the_new_state",
    ("Clients MUST use the DELETE HTTP method"): "test_delete_removes_the_annotation",
    (
        "If the DELETE request is successfully processed, then the server MUST return a 204"
    ): "test_delete_answers_204",
    (
        "The IRI of the deleted Annotation MUST be removed from the Annotation Container"
    ): "test_deleted_annotation_leaves_its_container",
    (
        "Containers for related resources MUST support the same HTTP methods"
    ): "test_no_related_resource_containers_and_containers_hold_only_annotations",
}
# Not a requirement on servers: the sentence defines the key words.
NOT_REQUIREMENTS = ("The key words MAY , MUST",)


def test_every_must_of_the_protocol_has_a_test():
    if not REQUIREMENTS_FILE.exists():
        pytest.skip(f"{REQUIREMENTS_FILE} is missing")
    lines = [
        line.strip()[2:]
        for line in REQUIREMENTS_FILE.read_text().splitlines()
        if line.strip().startswith("- ") and "MUST" in line
    ]
    unmatched = [
        line
        for line in lines
        if not line.startswith(NOT_REQUIREMENTS)
        and not any(line.startswith(start) for start in REQUIREMENTS)
    ]
    assert not unmatched
    assert len(lines) == len(REQUIREMENTS) + len(NOT_REQUIREMENTS)
    for start, name in REQUIREMENTS.items():
        assert sum(line.startswith(start) for line in lines) == 1, start
        assert callable(globals().get(name)), name


def _token(world, who="alice"):
    return world.tokens[who]


def _get(client, world, url, who="alice", **headers):
    return call(client, "get", url, token=_token(world, who), **headers)


def _links(response) -> list[tuple[str, str]]:
    return re.findall(r'<([^>]+)>;\s*rel="([^"]+)"', response.get("Link", ""))


# ------------------------------------------------------------------ 3. retrieval


def test_annotation_iri_supports_get_head_and_options(client, api_world):
    url = annotation_url(api_world.claim)
    get = _get(client, api_world, url)
    head = call(client, "head", url, token=_token(api_world))
    options = call(client, "options", url, token=_token(api_world))
    assert get.status_code == 200 and get.json()["type"] == "Annotation"
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert options.status_code == 204
    assert set(options["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}


def test_annotations_are_json_ld_in_the_web_annotation_profile(client, api_world, tmp_path):
    from tests_validate import validate_document

    document = _get(client, api_world, annotation_url(api_world.claim)).json()
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    validate_document(document, tmp_path)


def test_annotation_content_type_is_json_ld_with_the_profile(client, api_world):
    response = _get(
        client, api_world, annotation_url(api_world.claim), Accept="application/ld+json"
    )
    assert response["Content-Type"] == JSONLD


def test_annotation_has_a_type_link(client, api_world):
    links = _links(_get(client, api_world, annotation_url(api_world.claim)))
    assert (f"{LDP}Resource", "type") in links
    assert (f"{OA}Annotation", "type") in links


def test_annotation_get_and_head_have_an_etag(client, api_world):
    url = annotation_url(api_world.claim)
    for method in ("get", "head"):
        response = call(client, method, url, token=_token(api_world))
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])


def test_annotation_has_an_allow_header(client, api_world):
    response = _get(client, api_world, annotation_url(api_world.claim))
    assert response["Allow"] == "GET, HEAD, OPTIONS, PUT, DELETE"


def test_annotation_varies_on_accept(client, api_world):
    url = annotation_url(api_world.claim)
    for method in ("get", "head"):
        response = call(client, method, url, token=_token(api_world))
        assert "Accept" in [v.strip() for v in response["Vary"].split(",")]


# ------------------------------------------------------------------ 4. containers


def test_every_article_has_an_annotation_container(client, api_world):
    response = _get(client, api_world, container(api_world.article))
    assert response.status_code == 200
    assert "BasicContainer" in response.json()["type"]


def test_container_iris_have_no_query_and_end_in_a_slash(client, api_world):
    urls = [
        container(api_world.article),
        f"/api/workspaces/{api_world.workspace.slug}/annotations/",
    ]
    for url in urls:
        collection = _get(client, api_world, url).json()
        iri = collection["id"].split("?")[0]
        parts = urlsplit(iri)
        assert parts.query == "" and parts.fragment == "" and parts.path.endswith("/")
        assert path_of(iri) == url


def test_container_supports_get_head_options_and_post(client, api_world):
    url = container(api_world.article)
    assert _get(client, api_world, url).status_code == 200
    assert call(client, "head", url, token=_token(api_world)).status_code == 200
    options = call(client, "options", url, token=_token(api_world))
    assert options.status_code == 204
    assert options["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert options["Accept-Post"] == JSONLD
    created = call(
        client, "post", url, token=_token(api_world), body=new_annotation(api_world.article)
    )
    assert created.status_code == 201


def test_get_on_a_container_describes_it(client, api_world):
    document = _get(client, api_world, container(api_world.article)).json()
    assert document["label"].startswith("Claims on")
    assert document["total"] == 3
    assert document["modified"].endswith("Z")


def test_container_description_is_json_ld(client, api_world, tmp_path):
    from tests_validate import validate_document

    response = _get(client, api_world, container(api_world.article))
    assert response["Content-Type"] == JSONLD
    document = response.json()
    assert document["@context"] == [
        "http://www.w3.org/ns/anno.jsonld",
        "http://www.w3.org/ns/ldp.jsonld",
    ]
    validate_document(document, tmp_path)


def test_container_link_header_on_all_responses(client, api_world):
    url = container(api_world.article)
    responses = [
        _get(client, api_world, url),
        call(client, "head", url, token=_token(api_world)),
        call(client, "options", url, token=_token(api_world)),
        call(client, "post", url, token=_token(api_world), body=new_annotation(api_world.article)),
        call(client, "post", url, token=_token(api_world), body={"type": "Note"}),
        call(client, "get", url),  # no token
        call(client, "put", url, token=_token(api_world)),  # method not allowed
        _get(client, api_world, url + "?page=99"),
        _get(client, api_world, f"/api/workspaces/{api_world.workspace.slug}/annotations/"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 204, 201, 400, 401, 405, 404, 200]
    for response in responses:
        links = _links(response)
        assert (f"{LDP}BasicContainer", "type") in links
        assert ("http://www.w3.org/TR/annotation-protocol/", f"{LDP}constrainedBy") in links


def test_container_advertises_basic_container_type(client, api_world):
    links = _links(_get(client, api_world, container(api_world.article)))
    assert (f"{LDP}BasicContainer", "type") in links


def test_container_advertises_constrained_by(client, api_world):
    links = _links(_get(client, api_world, container(api_world.article)))
    assert ("http://www.w3.org/TR/annotation-protocol/", f"{LDP}constrainedBy") in links


def test_container_get_and_head_have_an_etag(client, api_world):
    url = container(api_world.article)
    get = _get(client, api_world, url)
    head = call(client, "head", url, token=_token(api_world))
    assert get["ETag"] == head["ETag"] and get["ETag"].startswith('"')
    # The entity tag changes with the container's content.
    call(client, "post", url, token=_token(api_world), body=new_annotation(api_world.article))
    assert _get(client, api_world, url)["ETag"] != get["ETag"]


def test_container_without_accept_is_json_ld(client, api_world):
    response = client.get(
        container(api_world.article), headers={"Authorization": f"Bearer {_token(api_world)}"}
    )
    assert "HTTP_ACCEPT" not in response.wsgi_request.META
    assert response.status_code == 200 and response["Content-Type"] == JSONLD
    assert response.json()["type"] == ["BasicContainer", "AnnotationCollection"]


def test_container_varies_on_accept(client, api_world):
    url = container(api_world.article)
    for method in ("get", "head"):
        response = call(client, method, url, token=_token(api_world))
        vary = [v.strip() for v in response["Vary"].split(",")]
        assert "Accept" in vary and "Prefer" in vary


def test_collection_has_an_iri_and_the_collection_type(client, api_world):
    document = _get(client, api_world, container(api_world.article)).json()
    assert document["id"] == f"{settings.SITE_URL}{container(api_world.article)}?iris=0"
    assert "AnnotationCollection" in document["type"]


def test_non_empty_container_links_or_embeds_the_first_page(client, api_world):
    url = container(api_world.article)
    embedded = _get(client, api_world, url).json()
    assert embedded["first"]["type"] == "AnnotationPage"
    linked = _get(client, api_world, url, Prefer=MINIMAL).json()
    assert linked["first"] == f"{settings.SITE_URL}{url}?iris=0&page=0"


def test_container_has_content_location(client, api_world):
    url = container(api_world.article)
    assert _get(client, api_world, url)["Content-Location"] == (f"{settings.SITE_URL}{url}?iris=0")
    assert _get(client, api_world, url, Prefer=IRIS)["Content-Location"] == (
        f"{settings.SITE_URL}{url}?iris=1"
    )


def test_prefer_minimal_container_is_honoured(client, api_world):
    response = _get(client, api_world, container(api_world.article), Prefer=MINIMAL)
    document = response.json()
    assert isinstance(document["first"], str) and isinstance(document["last"], str)
    assert response["Preference-Applied"] == "return=representation"


def test_prefer_contained_iris_is_honoured(client, api_world):
    document = _get(client, api_world, container(api_world.article), Prefer=IRIS).json()
    assert all(isinstance(item, str) for item in document["first"]["items"])
    # The linked pages follow the preference too.
    page = _get(client, api_world, path_of(document["last"])).json()
    assert all(isinstance(item, str) for item in page["items"])


def test_prefer_contained_descriptions_is_honoured(client, api_world):
    document = _get(client, api_world, container(api_world.article), Prefer=DESCRIPTIONS).json()
    assert all(item["type"] == "Annotation" for item in document["first"]["items"])


def test_both_iris_and_descriptions_preferred_is_a_client_error(client, api_world):
    both = (
        f'return=representation;include="{OA}PreferContainedIRIs {OA}PreferContainedDescriptions"'
    )
    response = _get(client, api_world, container(api_world.article), Prefer=both)
    assert response.status_code == 400
    assert "PreferContainedIRIs" in response.json()["detail"]


def test_minimal_container_has_no_contains_and_no_embedded_page(client, api_world):
    for prefer in (
        MINIMAL,
        f'return=representation;include="{LDP}PreferMinimalContainer {OA}PreferContainedIRIs"',
    ):
        document = _get(client, api_world, container(api_world.article), Prefer=prefer).json()
        assert "contains" not in document and "ldp:contains" not in document
        assert not isinstance(document["first"], dict)


def test_contained_iris_first_page_holds_only_iris(client, api_world):
    document = _get(client, api_world, container(api_world.article), Prefer=IRIS).json()
    first = document["first"]
    assert first["type"] == "AnnotationPage"
    # alice sees all three claims (one of them her private one).
    assert sorted(first["items"]) == sorted(
        f"{settings.SITE_URL}{annotation_url(claim)}" for claim in Claim.objects.all()
    )
    assert len(first["items"]) == 3


def test_contained_descriptions_first_page_holds_annotations(client, api_world):
    document = _get(client, api_world, container(api_world.article), Prefer=DESCRIPTIONS).json()
    first = document["first"]
    assert first["type"] == "AnnotationPage"
    for item in first["items"]:
        assert item["type"] == "Annotation"
        assert item["target"][0]["selector"][0]["type"] == "TextQuoteSelector"
        assert {
            k: v
            for k, v in _get(client, api_world, path_of(item["id"])).json().items()
            if k != "@context"
        } == item


@pytest.fixture
def small_pages(monkeypatch):
    from api import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)


def test_page_has_an_iri_and_the_page_type(client, api_world, small_pages, tmp_path):
    from tests_validate import validate_document

    url = container(api_world.article)
    page = _get(client, api_world, url + "?iris=0&page=1").json()
    assert page["id"] == f"{settings.SITE_URL}{url}?iris=0&page=1"
    assert page["type"] == "AnnotationPage"
    validate_document(page, tmp_path)


def test_pages_but_the_last_have_next(client, api_world, small_pages):
    url = container(api_world.article)
    first = _get(client, api_world, url + "?iris=1&page=0").json()
    assert first["next"] == f"{settings.SITE_URL}{url}?iris=1&page=1"
    last = _get(client, api_world, path_of(first["next"])).json()
    assert "next" not in last and last["prev"] == first["id"]


def test_every_page_has_part_of(client, api_world, small_pages):
    url = container(api_world.article)
    for page_number in (0, 1):
        page = _get(client, api_world, f"{url}?iris=0&page={page_number}").json()
        assert page["partOf"]["id"] == f"{settings.SITE_URL}{url}?iris=0"
        assert page["partOf"]["total"] == 3


# ------------------------------------------------------------------ 4.4 discovery


def test_article_page_links_its_annotation_service(client, api_world):
    client.force_login(api_world.bob)
    response = client.get(api_world.article.get_absolute_url())
    assert response.status_code == 200
    assert (
        f"{settings.SITE_URL}{container(api_world.article)}",
        f"{OA}annotationService",
    ) in _links(response)


# ------------------------------------------------------------------ 5. create, update, delete


def _post(client, world, body, who="alice"):
    return call(client, "post", container(world.article), token=_token(world, who), body=body)


def test_server_assigns_an_id_even_if_one_is_given(client, api_world):
    body = new_annotation(api_world.article)
    body["id"] = f"{settings.SITE_URL}{container(api_world.article)}999999"
    document = _post(client, api_world, body).json()
    claim = Claim.objects.get(exact=NEW_QUOTE)
    assert document["id"] == f"{settings.SITE_URL}{annotation_url(claim)}"


def test_annotation_iri_is_container_iri_plus_one_component(client, api_world):
    response = _post(client, api_world, new_annotation(api_world.article))
    iri = response["Location"]
    container_iri = f"{settings.SITE_URL}{container(api_world.article)}"
    assert iri.startswith(container_iri)
    assert re.fullmatch(r"[0-9]+", iri[len(container_iri) :])


def test_canonical_is_kept_unchanged(client, api_world):
    body = new_annotation(api_world.article)
    body["canonical"] = "urn:uuid:0b5f2e8a-5d3c-4c1e-9a77-7e0f5c7d3b21"
    url = path_of(_post(client, api_world, body)["Location"])
    read = _get(client, api_world, url)
    assert read.json()["canonical"] == body["canonical"]
    changed = read.json() | {"canonical": "urn:uuid:another"}
    response = call(
        client, "put", url, token=_token(api_world), body=changed, **{"If-Match": read["ETag"]}
    )
    assert response.status_code == 400
    assert _get(client, api_world, url).json()["canonical"] == body["canonical"]


def test_given_id_is_replaced_and_kept_in_via(client, api_world):
    body = new_annotation(api_world.article)
    body["id"] = "https://annotations.example.org/anno/42"
    response = _post(client, api_world, body)
    document = response.json()
    assert document["id"] == response["Location"] != body["id"]
    assert document["via"] == body["id"]


def test_creation_is_201_and_failure_an_error_code(client, api_world):
    assert _post(client, api_world, new_annotation(api_world.article)).status_code == 201
    # The same passage again by the same person, a missing target, a viewer: errors.
    assert _post(client, api_world, new_annotation(api_world.article)).status_code == 400
    assert _post(client, api_world, {"type": "Annotation"}).status_code == 400
    assert (
        _post(
            client, api_world, new_annotation(api_world.article, exact="Teheran"), who="viewer"
        ).status_code
        == 404
    )


def test_creation_has_location(client, api_world):
    response = _post(client, api_world, new_annotation(api_world.article))
    claim = Claim.objects.get(exact=NEW_QUOTE)
    assert response["Location"] == f"{settings.SITE_URL}{annotation_url(claim)}"
    assert _get(client, api_world, path_of(response["Location"])).status_code == 200


def _put_new_state(client, world):
    url = annotation_url(world.claim)
    read = _get(client, world, url)
    state = read.json()
    state["body"] = [{"type": "TextualBody", "purpose": "assessing", "value": "false"}]
    return call(
        client, "put", url, token=_token(world), body=state, **{"If-Match": read["ETag"]}
    ), read


def test_put_replaces_the_annotation(client, api_world):
    response, _ = _put_new_state(client, api_world)
    assert response.status_code == 200
    claim = Claim.objects.get(pk=api_world.claim.pk)
    # The whole state is replaced: the tag it had is gone, the status is the new one.
    assert claim.status == "false" and not claim.tags.exists() and claim.note == ""


def test_put_answers_200_with_the_annotation_as_json_ld(client, api_world):
    response, _ = _put_new_state(client, api_world)
    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    assert response.json()["type"] == "Annotation"


def test_put_returns_the_new_state(client, api_world):
    response, read = _put_new_state(client, api_world)
    document = response.json()
    assert [(b["purpose"], b["value"]) for b in document["body"]] == [("assessing", "false")]
    assert response["ETag"] != read["ETag"]
    assert _get(client, api_world, annotation_url(api_world.claim)).json() == document


def test_delete_removes_the_annotation(client, api_world):
    url = annotation_url(api_world.claim)
    call(client, "delete", url, token=_token(api_world))
    assert not Claim.objects.filter(pk=api_world.claim.pk).exists()
    assert _get(client, api_world, url).status_code == 404


def test_delete_answers_204(client, api_world):
    url = annotation_url(api_world.claim)
    etag = _get(client, api_world, url)["ETag"]
    response = call(client, "delete", url, token=_token(api_world), **{"If-Match": etag})
    assert response.status_code == 204 and response.content == b""


def test_deleted_annotation_leaves_its_container(client, api_world):
    url = annotation_url(api_world.claim)
    iri = f"{settings.SITE_URL}{url}"
    before = _get(client, api_world, container(api_world.article), Prefer=IRIS).json()
    assert iri in before["first"]["items"]
    call(client, "delete", url, token=_token(api_world))
    after = _get(client, api_world, container(api_world.article), Prefer=IRIS).json()
    assert iri not in after["first"]["items"] and after["total"] == before["total"] - 1


# ------------------------------------------------------------------ 7. related resources


def test_no_related_resource_containers_and_containers_hold_only_annotations(client, api_world):
    from django.urls import get_resolver

    api_routes = sorted(
        str(pattern.pattern)
        for resolver in get_resolver().url_patterns
        if str(resolver.pattern) == "api/"
        for pattern in resolver.url_patterns
    )
    assert api_routes == [
        "articles/<int:pk>/annotations/",
        "articles/<int:pk>/annotations/<int:claim_pk>",
        "schema/",
        "workspaces/<slug:slug>/annotations/",
    ]
    for url in (
        container(api_world.article),
        f"/api/workspaces/{api_world.workspace.slug}/annotations/",
    ):
        items = _get(client, api_world, url).json()["first"]["items"]
        assert items and all(item["type"] == "Annotation" for item in items)
