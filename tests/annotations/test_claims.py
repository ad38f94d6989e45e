import json
import re

import pytest
from django.urls import reverse
from factories import add_member, make_seed_article, make_user

from activity.models import Activity
from annotations import services
from annotations.anchoring import canonical_text, codepoint_to_utf16_offset
from annotations.models import Claim, ClaimTag, Reply, SourceTag

SENTENCE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


def seed_text(article) -> str:
    return canonical_text(block_texts=list(article.blocks.values_list("text", flat=True)))


def selection(article, quote: str, occurrence: int = 0) -> dict:
    """What the browser sends for a quote: UTF-16 offsets into the canonical text + context."""
    text = seed_text(article)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    return {
        "exact": quote,
        "prefix": text[max(0, start - 32) : start],
        "suffix": text[end : end + 32],
        "start": codepoint_to_utf16_offset(text=text, offset=start),
        "end": codepoint_to_utf16_offset(text=text, offset=end),
    }


@pytest.fixture
def seed(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


def create(client, article, **data):
    return client.post(reverse("annotations:create", args=[article.pk]), data)


@pytest.mark.django_db
class TestCreateClaim:
    def test_creates_claim_with_server_derived_selectors(self, alice_client, seed):
        response = create(alice_client, seed, **selection(seed, SENTENCE))
        assert response.status_code == 201
        claim = Claim.objects.get(pk=response.json()["id"])
        text = seed_text(seed)
        assert claim.exact == SENTENCE == text[claim.start : claim.end]
        assert claim.prefix == text[claim.start - 32 : claim.start]
        assert claim.suffix == text[claim.end : claim.end + 32]
        assert claim.text_version == seed.text_version
        assert claim.status == "unverified" and claim.author.username == "alice"

    def test_wrong_offsets_are_repaired_from_the_quote(self, alice_client, seed):
        data = selection(seed, SENTENCE) | {"start": 5, "end": 9}
        claim = Claim.objects.get(pk=create(alice_client, seed, **data).json()["id"])
        assert seed_text(seed)[claim.start : claim.end] == SENTENCE

    def test_across_blocks(self, alice_client, seed):
        text = seed_text(seed)
        start = text.index("kaufen.“")
        end = text.index("RUSSLAND feuert") + len("RUSSLAND feuert")
        quote = text[start:end]
        assert "\n\n" in quote
        response = create(alice_client, seed, exact=quote, start=start, end=end)
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"exact": "   ", "start": 0, "end": 3}, "Select some text"),
            ({"exact": "Nicht im Artikel enthalten", "start": 0, "end": 26}, "could not be found"),
            ({"exact": "x" * 5001, "start": 0, "end": 5001}, "5,000"),
            ({"exact": "Die Beamten", "start": "abc", "end": 3}, "whole numbers"),
            ({"exact": "Die Beamten", "start": 0, "end": 11, "visibility": "public"}, "Visibility"),
        ],
    )
    def test_bad_selections_are_refused(self, alice_client, seed, data, message):
        response = create(alice_client, seed, **data)
        assert response.status_code == 400
        assert message in response.json()["error"]
        assert Claim.objects.count() == 0

    def test_selection_inside_collapsed_boilerplate_is_allowed(self, alice_client, seed):
        response = create(alice_client, seed, **selection(seed, "Leave a Reply"))
        assert response.status_code == 201

    def test_outsider_and_viewer_cannot_create(self, client, charlie, seed):
        client.force_login(charlie)
        assert create(client, seed, **selection(seed, SENTENCE)).status_code == 404
        add_member(workspace=seed.workspace, user=charlie, role="viewer")
        assert create(client, seed, **selection(seed, SENTENCE)).status_code == 404
        assert Claim.objects.count() == 0


@pytest.fixture
def claim(seed, alice):
    data = selection(seed, SENTENCE)
    return services.create_claim(
        article=seed,
        author=alice,
        exact=data["exact"],
        prefix=data["prefix"],
        suffix=data["suffix"],
        start_utf16=data["start"],
        end_utf16=data["end"],
    )


