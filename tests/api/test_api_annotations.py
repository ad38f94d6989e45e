"""Creating, reading, replacing and deleting claims as W3C annotations through the API."""

import json

import pytest
from api_helpers import (
    JSONLD,
    NEW_QUOTE,
    annotation_url,
    article_iri,
    call,
    container,
    new_annotation,
    path_of,
)
from django.conf import settings

from activity.models import Activity, ActivityVerb
from annotations.models import Claim

pytestmark = pytest.mark.django_db


def create(client, world, body, *, who="alice"):
    return call(client, "post", container(world.article), token=world.tokens[who], body=body)


class TestCreate:
    def test_creates_a_claim_with_tags_note_and_status(self, client, api_world):
        response = create(client, api_world, new_annotation(api_world.article))
        assert response.status_code == 201, response.content
        document = response.json()
        claim = Claim.objects.get(exact=NEW_QUOTE)
        assert (
            response["Location"]
            == document["id"]
            == (f"{settings.SITE_URL}/api/articles/{api_world.article.pk}/annotations/{claim.pk}")
        )
        assert response["Content-Type"] == JSONLD
        assert claim.author == api_world.alice
        assert claim.note == "Check the original." and claim.status == "disputed"
        assert [t.label for t in claim.tags.all()] == ["Reuters citing officials"]
        assert [(b["purpose"], b["value"]) for b in document["body"]] == [
            ("commenting", "Check the original."),
            ("tagging", "Reuters citing officials"),
            ("assessing", "disputed"),
        ]
        verbs = list(Activity.objects.filter(claim_id=claim.pk).values_list("verb", flat=True))
        assert ActivityVerb.CLAIM_CREATED in verbs and ActivityVerb.TAG_ADDED in verbs

    def test_selector_as_an_object_or_a_list_and_positions_in_code_points(self, client, api_world):
        text = "Emoji 🚀 first. The claim 🚀 here. And again: the claim 🚀 here."
        from factories import make_article

        article = make_article(
            workspace=api_world.workspace, user=api_world.alice, text=text, title="Emoji"
        )
        second = text.rindex("the claim")
        selector = [
            {"type": "TextQuoteSelector", "exact": "the claim 🚀 here"},
            {"type": "TextPositionSelector", "start": second, "end": second + 16},
        ]
        body = new_annotation(article, selector=selector, tags=())
        response = call(
            client, "post", container(article), token=api_world.tokens["alice"], body=body
        )
        assert response.status_code == 201, response.content
        claim = Claim.objects.get(pk=response["Location"].rsplit("/", 1)[1])
        # Code points, not UTF-16 units: the emoji before counts once.
        assert (claim.start, claim.end) == (second, second + 16)
        position = response.json()["target"][0]["selector"][1]
        assert position == {"type": "TextPositionSelector", "start": second, "end": second + 16}

    def test_reanchors_like_the_highlighter(self, client, api_world):
        # Extra whitespace and a wrong position: the quote decides, as in the browser.
        selector = {"type": "TextQuoteSelector", "exact": "Moskau  habe bereits\ndamit begonnen"}
        response = create(client, api_world, new_annotation(api_world.article, selector=selector))
        assert response.status_code == 201, response.content
        assert response.json()["target"][0]["selector"][0]["exact"] == NEW_QUOTE

    def test_posted_id_goes_to_via_and_canonical_is_kept(self, client, api_world):
        body = new_annotation(api_world.article)
        body["id"] = "https://elsewhere.example/anno/1"
        body["canonical"] = "urn:uuid:5f1b7a4e-1e0b-4a8f-9f4c-2b7c1d3e4f50"
        document = create(client, api_world, body).json()
        assert document["id"].startswith(settings.SITE_URL + "/api/articles/")
        assert document["via"] == "https://elsewhere.example/anno/1"
        assert document["canonical"] == body["canonical"]

    def test_a_motivation_applies_to_bodies_without_purpose(self, client, api_world):
        body = new_annotation(api_world.article, tags=(), note=None, status=None)
        body["motivation"] = "commenting"
        body["body"] = {"type": "TextualBody", "value": "A comment"}
        assert create(client, api_world, body).status_code == 201
        assert Claim.objects.get(exact=NEW_QUOTE).note == "A comment"

    @pytest.mark.parametrize(
        ("change", "pointer"),
        [
            (lambda b: b.update(type="Note"), "/type"),
            (lambda b: b.pop("target"), "/target"),
            (lambda b: b["target"].update(source="https://example.com/other"), "/target/source"),
            (
                lambda b: b["target"].update(
                    selector={"type": "TextPositionSelector", "start": 1, "end": 5}
                ),
                "/target/selector",
            ),
            (
                lambda b: b["target"].update(selector={"type": "TextQuoteSelector", "exact": ""}),
                "/target/selector/exact",
            ),
            (
                lambda b: b["body"].append(
                    {"type": "TextualBody", "purpose": "assessing", "value": "maybe"}
                ),
                "/body",
            ),
            (
                lambda b: b["body"].append(
                    {"type": "TextualBody", "purpose": "describing", "value": "x"}
                ),
                "/body/3/purpose",
            ),
            (lambda b: b["body"].append("http://example.com/body"), "/body/3"),
            (lambda b: b.update(bodyValue="x"), "/bodyValue"),
            (lambda b: b.update(rights="CC-BY"), "/rights"),
            (lambda b: b.update({"@context": "http://example.com/other.jsonld"}), "/@context"),
            (
                lambda b: b["target"].update(
                    selector=[
                        {"type": "TextQuoteSelector", "exact": NEW_QUOTE},
                        {"type": "TextPositionSelector", "start": -1, "end": 3},
                    ]
                ),
                "/target/selector/1/start",
            ),
        ],
    )
    def test_a_bad_annotation_gets_400_with_a_problem_description(
        self, client, api_world, change, pointer
    ):
        body = new_annotation(api_world.article)
        change(body)
        response = create(client, api_world, body)
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == 400 and problem["detail"]
        assert problem["pointer"] == pointer
        assert not Claim.objects.filter(exact=NEW_QUOTE).exists()

    @pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"x"', b"\xff\xfe", b"[" * 100_000])
    def test_garbage_is_400_never_500(self, client, api_world, raw):
        response = create(client, api_world, raw)
        assert response.status_code == 400
        assert response.json()["detail"]

    def test_quote_not_in_the_article_is_400(self, client, api_world):
        response = create(
            client, api_world, new_annotation(api_world.article, exact="Not in this text at all")
        )
        assert response.status_code == 400
        assert "title" in response.json()

    def test_a_bad_tag_leaves_no_half_made_claim(self, client, api_world):
        body = new_annotation(api_world.article, tags=("ok", "semi;colon"))
        response = create(client, api_world, body)
        assert response.status_code == 400
        assert not Claim.objects.filter(exact=NEW_QUOTE).exists()

    def test_wrong_content_type_is_415(self, client, api_world):
        response = call(
            client,
            "post",
            container(api_world.article),
            token=api_world.tokens["alice"],
            body=new_annotation(api_world.article),
            content_type="text/plain",
        )
        assert response.status_code == 415

    def test_read_only_token_cannot_write(self, client, api_world):
        response = create(
            client, api_world, new_annotation(api_world.article), who="alice_read_only"
        )
        assert response.status_code == 403
        assert 'error="insufficient_scope"' in response["WWW-Authenticate"]

    def test_new_claims_share_the_browsers_budget(self, client, api_world, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "claim_user": (2, 900)}
        statuses = [
            create(client, api_world, new_annotation(api_world.article, exact=quote)).status_code
            for quote in ("Moskau", "bereits", "begonnen")
        ]
        assert statuses == [201, 201, 429]

    def test_writes_are_rate_limited_per_token(self, client, api_world, settings):
        settings.API_WRITES_PER_MINUTE = 2
        statuses = [
            create(client, api_world, new_annotation(api_world.article, exact=quote)).status_code
            for quote in ("Moskau", "bereits", "begonnen")
        ]
        assert statuses == [201, 201, 429]
        response = create(client, api_world, new_annotation(api_world.article, exact="damit"))
        assert response.status_code == 429 and int(response["Retry-After"]) >= 1
        # Another token of someone else is not affected.
        assert (
            create(
                client, api_world, new_annotation(api_world.article, exact="damit"), who="bob"
            ).status_code
            == 201
        )


