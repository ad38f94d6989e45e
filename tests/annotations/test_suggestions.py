"""Suggested claims: computed once per text version, accepted into claims, dismissed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import make_seed_article, make_user

from annotations import services as claim_services
from annotations import suggestions
from annotations.models import Claim, Suggestion, SuggestionRun, SuggestionState
from annotations.selectors import article_canonical_text
from annotations.source_tags import parse_source_tag
from articles import services as article_services
from articles.models import Article
from workspaces.models import Membership, Role

WSJ_OFFICIALS = "Wall Street Journal unter Berufung auf ungenannte US-Beamte"


@pytest.fixture
def article(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.fixture
def computed(article):
    suggestions.compute_suggestions(article_id=article.pk)
    return article


def _open(article):
    return list(Suggestion.objects.filter(article=article, state=SuggestionState.OPEN))


def _wsj(article) -> Suggestion:
    return Suggestion.objects.get(article=article, proposed_label=WSJ_OFFICIALS)


@pytest.mark.parametrize(
    ("outlet", "cited", "language", "label"),
    [
        ("WSJ", "US officials", "en", "WSJ citing US officials"),
        ("Wall Street Journal", "ungenannte US-Beamte", "de", WSJ_OFFICIALS),
        ("", "russische Außenministerium", "de", "russische Außenministerium"),
        ("Reuters", "", "en", "Reuters"),
        ("Spiegel", "Regierungskreise", "de", "Spiegel unter Berufung auf Regierungskreise"),
        ("Axios", "two  sources;", "en", "Axios citing two sources,"),
    ],
)
def test_proposed_label_reads_in_the_texts_language(outlet, cited, language, label):
    assert suggestions.proposed_label(outlet=outlet, cited=cited, language=language) == label


@pytest.mark.django_db
def test_every_proposed_label_parses_back_to_the_same_fields(computed):
    rows = list(Suggestion.objects.filter(article=computed))
    assert len(rows) >= 10
    for row in rows:
        parsed = parse_source_tag(label=row.proposed_label)
        assert (parsed.outlet, parsed.cited) == (row.outlet, row.cited), row.proposed_label
        assert parsed.anonymous == row.anonymous, row.proposed_label


@pytest.mark.django_db
def test_suggestions_are_stored_with_their_span_in_the_canonical_text(computed):
    text = article_canonical_text(article=computed)
    wsj = _wsj(computed)
    assert wsj.text_version == computed.text_version
    assert text[wsj.start : wsj.end] == wsj.quote
    assert text[wsj.cue_start : wsj.cue_end] == wsj.cue == "berichtete"
    assert (wsj.outlet, wsj.cited, wsj.anonymous) == (
        "Wall Street Journal",
        "ungenannte US-Beamte",
        True,
    )


@pytest.mark.django_db
def test_suggestions_are_computed_once_per_text_version(article):
    first = suggestions.compute_suggestions(article_id=article.pk)
    assert first == Suggestion.objects.filter(article=article).count() > 0
    Suggestion.objects.filter(article=article).update(state=SuggestionState.DISMISSED)
    assert suggestions.compute_suggestions(article_id=article.pk) == 0
    assert not _open(article)  # dismissed ones stay dismissed
    assert SuggestionRun.objects.filter(article=article).count() == 1
    # A new text version gets its own suggestions.
    Article.objects.filter(pk=article.pk).update(text_version=2)
    assert suggestions.compute_suggestions(article_id=article.pk) == first
    assert len(_open(article)) == first


@pytest.mark.django_db
def test_an_article_without_attributions_is_marked_computed(workspace, alice):
    plain = article_services.import_text(
        workspace=workspace,
        user=alice,
        text="Title\n\nThe sun rose over the hills.",
        language="en",
    )
    assert suggestions.compute_suggestions(article_id=plain.pk) == 0
    assert SuggestionRun.objects.filter(article=plain).exists()


@pytest.mark.django_db
def test_accepting_makes_a_claim_with_the_proposed_tag(computed, bob):
    wsj = _wsj(computed)
    claim = suggestions.accept_suggestion(suggestion=wsj, user=bob)
    assert (claim.author, claim.start, claim.end, claim.exact) == (
        bob,
        wsj.start,
        wsj.end,
        wsj.quote,
    )
    tag = claim.tags.get()
    assert (tag.label, tag.outlet, tag.cited, tag.anonymous) == (
        WSJ_OFFICIALS,
        "Wall Street Journal",
        "ungenannte US-Beamte",
        True,
    )
    wsj.refresh_from_db()
    assert (wsj.state, wsj.claim, wsj.decided_by) == (SuggestionState.ACCEPTED, claim, bob)
    # Accepting again (a double click) gives the same claim, nothing new.
    assert suggestions.accept_suggestion(suggestion=wsj, user=bob) == claim
    assert Claim.objects.filter(article=computed).count() == 1


@pytest.mark.django_db
def test_accepting_with_an_edited_label(computed, alice):
    claim = suggestions.accept_suggestion(
        suggestion=_wsj(computed), user=alice, label="WSJ citing US officials"
    )
    tag = claim.tags.get()
    assert (tag.label, tag.outlet, tag.cited) == ("WSJ citing US officials", "WSJ", "US officials")


@pytest.mark.django_db
def test_accepting_never_duplicates_a_claim_on_the_same_passage(computed, alice, bob):
    wsj = _wsj(computed)
    mine = claim_services.create_claim(
        article=computed, author=alice, exact=wsj.quote, start_utf16=None, end_utf16=None
    )
    assert (mine.start, mine.end) == (wsj.start, wsj.end)
    assert suggestions.accept_suggestion(suggestion=wsj, user=alice) == mine
    assert [t.label for t in mine.tags.all()] == [WSJ_OFFICIALS]
    # Someone else's claim on that passage stands for it too: no second claim.
    other = Suggestion.objects.filter(article=computed, state="open").order_by("start")[1]
    theirs = claim_services.create_claim(
        article=computed, author=bob, exact=other.quote, start_utf16=None, end_utf16=None
    )
    assert suggestions.accept_suggestion(suggestion=other, user=alice) == theirs
    assert Claim.objects.filter(article=computed).count() == 2


@pytest.mark.django_db
def test_accepting_after_the_text_changed_is_refused(computed, alice):
    wsj = _wsj(computed)
    Article.objects.filter(pk=computed.pk).update(text_version=2)
    with pytest.raises(claim_services.ClaimError, match="changed"):
        suggestions.accept_suggestion(suggestion=wsj, user=alice)
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_dismissed_ones_cannot_be_accepted(computed, alice):
    wsj = _wsj(computed)
    assert suggestions.dismiss_suggestion(suggestion=wsj, user=alice)
    assert not suggestions.dismiss_suggestion(suggestion=wsj, user=alice)
    with pytest.raises(claim_services.ClaimError, match="already decided"):
        suggestions.accept_suggestion(suggestion=wsj, user=alice)


@pytest.mark.django_db
def test_accept_all_and_dismiss_all_for_one_source(computed, alice):
    label = "Wall Street Journal unter Berufung auf Beamten"
    count = Suggestion.objects.filter(article=computed, proposed_label=label).count()
    assert count >= 2
    claims = suggestions.accept_all(article=computed, label=label, user=alice)
    assert len(claims) == count
    assert all(c.tags.get().label == label for c in claims)
    other = "Wall Street Journal unter Berufung auf US-Beamten"
    assert suggestions.dismiss_all(article=computed, label=other, user=alice) >= 2
    assert not Suggestion.objects.filter(
        article=computed, proposed_label__in=[label, other], state="open"
    ).exists()
    assert Suggestion.objects.filter(article=computed, state="open").exists()


@pytest.mark.django_db
def test_decisions_bump_the_article_revision(computed, alice):
    before = Article.objects.get(pk=computed.pk).render_version
    suggestions.dismiss_suggestion(suggestion=_wsj(computed), user=alice)
    assert Article.objects.get(pk=computed.pk).render_version > before


# ------------------------------------------------------------------------ the page


@pytest.mark.django_db
def test_writers_see_suggestion_marks_and_panel(client, computed, bob):
    client.force_login(bob)
    wsj = _wsj(computed)
    html = client.get(computed.get_absolute_url()).content.decode()
    assert f'<mark data-suggestion-id="{wsj.pk}" class="suggestion-mark"' in html
    assert 'data-annotation-id="-' not in html
    assert WSJ_OFFICIALS in html
    assert "Accept all from Wall Street Journal unter Berufung auf Beamten" in html
    assert reverse("annotations:accept_suggestion", args=[wsj.pk]) in html


@pytest.mark.django_db
def test_the_page_offers_to_suggest_until_computed(client, article, alice):
    client.force_login(alice)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'data-action="suggest-claims"' in html
    response = client.post(reverse("annotations:suggest", args=[article.pk]))
    assert response.status_code == 302
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'data-action="suggest-claims"' not in html
    assert "data-suggestion-id" in html


@pytest.mark.django_db
def test_viewers_see_nothing_of_suggestions(client, computed, workspace):
    viewer = make_user("dora")
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    html = client.get(computed.get_absolute_url()).content.decode()
    # The page's list of activity verbs names suggestions; nothing else may.
    html = html[: html.index("data-activity-verbs")] + html[html.index("data-article-id") :]
    assert "suggestion" not in html.lower().replace("tag_suggestions", "").replace(
        "suggestions.js", ""
    )


@pytest.mark.django_db
def test_dismissed_marks_leave_the_page(client, computed, alice):
    client.force_login(alice)
    wsj = _wsj(computed)
    url = computed.get_absolute_url()
    assert f'data-suggestion-id="{wsj.pk}"' in client.get(url).content.decode()
    response = client.post(
        reverse("annotations:dismiss_suggestion", args=[wsj.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204 and "claims-changed" in response["HX-Trigger"]
    assert f'data-suggestion-id="{wsj.pk}"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_accepting_in_the_browser_answers_with_the_claim_card(client, computed, alice):
    client.force_login(alice)
    wsj = _wsj(computed)
    response = client.post(
        reverse("annotations:accept_suggestion", args=[wsj.pk]),
        {"label": "WSJ citing US officials"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="claim-card",
    )
    claim = Claim.objects.get(article=computed)
    html = response.content.decode()
    assert f'data-claim-id="{claim.pk}"' in html and "WSJ citing US officials" in html
    assert "claims-changed" in response["HX-Trigger"]
    # Without htmx the form posts and lands on the claim's page.
    other = Suggestion.objects.filter(article=computed, state="open").first()
    response = client.post(reverse("annotations:accept_suggestion", args=[other.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/claims/")


@pytest.mark.django_db
def test_an_already_decided_suggestion_is_explained(client, computed, alice):
    client.force_login(alice)
    wsj = _wsj(computed)
    suggestions.dismiss_suggestion(suggestion=wsj, user=alice)
    response = client.post(
        reverse("annotations:accept_suggestion", args=[wsj.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "already decided" in response.content.decode()


# ------------------------------------------------------------------------ after import


@pytest.mark.django_db(transaction=True)
def test_an_import_queues_its_suggestions_for_the_worker(workspace, alice):
    from job_helpers import drain_jobs, queued_jobs

    article = make_seed_article(workspace=workspace, user=alice)
    # Nothing computed while importing: a job waits for the worker.
    assert not SuggestionRun.objects.filter(article=article).exists()
    # (Other tests' imports may have left jobs behind: only this article's count here.)
    jobs = queued_jobs("annotations.compute_suggestions")
    assert [job for job in jobs if job["args"]["article_id"] == article.pk]
    drain_jobs()
    assert SuggestionRun.objects.filter(article=article).exists()
    assert Suggestion.objects.filter(article=article).count() >= 10


@pytest.mark.django_db(transaction=True)
def test_no_suggestion_job_when_turned_off(settings, workspace, alice):
    from job_helpers import queued_jobs

    settings.SUGGESTIONS_ON_IMPORT = False
    article = make_seed_article(workspace=workspace, user=alice)
    jobs = queued_jobs("annotations.compute_suggestions")
    assert not [job for job in jobs if job["args"]["article_id"] == article.pk]


@pytest.mark.django_db
def test_the_suggestion_panel_costs_a_fixed_number_of_queries(client, computed, alice):
    client.force_login(alice)
    url = computed.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Cached now: the second view reads no suggestions.
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert not any("annotations_suggestion" in q["sql"] for q in cached.captured_queries)
    assert sum("annotations_suggestion" in q["sql"] for q in queries.captured_queries) == 1


@pytest.mark.django_db
def test_decisions_reach_other_pages_through_the_log(computed, alice, bob):
    """Every change to the marks leaves a log row for the article (the live stream's cue)."""
    from activity.models import Activity, ActivityVerb

    wsj = _wsj(computed)
    suggestions.dismiss_suggestion(suggestion=wsj, user=alice)
    suggestions.dismiss_suggestion(suggestion=wsj, user=alice)  # no change, no row
    label = "Wall Street Journal unter Berufung auf Beamten"
    suggestions.dismiss_all(article=computed, label=label, user=bob)
    other = Suggestion.objects.filter(article=computed, state="open").first()
    theirs = claim_services.create_claim(
        article=computed, author=bob, exact=other.quote, start_utf16=None, end_utf16=None
    )
    suggestions.accept_suggestion(suggestion=other, user=alice)
    rows = list(
        Activity.objects.filter(article_id=computed.pk, verb__startswith="suggestion")
        .order_by("id")
        .values_list("verb", "actor__username", "summary")
    )
    assert rows[0] == (ActivityVerb.SUGGESTION_DISMISSED, "alice", WSJ_OFFICIALS)
    assert rows[1][:2] == (ActivityVerb.SUGGESTION_DISMISSED, "bob")
    assert rows[1][2].endswith(f"from {label}")
    assert rows[2] == (ActivityVerb.SUGGESTION_ACCEPTED, "alice", other.proposed_label)
    assert len(rows) == 3
    assert Claim.objects.get(article=computed) == theirs


@pytest.mark.django_db
def test_pressing_suggest_logs_who_found_them(client, article, alice):
    from activity.models import Activity, ActivityVerb

    client.force_login(alice)
    client.post(reverse("annotations:suggest", args=[article.pk]), HTTP_HX_REQUEST="true")
    client.post(reverse("annotations:suggest", args=[article.pk]), HTTP_HX_REQUEST="true")
    row = Activity.objects.get(article_id=article.pk, verb=ActivityVerb.SUGGESTIONS_FOUND)
    count = Suggestion.objects.filter(article=article).count()
    assert (row.actor, row.summary) == (alice, f"{count} suggested claims")


@pytest.mark.django_db
def test_a_bad_edited_label_is_refused_and_nothing_is_saved(client, computed, alice):
    client.force_login(alice)
    wsj = _wsj(computed)
    response = client.post(
        reverse("annotations:accept_suggestion", args=[wsj.pk]),
        {"label": "WSJ; Reuters"},
        HTTP_HX_REQUEST="true",
    )
    assert "semicolon" in response.content.decode()
    assert not Claim.objects.exists()
    wsj.refresh_from_db()
    assert wsj.state == SuggestionState.OPEN


@pytest.mark.django_db
def test_an_accepted_suggestion_never_shows_someone_elses_private_claim(computed, alice, bob):
    wsj = _wsj(computed)
    claim = suggestions.accept_suggestion(suggestion=wsj, user=alice)
    claim.refresh_from_db()
    claim_services.update_claim(claim=claim, version=claim.version, visibility="private")
    assert suggestions.accept_suggestion(suggestion=wsj, user=alice) == claim
    with pytest.raises(claim_services.ClaimError, match="already decided"):
        suggestions.accept_suggestion(suggestion=wsj, user=bob)