@pytest.mark.django_db
class TestReadingPageWithClaims:
    def test_marks_and_panel(self, alice_client, seed, claim):
        html = alice_client.get(seed.get_absolute_url()).content.decode()
        marked = re.findall(rf'<mark data-annotation-id="{claim.pk}"[^>]*>([^<]*)</mark>', html)
        assert "".join(marked) == SENTENCE
        assert 'data-claim-number="1"' in html
        assert 'data-action="highlight"' in html
        assert f'href="/claims/{claim.pk}/"' in html

    def test_overlapping_claims_render_nested(self, alice_client, seed, claim, alice):
        data = selection(seed, "Raketen Russlands Fähigkeit erhöhen würden, ukrainische")
        other = services.create_claim(
            article=seed,
            author=alice,
            exact=data["exact"],
            start_utf16=data["start"],
            end_utf16=data["end"],
            prefix=data["prefix"],
            suffix=data["suffix"],
        )
        html = alice_client.get(seed.get_absolute_url()).content.decode()
        assert (
            f'<mark data-annotation-id="{claim.pk}"' in html
            and f'<mark data-annotation-id="{other.pk}"' in html
        )
        assert html.count("<mark") == html.count("</mark>")

    @pytest.mark.parametrize("claims", [1, 50, 500])
    def test_query_count_is_constant(
        self, alice_client, seed, alice, claims, django_assert_max_num_queries
    ):
        text = seed_text(seed)
        authors = [alice] + [make_user() for _ in range(3)]
        tag = SourceTag.objects.create(workspace=seed.workspace, label="WSJ citing US officials")
        objs = [
            Claim(
                article=seed,
                workspace=seed.workspace,
                author=authors[i % 4],
                exact=text[i * 7 : i * 7 + 40],
                start=i * 7,
                end=i * 7 + 40,
            )
            for i in range(claims)
        ]
        Claim.objects.bulk_create(objs)
        ClaimTag.objects.bulk_create(ClaimTag(claim=c, tag=tag) for c in objs)
        # 9: one of them reads the writers' suggested claims (and whether they were computed).
        with django_assert_max_num_queries(9):
            response = alice_client.get(seed.get_absolute_url())
        assert response.content.decode().count('class="claim-item') == claims

    def test_cached_page_follows_every_change(self, client, alice, bob, seed, claim):
        """The rendered page is cached per article revision, bumped by database triggers."""
        client.force_login(bob)
        url = seed.get_absolute_url()
        assert SENTENCE in client.get(url).content.decode()
        html = client.get(url).content.decode()
        assert f'data-annotation-id="{claim.pk}"' in html
        tag = services.add_tag(claim=claim, label="Reuters", user=alice)
        assert "Reuters</span>" in client.get(url).content.decode()
        services.rename_tag(tag=tag, label="Reuters via AP")
        assert "Reuters via AP</span>" in client.get(url).content.decode()
        services.add_reply(claim=claim, author=bob, body="A reply")
        assert "1 reply" in client.get(url).content.decode()
        block = seed.blocks.get(position=5)
        block.kind = "paragraph"
        block.save()
        assert client.get(url).content.decode().count('data-block-kind="related"') == 1
        services.delete_claim(claim=claim)
        assert "data-annotation-id" not in client.get(url).content.decode()

    def test_private_claim_is_only_in_its_authors_cached_page(self, client, alice, bob, seed):
        data = selection(seed, SENTENCE)
        mine = services.create_claim(
            article=seed,
            author=alice,
            exact=data["exact"],
            start_utf16=data["start"],
            end_utf16=data["end"],
            visibility="private",
        )
        client.force_login(alice)
        url = seed.get_absolute_url()
        assert f'data-annotation-id="{mine.pk}"' in client.get(url).content.decode()
        client.force_login(bob)
        assert "data-annotation-id" not in client.get(url).content.decode()

    def test_private_claims_of_others_are_hidden(self, client, bob, seed, claim):
        services.update_claim(claim=claim, version=claim.version, visibility="private")
        client.force_login(bob)
        html = client.get(seed.get_absolute_url()).content.decode()
        assert "data-annotation-id" not in html
        assert client.get(reverse("annotations:detail", args=[claim.pk])).status_code == 404