class TestReadReplaceDelete:
    def test_get_an_annotation(self, client, api_world):
        response = call(
            client, "get", annotation_url(api_world.claim), token=api_world.tokens["bob"]
        )
        assert response.status_code == 200
        document = response.json()
        assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert document["target"][0]["source"]["id"] == article_iri(api_world.article)
        assert response["ETag"].startswith('"')

    def test_a_browser_is_redirected_to_the_claim_page(self, client, api_world):
        response = client.get(
            annotation_url(api_world.claim),
            headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        )
        assert response.status_code == 303
        assert response["Location"] == f"/claims/{api_world.claim.pk}/"

    def test_put_replaces_note_status_and_tags(self, client, api_world):
        url = annotation_url(api_world.claim)
        read = call(client, "get", url, token=api_world.tokens["alice"])
        document = read.json()
        document["body"] = [
            {"type": "TextualBody", "purpose": "tagging", "value": "AP"},
            {"type": "TextualBody", "purpose": "commenting", "value": "Now checked."},
            {"type": "TextualBody", "purpose": "assessing", "value": "supported"},
        ]
        response = call(
            client,
            "put",
            url,
            token=api_world.tokens["alice"],
            body=document,
            **{"If-Match": read["ETag"]},
        )
        assert response.status_code == 200, response.content
        claim = Claim.objects.get(pk=api_world.claim.pk)
        assert (claim.note, claim.status) == ("Now checked.", "supported")
        assert [t.label for t in claim.tags.all()] == ["AP"]
        assert response.json()["modified"] and response["ETag"] != read["ETag"]
        # The old ETag is stale now.
        again = call(
            client,
            "put",
            url,
            token=api_world.tokens["alice"],
            body=document,
            **{"If-Match": read["ETag"]},
        )
        assert again.status_code == 412

    def test_put_without_if_match_is_428(self, client, api_world):
        url = annotation_url(api_world.claim)
        document = call(client, "get", url, token=api_world.tokens["alice"]).json()
        assert (
            call(client, "put", url, token=api_world.tokens["alice"], body=document).status_code
            == 428
        )

    def test_put_cannot_move_the_target(self, client, api_world):
        url = annotation_url(api_world.claim)
        read = call(client, "get", url, token=api_world.tokens["alice"])
        document = read.json()
        document["target"][0]["selector"][0]["exact"] = NEW_QUOTE
        response = call(
            client,
            "put",
            url,
            token=api_world.tokens["alice"],
            body=document,
            **{"If-Match": read["ETag"]},
        )
        assert response.status_code == 400
        assert Claim.objects.get(pk=api_world.claim.pk).exact != NEW_QUOTE

    def test_delete_with_a_stale_etag_is_412_and_keeps_the_claim(self, client, api_world):
        url = annotation_url(api_world.claim)
        response = call(
            client, "delete", url, token=api_world.tokens["alice"], **{"If-Match": '"stale"'}
        )
        assert response.status_code == 412
        assert Claim.objects.filter(pk=api_world.claim.pk).exists()

    def test_owner_deletes_bobs_claim_as_moderation(self, client, api_world):
        response = call(
            client, "delete", annotation_url(api_world.bob_claim), token=api_world.tokens["alice"]
        )
        assert response.status_code == 204
        assert Activity.objects.filter(
            claim_id=api_world.bob_claim.pk, verb=ActivityVerb.CLAIM_MODERATED
        ).exists()

    def test_annotation_in_another_articles_path_is_404(self, client, api_world):
        from factories import make_article

        other = make_article(workspace=api_world.workspace, user=api_world.alice)
        url = f"/api/articles/{other.pk}/annotations/{api_world.claim.pk}"
        assert call(client, "get", url, token=api_world.tokens["alice"]).status_code == 404


