"""Claim search: who sees what, each language configuration, facets, filters, and the
documents the triggers keep."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse
from factories import make_article, make_seed_article, make_workspace

from annotations import services
from annotations.models import Claim, ClaimTag, Reply, SourceTag, Visibility
from search import selectors
from search import services as search_services
from search.models import ClaimDocument, PendingTag

URL = reverse("search:search")
ENGLISH = (
    "Budget talks stall again\n\n"
    "The ministers said the budget would be cut, according to officials in Brussels.\n\n"
    "Farmers protested against the tariffs outside the parliament on Monday."
)
# In the seed article (German): "Raketen" is found by "Rakete" only through German stemming.
GERMAN_QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


@pytest.fixture
def english(workspace, alice):
    return make_article(workspace=workspace, user=alice, text=ENGLISH, language="en")


@pytest.fixture
def german(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


def claim_on(article, author, exact: str, **fields) -> Claim:
    return services.create_claim(article=article, author=author, exact=exact, **fields)


def hits(client, **params) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [claim.pk for claim in response.context["page"]]


@pytest.fixture
def claims(english, german, alice, bob):
    """alice: a shared English claim tagged and replied to, a shared German claim, a private
    claim; bob: a shared claim with a note."""
    budget = claim_on(english, alice, "the budget would be cut")
    services.add_tag(claim=budget, label="Reuters citing EU officials", user=alice)
    services.add_reply(claim=budget, author=bob, body="Checked against the council minutes")
    rockets = claim_on(german, alice, GERMAN_QUOTE)
    services.add_tag(claim=rockets, label="Fox News unter Berufung auf Beamte", user=alice)
    secret = claim_on(
        english,
        alice,
        "Farmers protested against the tariffs",
        visibility=Visibility.PRIVATE,
    )
    services.add_tag(claim=secret, label="Informant Kowalski", user=alice)
    services.add_reply(claim=secret, author=alice, body="phoned the whistleblower")
    farmers = claim_on(english, bob, "outside the parliament on Monday")
    Claim.objects.filter(pk=farmers.pk).update(note="Verify the date with the police")
    Claim.objects.filter(pk=farmers.pk).update(status="disputed")
    return {"budget": budget, "rockets": rockets, "secret": secret, "farmers": farmers}


@pytest.mark.django_db
class TestWhoSeesWhat:
    def test_bob_finds_shared_claims_by_text_note_reply_and_tag(self, client, bob, claims):
        client.force_login(bob)
        assert hits(client, q="budget") == [claims["budget"].pk]
        assert hits(client, q="council minutes") == [claims["budget"].pk]  # a reply
        assert hits(client, q="Reuters") == [claims["budget"].pk]  # a tag label
        assert hits(client, q="police") == [claims["farmers"].pk]  # a note

    def test_private_claims_of_others_never_appear(self, client, alice, bob, claims):
        client.force_login(bob)
        for query in ("tariffs", "Kowalski", "whistleblower", "Farmers"):
            assert claims["secret"].pk not in hits(client, q=query)
        response = client.get(URL, {"q": "Farmers"})
        assert b"Kowalski" not in response.content and b"whistleblower" not in response.content
        assert hits(client) == [claims["farmers"].pk, claims["rockets"].pk, claims["budget"].pk]
        # Not counted either: no facet mentions the private claim or its private tag.
        facets = client.get(URL).context["facets"]
        assert facets.counted == 3
        assert "Informant Kowalski" not in [row["label"] for row in facets.tags]
        client.force_login(alice)
        assert hits(client, q="whistleblower") == [claims["secret"].pk]

    def test_an_outsider_finds_nothing(self, client, charlie, claims):
        client.force_login(charlie)
        response = client.get(URL, {"q": "budget"})
        assert response.status_code == 200
        assert b"the budget would be cut" not in response.content
        make_workspace(owner=charlie)
        assert hits(client, q="budget") == []
        assert hits(client, article=claims["budget"].article_id) == []

    def test_an_outsider_naming_a_tag_or_article_of_another_workspace_gets_an_error(
        self, client, charlie, claims
    ):
        make_workspace(owner=charlie)
        client.force_login(charlie)
        tag = SourceTag.objects.get(label="Reuters citing EU officials")
        response = client.get(URL, {"tag": tag.pk, "article": claims["budget"].article_id})
        assert response.status_code == 200
        assert list(response.context["page"]) == []
        assert "tag" in response.context["form"].errors
        assert "article" in response.context["form"].errors
        assert b"Reuters citing" not in response.content

    def test_someone_elses_private_tag_is_not_revealed(self, client, bob, claims):
        client.force_login(bob)
        tag = SourceTag.objects.get(label="Informant Kowalski")
        response = client.get(URL, {"tag": tag.pk})
        assert "tag" in response.context["form"].errors
        assert b"Kowalski" not in response.content
        assert claims["secret"].pk not in [c.pk for c in response.context["page"]]

    def test_signed_out_is_sent_to_sign_in(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
class TestLanguages:
    def test_each_document_is_parsed_in_its_articles_configuration(self, claims):
        configs = dict(ClaimDocument.objects.values_list("claim_id", "config"))
        assert configs[claims["rockets"].pk] == "german"
        assert configs[claims["budget"].pk] == "english"

    def test_german_stemming(self, client, alice, claims):
        client.force_login(alice)
        assert hits(client, q="Rakete") == [claims["rockets"].pk]  # "Raketen"
        assert hits(client, q="Beamter") == [claims["rockets"].pk]  # "Beamten"

    def test_english_stemming_and_websearch_syntax(self, client, alice, claims):
        client.force_login(alice)
        assert hits(client, q="cutting budgets") == [claims["budget"].pk]
        assert hits(client, q='"budget would be cut"') == [claims["budget"].pk]
        assert hits(client, q="budget -Reuters") == []
        assert set(hits(client, q="budget or parliament")) == {
            claims["budget"].pk,
            claims["farmers"].pk,
        }

    def test_a_corrected_language_parses_the_claims_again(self, claims, english):
        type(english).objects.filter(pk=english.pk).update(search_config="simple")
        assert ClaimDocument.objects.get(claim=claims["budget"]).config == "simple"


@pytest.mark.django_db
class TestFiltersAndFacets:
    def test_facet_counts(self, client, alice, claims):
        client.force_login(alice)
        facets = client.get(URL).context["facets"]
        assert facets.counted == 4 and not facets.capped
        assert {row["value"]: row["count"] for row in facets.statuses} == {
            "unverified": 3,
            "disputed": 1,
        }
        assert {row["value"]: row["count"] for row in facets.annotators} == {"alice": 3, "bob": 1}
        assert {row["label"]: row["count"] for row in facets.tags} == {
            "Reuters citing EU officials": 1,
            "Fox News unter Berufung auf Beamte": 1,
            "Informant Kowalski": 1,
        }
        assert {row["value"]: row["count"] for row in facets.outlets} == {
            "Reuters": 1,
            "Fox News": 1,
        }
        assert {row["value"]: row["count"] for row in facets.anonymous} == {"yes": 2, "no": 2}
        assert sum(row["count"] for row in facets.months) == 4

    def test_facets_follow_the_query(self, client, bob, claims):
        client.force_login(bob)
        facets = client.get(URL, {"q": "budget"}).context["facets"]
        assert facets.counted == 1
        assert [row["label"] for row in facets.tags] == ["Reuters citing EU officials"]

    def test_facets_are_capped(self, client, alice, claims, monkeypatch):
        monkeypatch.setattr(selectors, "FACET_SAMPLE", 2)
        client.force_login(alice)
        response = client.get(URL)
        assert response.context["facets"].capped and response.context["facets"].counted == 2
        assert b"newest matching claims (more match)" in response.content

    def test_filters(self, client, alice, bob, claims):
        client.force_login(alice)
        tag = SourceTag.objects.get(label="Reuters citing EU officials")
        assert hits(client, tag=tag.pk) == [claims["budget"].pk]
        assert hits(client, outlet="reuters") == [claims["budget"].pk]
        assert hits(client, cited="Beamte") == [claims["rockets"].pk]
        # "EU officials" and "Beamte" are unnamed sources; "Informant Kowalski" is named.
        assert hits(client, anonymous="yes") == [claims["rockets"].pk, claims["budget"].pk]
        assert hits(client, anonymous="no") == [claims["farmers"].pk, claims["secret"].pk]
        assert hits(client, anonymous="named") == [claims["secret"].pk]  # tagged, none anonymous
        assert hits(client, anonymous="untagged") == [claims["farmers"].pk]
        # shared=yes: what every member sees; no: only the reader's own unshared claims
        shared = [claims["farmers"].pk, claims["rockets"].pk, claims["budget"].pk]
        assert hits(client, shared="yes") == shared
        assert hits(client, shared="no") == [claims["secret"].pk]
        client.force_login(bob)
        assert hits(client, shared="no") == []
        assert hits(client, shared="yes") == shared
        client.force_login(alice)
        assert hits(client, status="disputed") == [claims["farmers"].pk]
        assert hits(client, annotator="bob") == [claims["farmers"].pk]
        assert hits(client, article=claims["rockets"].article_id) == [claims["rockets"].pk]
        assert set(hits(client, q="budget", status="unverified")) == {claims["budget"].pk}
        Claim.objects.filter(pk=claims["budget"].pk).update(created_at="2024-03-05T10:00:00Z")
        assert hits(client, since="2024-03-05", until="2024-03-05") == [claims["budget"].pk]
        assert claims["budget"].pk not in hits(client, since="2024-03-06")

    def test_the_sources_page_links_each_tag_to_its_claims(self, client, alice, claims):
        client.force_login(alice)
        tag = SourceTag.objects.get(label="Reuters citing EU officials")
        page = client.get(reverse("annotations:tags")).content.decode()
        link = f"{URL}?tag={tag.pk}"
        assert f'href="{link}"' in page
        assert hits(client, tag=tag.pk) == [claims["budget"].pk]

    @pytest.mark.parametrize(
        "params",
        [
            {"since": "2025-13-45"},
            {"until": "yesterday"},
            {"since": "2025-03-02", "until": "2025-03-01"},
            {"tag": "abc"},
            {"tag": "99999999999999999999999"},
            {"article": "-1"},
            {"status": "maybe"},
            {"anonymous": "perhaps"},
            {"q": "x" * 500},
            {"q": "!!! & | :* ( '"},
            {"q": "<script>alert(1)</script>"},
        ],
    )
    def test_bad_input_is_explained_never_a_500(self, client, alice, claims, params):
        client.force_login(alice)
        response = client.get(URL, params)
        assert response.status_code == 200
        assert b"<script>alert" not in response.content
        if params.get("q", "").startswith(("!", "<")):
            return
        assert response.context["form"].errors
        assert b'class="form-error"' in response.content

    def test_results_open_the_claim_in_its_article(self, client, bob, claims):
        client.force_login(bob)
        page = client.get(URL, {"q": "budget"}).content.decode()
        budget = claims["budget"]
        assert f'href="/articles/{budget.article_id}/#claim-{budget.pk}"' in page

    def test_articles_matching_by_their_text(self, client, bob, claims, english):
        client.force_login(bob)
        response = client.get(URL, {"q": "Brussels"})
        assert [a.pk for a in response.context["articles"]] == [english.pk]
        assert hits(client, q="Brussels") == []  # no claim says it
        assert reverse("articles:library") + "?q=Brussels" in response.content.decode()
        # Leaving the search page is a plain link (not an htmx swap into the results).
        assert (
            'class="search-articles" aria-labelledby="search-articles-title" hx-boost="false"'
            in (response.content.decode())
        )

    def test_pages_are_keyset_pages(self, client, alice, english):
        made = [
            claim.pk
            for claim in Claim.objects.bulk_create(
                Claim(
                    article=english,
                    workspace=english.workspace,
                    author=alice,
                    exact=ENGLISH[i : i + 5],
                    start=i,
                    end=i + 5,
                )
                for i in range(25)
            )
        ]
        client.force_login(alice)
        first = client.get(URL)
        assert [c.pk for c in first.context["page"]] == sorted(made, reverse=True)[:20]
        older = first.context["page"].older
        assert older == {"before": sorted(made, reverse=True)[19], "after": None, "page": None}
        second = [c.pk for c in client.get(URL, {"before": older["before"]}).context["page"]]
        assert second == sorted(made, reverse=True)[20:]

    def test_htmx_answers_with_the_results_only(self, client, alice, claims):
        client.force_login(alice)
        response = client.get(
            URL, {"q": "budget"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="search-results"')
        assert "<html" not in body and "the budget would be cut" in body

    def test_rate_limited(self, client, alice, claims, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search_user": (2, 900)}
        client.force_login(alice)
        assert client.get(URL).status_code == 200
        assert client.get(URL).status_code == 200
        response = client.get(URL)
        assert response.status_code == 429 and "Retry-After" in response


@pytest.mark.django_db
class TestDocumentsFollowChanges:
    def test_tag_rename_merge_and_removal(self, client, alice, claims):
        client.force_login(alice)
        tag = SourceTag.objects.get(label="Reuters citing EU officials")
        services.rename_tag(tag=tag, label="AFP citing EU diplomats", actor=alice)
        assert hits(client, q="diplomats") == [claims["budget"].pk]
        assert hits(client, q="Reuters") == []
        other = SourceTag.objects.get(label="Fox News unter Berufung auf Beamte")
        services.merge_tags(source=other, target=SourceTag.objects.get(pk=tag.pk), actor=alice)
        assert set(hits(client, q="diplomats")) == {claims["budget"].pk, claims["rockets"].pk}
        services.remove_tag(claim=claims["budget"], tag_id=tag.pk, user=alice)
        assert hits(client, q="diplomats") == [claims["rockets"].pk]

    def test_busy_tags_are_renamed_and_merged_with_documents_rebuilt_afterwards(
        self, client, alice, claims, monkeypatch, django_capture_on_commit_callbacks
    ):
        """Above BULK_TAG_LINKS claims, a rename or merge notes the tag for the background job
        instead of rebuilding every document inside the change; the job catches up."""
        monkeypatch.setattr(services, "BULK_TAG_LINKS", 0)
        queued = []
        monkeypatch.setattr(search_services, "enqueue_once", lambda name, **kw: queued.append(name))
        client.force_login(alice)
        tag = SourceTag.objects.get(label="Reuters citing EU officials")
        with django_capture_on_commit_callbacks(execute=True):
            services.rename_tag(tag=tag, label="AFP citing EU diplomats", actor=alice)
        assert queued == ["search.refresh_pending"]
        assert list(PendingTag.objects.values_list("tag_id", flat=True)) == [tag.pk]
        assert hits(client, q="diplomats") == []  # not yet
        assert search_services.refresh_pending_documents() == 1
        assert hits(client, q="diplomats") == [claims["budget"].pk]
        assert hits(client, q="Reuters") == []
        assert not PendingTag.objects.exists()

        other = SourceTag.objects.get(label="Fox News unter Berufung auf Beamte")
        with django_capture_on_commit_callbacks(execute=True):
            services.merge_tags(source=other, target=SourceTag.objects.get(pk=tag.pk), actor=alice)
        assert list(PendingTag.objects.values_list("tag_id", flat=True)) == [tag.pk]
        search_services.refresh_pending_documents()
        assert set(hits(client, q="diplomats")) == {claims["budget"].pk, claims["rockets"].pk}
        assert hits(client, q="Fox") == []
        # The setting was on for the bulk change only: later edits are searchable at once.
        services.remove_tag(claim=claims["budget"], tag_id=tag.pk, user=alice)
        assert hits(client, q="diplomats") == [claims["rockets"].pk]
        assert not PendingTag.objects.exists()

    def test_note_and_reply_changes(self, client, alice, bob, claims):
        client.force_login(alice)
        claim = Claim.objects.get(pk=claims["budget"].pk)
        services.update_claim(claim=claim, version=claim.version, note="Archived in Zwolle")
        assert hits(client, q="Zwolle") == [claim.pk]
        reply = Reply.objects.get(claim=claim)
        services.update_reply(reply=reply, body="Spoke to the Rapporteur")
        assert hits(client, q="rapporteur") == [claim.pk]
        assert hits(client, q="minutes") == []
        services.delete_reply(reply=reply)
        assert hits(client, q="rapporteur") == []

    def test_deleting_a_claim_removes_its_document(self, alice, claims):
        claim = claims["budget"]
        services.delete_claim(claim=claim, actor=alice)
        assert not ClaimDocument.objects.filter(claim_id=claim.pk).exists()
        assert not ClaimTag.objects.filter(claim_id=claim.pk).exists()


@pytest.mark.django_db
class TestArticleOutletAndLanguage:
    """The dashboard's article-outlet and language filters (its matrix rows link here)."""

    @pytest.fixture
    def outlets(self, claims, english, german):
        type(english).objects.filter(pk=english.pk).update(outlet="The Guardian")
        type(german).objects.filter(pk=german.pk).update(outlet="Der Spiegel")
        return claims

    def test_article_outlet_is_an_exact_match(self, client, alice, outlets):
        client.force_login(alice)
        guardian = {outlets[name].pk for name in ("budget", "secret", "farmers")}
        assert set(hits(client, article_outlet="The Guardian")) == guardian
        assert hits(client, article_outlet="Der Spiegel") == [outlets["rockets"].pk]
        assert hits(client, article_outlet="the guardian") == []
        assert hits(client, article_outlet="Guardian") == []
        # With the tag's outlet (a matrix cell): the row narrows the column.
        assert hits(client, article_outlet="The Guardian", outlet="Reuters") == [
            outlets["budget"].pk
        ]
        assert hits(client, article_outlet="Der Spiegel", outlet="Reuters") == []

    def test_language(self, client, alice, outlets):
        client.force_login(alice)
        assert hits(client, language="de") == [outlets["rockets"].pk]
        english = {outlets[name].pk for name in ("budget", "secret", "farmers")}
        assert set(hits(client, language="en")) == english
        assert hits(client, language="de", article_outlet="The Guardian") == []

    def test_bad_language_is_reported_not_guessed(self, client, alice, outlets):
        client.force_login(alice)
        response = client.get(URL, {"language": "xx", "article_outlet": "x" * 300})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Choose one of the article languages: de, en." in page
        assert "Article outlet" in page  # too long: reported on its field
        # Neither wrong value filters: all of alice's claims are listed.
        assert len(response.context["page"].items) == 4

    def test_only_the_workspaces_articles(self, client, alice, charlie, outlets):
        desk = make_workspace(name="Elsewhere", owner=charlie)
        theirs = make_article(workspace=desk, user=charlie, text=ENGLISH, language="en")
        type(theirs).objects.filter(pk=theirs.pk).update(outlet="The Guardian")
        claim_on(theirs, charlie, "the budget would be cut")
        client.force_login(alice)
        assert len(hits(client, article_outlet="The Guardian")) == 3
        client.force_login(charlie)
        # charlie's current workspace is his own: only his claim, never alice's.
        assert len(hits(client, article_outlet="The Guardian", language="en")) == 1

    def test_active_filters_facet_and_page_links(self, client, alice, outlets):
        client.force_login(alice)
        response = client.get(URL, {"article_outlet": "The Guardian", "language": "en"})
        page = response.content.decode()
        names = [name for name, _label, _value in response.context["filters"]]
        assert names == ["article_outlet", "language"]
        assert 'name="article_outlet" value="The Guardian"' in page
        assert 'name="language" value="en"' in page
        assert "Article language: <strong>English</strong>" in page
        assert 'href="?language=en"' in page  # removes the article outlet only
        assert 'href="?article_outlet=The+Guardian"' in page  # removes the language only
        facets = client.get(URL).context["facets"]
        assert {row["value"]: row["count"] for row in facets.article_outlets} == {
            "The Guardian": 3,
            "Der Spiegel": 1,
        }
        assert 'href="?article_outlet=Der+Spiegel"' in client.get(URL).content.decode()

    def test_keyset_pages_keep_the_filters(self, client, alice, outlets, english, monkeypatch):
        monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
        client.force_login(alice)
        response = client.get(URL, {"article_outlet": "The Guardian"})
        first = [claim.pk for claim in response.context["page"].items]
        assert len(first) == 2
        page = response.content.decode()
        older = page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
        assert "article_outlet=The+Guardian" in older
        rest = [claim.pk for claim in client.get(URL + unescape(older)).context["page"].items]
        assert len(rest) == 1 and rest[0] not in first

    def test_empty_parameters_are_dropped(self, client, alice, outlets):
        client.force_login(alice)
        response = client.get(URL, {"q": "budget", "since": "", "language": ""})
        assert response.status_code == 302
        assert response["Location"] == URL + "?q=budget"
        htmx = client.get(URL, {"q": "budget", "since": ""}, headers={"HX-Request": "true"})
        assert htmx.status_code == 200