@pytest.mark.django_db
class TestClaimCard:
    def url(self, name, *args):
        return reverse(f"annotations:{name}", args=args)

    def test_tag_note_status_reply_round_trip(self, alice_client, seed, claim):
        hx = {"HTTP_HX_REQUEST": "true"}
        response = alice_client.post(
            self.url("add_tag", claim.pk), {"source_tag": "WSJ citing US officials"}, **hx
        )
        assert response.status_code == 200
        assert json.loads(response["HX-Trigger"]) == {"claims-changed": True}
        tag = SourceTag.objects.get()
        assert (tag.outlet, tag.cited, tag.anonymous) == ("WSJ", "US officials", True)
        claim.refresh_from_db()
        response = alice_client.post(
            self.url("update", claim.pk),
            {
                "version": claim.version,
                "status": "disputed",
                "note": "See https://example.org <b>x</b>",
            },
            **hx,
        )
        html = response.content.decode()
        assert 'href="https://example.org"' in html and "<b>x</b>" not in html
        alice_client.post(self.url("add_reply", claim.pk), {"body": "Checked with the WSJ."}, **hx)
        claim.refresh_from_db()
        assert claim.status == "disputed"
        assert claim.replies.get().body == "Checked with the WSJ."
        html = alice_client.get(seed.get_absolute_url()).content.decode()
        assert "WSJ citing US officials" in html and "Disputed" in html

    def test_existing_tag_is_reused_case_insensitively(self, alice_client, claim):
        alice_client.post(self.url("add_tag", claim.pk), {"source_tag": "Reuters"})
        alice_client.post(self.url("add_tag", claim.pk), {"source_tag": "  reuters "})
        assert SourceTag.objects.count() == 1
        assert ClaimTag.objects.count() == 1

    @pytest.mark.parametrize(
        ("label", "message"),
        [("x" * 201, "200"), ("A; B", ";"), ("   ", "")],
    )
    def test_bad_tags_are_refused(self, alice_client, claim, label, message):
        response = alice_client.post(
            self.url("add_tag", claim.pk), {"source_tag": label}, HTTP_HX_REQUEST="true"
        )
        assert 'class="form-error"' in response.content.decode()
        assert message in response.content.decode()
        assert SourceTag.objects.count() == 0

    def test_unknown_status_and_long_note_are_refused(self, alice_client, claim):
        for data in ({"status": "maybe"}, {"note": "n" * 10_001}):
            response = alice_client.post(
                self.url("update", claim.pk),
                {"version": claim.version, **data},
                HTTP_HX_REQUEST="true",
            )
            assert 'class="form-error"' in response.content.decode()
        claim.refresh_from_db()
        assert claim.status == "unverified" and claim.note == "" and claim.version == 1

    def test_stale_edit_is_a_conflict_not_an_overwrite(self, alice_client, claim):
        first = alice_client.post(
            self.url("update", claim.pk),
            {"version": 1, "note": "from tab one"},
            HTTP_HX_REQUEST="true",
        )
        assert first.status_code == 200
        second = alice_client.post(
            self.url("update", claim.pk),
            {"version": 1, "note": "from tab two"},
            HTTP_HX_REQUEST="true",
        )
        assert "changed elsewhere" in second.content.decode()
        claim.refresh_from_db()
        assert claim.note == "from tab one"

    def test_stale_edit_keeps_the_readers_text_next_to_the_current_one(self, alice_client, claim):
        alice_client.post(
            self.url("update", claim.pk),
            {"version": 1, "note": "from tab one"},
            HTTP_HX_REQUEST="true",
        )
        stale = {
            "version": 1,
            "note": "my careful note",
            "status": "disputed",
            "visibility": "private",
            "visibility_present": "1",
        }
        response = alice_client.post(self.url("update", claim.pk), stale, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200  # htmx swaps only 2xx answers
        assert "data-conflict" in html
        your_note = re.search(r'<textarea id="claim-note-\d+" name="note"[^>]*>([^<]*)<', html)
        assert your_note.group(1) == "my careful note"
        current = re.search(r'<textarea id="claim-current-note-\d+"[^>]*readonly>([^<]*)<', html)
        assert current.group(1) == "from tab one"
        assert re.search(r'<option value="disputed" selected>', html)
        assert re.search(r'name="visibility" value="private" checked', html)
        # The form now carries the current version: "Save my version" saves the merge.
        assert 'name="version" value="2"' in html
        claim.refresh_from_db()
        assert (claim.note, claim.status, claim.version) == ("from tab one", "unverified", 2)

        merged = {**stale, "version": 2, "note": "from tab one; my careful note"}
        saved = alice_client.post(self.url("update", claim.pk), merged, HTTP_HX_REQUEST="true")
        assert "data-conflict" not in saved.content.decode()
        claim.refresh_from_db()
        assert claim.note == "from tab one; my careful note"
        assert (claim.status, claim.visibility) == ("disputed", "private")

    def test_stale_edit_without_htmx_is_a_409_with_both_versions(self, alice_client, claim):
        alice_client.post(self.url("update", claim.pk), {"version": 1, "note": "theirs"})
        response = alice_client.post(self.url("update", claim.pk), {"version": 1, "note": "mine"})
        assert response.status_code == 409
        html = response.content.decode()
        assert ">mine</textarea>" in html and ">theirs</textarea>" in html

    def test_only_the_author_edits_and_deletes(self, client, bob, charlie, claim):
        client.force_login(bob)
        for name, data in [
            ("update", {"version": 1, "note": "hijack"}),
            ("add_tag", {"source_tag": "X"}),
            ("delete", {}),
        ]:
            assert client.post(self.url(name, claim.pk), data).status_code == 404
        # bob may read and reply
        assert client.get(self.url("detail", claim.pk)).status_code == 200
        assert client.post(self.url("add_reply", claim.pk), {"body": "Hi"}).status_code == 302
        client.force_login(charlie)
        assert client.get(self.url("detail", claim.pk)).status_code == 404
        assert client.post(self.url("add_reply", claim.pk), {"body": "Hi"}).status_code == 404
        claim.refresh_from_db()
        assert claim.note == "" and Claim.objects.count() == 1

    def test_replies_edit_and_delete_own_only(self, client, alice, bob, claim):
        reply = Reply.objects.create(claim=claim, author=bob, body="Original")
        client.force_login(alice)
        assert client.post(self.url("update_reply", reply.pk), {"body": "x"}).status_code == 404
        assert client.post(self.url("delete_reply", reply.pk)).status_code == 404
        client.force_login(bob)
        client.post(self.url("update_reply", reply.pk), {"body": "Edited"})
        assert Reply.objects.get().body == "Edited"
        client.post(self.url("delete_reply", reply.pk))
        assert Reply.objects.count() == 0

    def test_delete_claim(self, alice_client, claim):
        response = alice_client.post(self.url("delete", claim.pk), HTTP_HX_REQUEST="true")
        assert "Claim deleted" in response.content.decode()
        assert Claim.objects.count() == 0


@pytest.mark.django_db
class TestTags:
    def test_autocomplete_most_used_first(self, alice_client, seed, alice, claim):
        rare = SourceTag.objects.create(
            workspace=seed.workspace, label="Reuters via AP", created_by=alice
        )
        common = SourceTag.objects.create(workspace=seed.workspace, label="Reuters")
        ClaimTag.objects.create(claim=claim, tag=common)
        html = alice_client.get(
            reverse("annotations:tag_suggestions"), {"source_tag": "reu", "article": seed.pk}
        ).content.decode()
        assert html.index(common.label) < html.index(rare.label)

    def test_autocomplete_never_shows_other_workspaces(self, client, charlie, seed):
        SourceTag.objects.create(workspace=seed.workspace, label="Secret source")
        client.force_login(charlie)
        html = client.get(reverse("annotations:tag_suggestions"), {"source_tag": "sec"}).content
        assert b"Secret source" not in html
        url = reverse("annotations:tag_suggestions")
        assert client.get(url, {"article": seed.pk}).status_code == 404

    def test_rename_merge_and_toggle(self, alice_client, seed, claim, alice):
        a = services.add_tag(claim=claim, label="WSJ citing US officials", user=claim.author)
        b = SourceTag.objects.create(
            workspace=seed.workspace, label="Wall Street Journal", created_by=alice
        )
        alice_client.post(
            reverse("annotations:rename_tag", args=[a.pk]),
            {"label": "WSJ via Pentagon", "confirm": "yes"},
        )
        a.refresh_from_db()
        assert (a.label, a.outlet, a.cited) == ("WSJ via Pentagon", "WSJ", "Pentagon")
        alice_client.post(reverse("annotations:tag_anonymous", args=[a.pk]), {"anonymous": "true"})
        a.refresh_from_db()
        assert a.anonymous and a.anonymous_is_manual
        alice_client.post(
            reverse("annotations:merge_tag", args=[a.pk]), {"into": b.pk, "confirm": "yes"}
        )
        assert list(claim.tags.all()) == [b]
        assert not SourceTag.objects.filter(pk=a.pk).exists()
        html = alice_client.get(reverse("annotations:tags")).content.decode()
        assert "Wall Street Journal" in html

    def test_rename_to_existing_label_is_refused(self, alice_client, seed, alice):
        a = SourceTag.objects.create(workspace=seed.workspace, label="Reuters", created_by=alice)
        SourceTag.objects.create(workspace=seed.workspace, label="AP", created_by=alice)
        response = alice_client.post(
            reverse("annotations:rename_tag", args=[a.pk]), {"label": "ap"}, follow=True
        )
        assert "already exists" in response.content.decode()
        a.refresh_from_db()
        assert a.label == "Reuters"

    def test_tags_of_private_claims_stay_private(self, client, alice, bob, seed):
        data = selection(seed, SENTENCE)
        secret = services.create_claim(
            article=seed, author=alice, exact=data["exact"], visibility="private"
        )
        tag = services.add_tag(claim=secret, label="Bild citing informant John Doe", user=alice)
        client.force_login(bob)
        assert b"John Doe" not in client.get(reverse("annotations:tags")).content
        suggestions = client.get(reverse("annotations:tag_suggestions"), {"source_tag": "Doe"})
        assert b"John Doe" not in suggestions.content
        assert b"John Doe" not in client.get(reverse("annotations:export")).content
        for name in ("rename_tag", "merge_tag", "tag_anonymous"):
            response = client.post(reverse(f"annotations:{name}", args=[tag.pk]), {"label": "x"})
            assert response.status_code == 404
        client.force_login(alice)
        assert b"John Doe" in client.get(reverse("annotations:tags")).content

    def test_bad_ids_are_not_server_errors(self, alice_client, seed, claim):
        tag = services.add_tag(claim=claim, label="Reuters", user=claim.author)
        url = reverse("annotations:tag_suggestions")
        assert alice_client.get(url, {"article": "abc"}).status_code == 404
        response = alice_client.post(reverse("annotations:merge_tag", args=[tag.pk]), {"into": "x"})
        assert response.status_code == 302

    def test_outsider_cannot_manage_tags(self, client, charlie, seed):
        tag = SourceTag.objects.create(workspace=seed.workspace, label="Reuters")
        client.force_login(charlie)
        for name in ("rename_tag", "merge_tag", "tag_anonymous"):
            response = client.post(reverse(f"annotations:{name}", args=[tag.pk]), {"label": "x"})
            assert response.status_code == 404
        tag.refresh_from_db()
        assert tag.label == "Reuters"


@pytest.mark.django_db
def test_kind_change_keeps_marks_and_offsets(client, bob, seed, claim):
    """The htmx answer to a kind change is the block as the page shows it: marks included."""
    block = seed.blocks.get(position=3)  # holds the claim's sentence
    client.force_login(bob)
    response = client.post(
        reverse("articles:change_block_kind", args=[seed.pk, block.pk]),
        {"kind": "caption"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.startswith(f'<div class="block block--caption" id="block-{block.pk}"')
    assert f'data-annotation-id="{claim.pk}"' in html
    assert 'data-start="' in html
    assert "csrf-" not in html.split('name="csrfmiddlewaretoken" value="')[1][:5]
    assert Activity.objects.filter(verb="block.kind", article_id=seed.pk).exists()


@pytest.mark.django_db
def test_username_change_refreshes_cached_pages(client, alice, bob, seed, claim):
    client.force_login(bob)
    assert "by alice" in client.get(seed.get_absolute_url()).content.decode()
    alice.username = "alice2"
    alice.save()
    assert "by alice2" in client.get(seed.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_demoted_author_can_no_longer_edit(client, bob, seed):
    data = selection(seed, SENTENCE)
    mine = services.create_claim(article=seed, author=bob, exact=data["exact"])
    seed.workspace.memberships.filter(user=bob).update(role="viewer")
    client.force_login(bob)
    edit = client.post(reverse("annotations:update", args=[mine.pk]), {"version": 1, "note": "x"})
    assert edit.status_code == 404
    reply = client.post(reverse("annotations:add_reply", args=[mine.pk]), {"body": "ok"})
    assert reply.status_code == 302


@pytest.mark.django_db
def test_the_same_passage_twice_is_the_same_claim(alice_client, seed):
    data = selection(seed, SENTENCE)
    first = create(alice_client, seed, **data)
    assert first.status_code == 201 and first.json()["created"] is True
    second = create(alice_client, seed, **data)
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"] and second.json()["created"] is False
    assert Claim.objects.count() == 1


@pytest.mark.django_db
def test_tag_change_is_logged_once_per_article(seed, alice):
    first = services.create_claim(article=seed, author=alice, exact=SENTENCE)
    second = services.create_claim(article=seed, author=alice, exact="Moskau habe bereits")
    tag = services.add_tag(claim=first, label="Reuters", user=alice)
    services.add_tag(claim=second, label="Reuters", user=alice)
    services.rename_tag(tag=tag, label="Reuters via AP", actor=alice)
    assert Activity.objects.filter(verb="tag.renamed").count() == 1