class TestContainers:
    def test_pages_with_next_and_prev(self, client, api_world, monkeypatch):
        from api import selectors

        monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
        url = container(api_world.article)
        collection = call(client, "get", url, token=api_world.tokens["alice"]).json()
        # alice sees her shared, her private and bob's claim.
        assert collection["total"] == 3
        assert len(collection["first"]["items"]) == 1
        assert collection["last"].endswith("iris=0&page=2")
        page = call(
            client, "get", path_of(collection["first"]["next"]), token=api_world.tokens["alice"]
        ).json()
        assert page["type"] == "AnnotationPage" and page["startIndex"] == 1
        assert page["prev"].endswith("page=0") and page["next"].endswith("page=2")
        last = call(
            client, "get", path_of(collection["last"]), token=api_world.tokens["alice"]
        ).json()
        assert "next" not in last
        seen = {
            collection["first"]["items"][0]["id"],
            page["items"][0]["id"],
            last["items"][0]["id"],
        }
        assert len(seen) == 3
        beyond = call(client, "get", url + "?page=3", token=api_world.tokens["alice"])
        assert beyond.status_code == 404
        assert (
            call(client, "get", url + "?page=x", token=api_world.tokens["alice"]).status_code == 400
        )

    def test_private_claims_only_for_their_author(self, client, api_world):
        url = container(api_world.article)
        bob_items = call(client, "get", url, token=api_world.tokens["bob"]).json()
        ids = {item["id"] for item in bob_items["first"]["items"]}
        assert not any(i.endswith(f"/{api_world.private.pk}") for i in ids)
        assert bob_items["total"] == 2
        private = call(
            client, "get", annotation_url(api_world.private), token=api_world.tokens["bob"]
        )
        assert private.status_code == 404

    def test_workspace_container_lists_every_visible_claim(self, client, api_world):
        from factories import make_article

        from annotations import services

        other = make_article(workspace=api_world.workspace, user=api_world.bob)
        services.create_claim(article=other, author=api_world.bob, exact="first paragraph")
        url = f"/api/workspaces/{api_world.workspace.slug}/annotations/"
        document = call(client, "get", url, token=api_world.tokens["bob"]).json()
        assert document["total"] == 3
        response = call(
            client,
            "post",
            url,
            token=api_world.tokens["alice"],
            body=new_annotation(api_world.article),
        )
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD, OPTIONS"

    def test_turtle_or_anything_else_is_406(self, client, api_world):
        response = call(
            client,
            "get",
            container(api_world.article),
            token=api_world.tokens["alice"],
            Accept="text/turtle",
        )
        assert response.status_code == 406
        assert json.loads(response.content)["status"] == 406
