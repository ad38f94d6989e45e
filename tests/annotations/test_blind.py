"""Blind double annotation: bob never sees alice's claims on a blind article, on any path,
until both are done; then everyone sees all (issue 16)."""

import json

import pytest
from api_helpers import token_for
from django.test import Client
from django.urls import reverse
from factories import add_member, make_seed_article, make_user

from activity.models import Activity
from annotations import live, selectors, services
from annotations.models import BlindRound, Claim, SourceTag, Visibility
from workspaces.models import Role

ALICE_QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
BOB_QUOTE = "Moskau habe bereits damit begonnen"
ALICE_LABEL = "Journal citing geheime Quelle Alpha"
BOB_LABEL = "Journal citing Quelle Beta"


@pytest.fixture
def dora(workspace):
    """An editor of the workspace who is not assigned."""
    user = make_user("dora")
    add_member(workspace=workspace, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def article(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.fixture
def blind(article, alice, bob, dora):
    """alice (owner) assigned alice and bob; each wrote a tagged claim; nobody is done."""
    blind_round = services.start_blind_round(
        article=article, owner=alice, annotator_ids=[alice.pk, bob.pk]
    )
    mine = services.create_claim(article=article, author=alice, exact=ALICE_QUOTE)
    services.add_tag(claim=mine, label=ALICE_LABEL, user=alice)
    second = services.create_claim(article=article, author=alice, exact="Teheran")
    theirs = services.create_claim(article=article, author=bob, exact=BOB_QUOTE)
    services.add_tag(claim=theirs, label=BOB_LABEL, user=bob)
    return blind_round, mine, second, theirs


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, article) -> str:
    return client_for(user).get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
class TestStartingARound:
    def test_needs_two_writers(self, article, alice, bob, dora):
        with pytest.raises(services.ClaimError):
            services.start_blind_round(article=article, owner=alice, annotator_ids=[alice.pk])
        viewer = make_user("vic")
        add_member(workspace=article.workspace, user=viewer, role=Role.VIEWER)
        with pytest.raises(services.ClaimError, match="owners or editors"):
            services.start_blind_round(
                article=article, owner=alice, annotator_ids=[alice.pk, viewer.pk]
            )

    def test_refused_on_an_article_with_shared_claims(self, article, alice, bob):
        services.create_claim(article=article, author=bob, exact=BOB_QUOTE)
        with pytest.raises(services.ClaimError, match="shared claims"):
            services.start_blind_round(
                article=article, owner=alice, annotator_ids=[alice.pk, bob.pk]
            )
        assert not BlindRound.objects.exists()

    def test_only_owners_reach_the_assign_page(self, article, alice, bob, dora):
        url = reverse("annotations:blind_round", args=[article.pk])
        assert client_for(bob).get(url).status_code == 404
        assert client_for(bob).post(url, {"annotator": [bob.pk, dora.pk]}).status_code == 404
        response = client_for(alice).post(url, {"annotator": [alice.pk, bob.pk]})
        assert response.status_code == 302
        assert BlindRound.objects.get(article=article).annotators.count() == 2

    def test_the_assign_form_explains_a_refusal(self, article, alice):
        url = reverse("annotations:blind_round", args=[article.pk])
        response = client_for(alice).post(url, {"annotator": [alice.pk]})
        assert response.status_code == 400
        assert "at least two annotators" in response.content.decode()


@pytest.mark.django_db
class TestWhileBlind:
    def test_claims_are_blind_and_unnumbered(self, blind):
        _, mine, second, theirs = blind
        for claim in (mine, second, theirs):
            claim.refresh_from_db()
            assert claim.visibility == Visibility.BLIND and claim.number is None

    def test_unassigned_members_cannot_add_claims(self, blind, article, dora):
        with pytest.raises(services.ClaimError, match="annotated blind"):
            services.create_claim(article=article, author=dora, exact="Kiew")
        response = client_for(dora).post(
            reverse("annotations:create", args=[article.pk]), {"exact": "Kiew"}
        )
        assert response.status_code == 400

    def test_a_blind_claim_cannot_be_shared_early(self, blind, bob):
        _, _, _, theirs = blind
        theirs.refresh_from_db()
        claim = services.update_claim(
            claim=theirs, version=theirs.version, visibility=Visibility.WORKSPACE
        )
        assert claim.visibility == Visibility.BLIND

    def test_reading_page_and_panel(self, blind, article, alice, bob, dora):
        _, mine, second, theirs = blind
        for user, own, hidden in ((bob, [theirs], [mine, second]), (alice, [mine], [theirs])):
            html = page(user, article)
            panel = client_for(user).get(article.get_absolute_url(), headers={"HX-Request": "1"})
            for claim in own:
                assert f'data-annotation-id="{claim.pk}"' in html
            for claim in hidden:
                assert f'data-annotation-id="{claim.pk}"' not in html
                assert f'data-claim-id="{claim.pk}"' not in html
                assert f'data-claim-id="{claim.pk}"' not in panel.content.decode()
        html = page(dora, article)
        assert "data-annotation-id" not in html
        assert "being annotated blind" in html

    def test_claim_pages_are_404(self, blind, alice, bob, dora):
        _, mine, _, theirs = blind
        assert client_for(bob).get(reverse("annotations:detail", args=[mine.pk])).status_code == 404
        assert client_for(alice).get(theirs.get_absolute_url()).status_code == 404
        assert client_for(dora).get(theirs.get_absolute_url()).status_code == 404
        assert client_for(bob).get(theirs.get_absolute_url()).status_code == 200

    def test_numbers_reveal_nothing(self, blind, article, bob):
        """alice wrote two claims first; bob's first claim is still his number 1."""
        html = page(bob, article)
        assert 'data-claim-number="1"' in html
        assert 'data-claim-number="2"' not in html

    def test_live_stream(self, blind, article, alice, bob, dora):
        _, mine, second, theirs = blind
        bob_events = {
            e["claim"] for e in live.visible_events(article_id=article.pk, user=bob, after_id=0)
        }
        assert theirs.pk in bob_events and not bob_events & {mine.pk, second.pk}
        dora_events = live.visible_events(article_id=article.pk, user=dora, after_id=0)
        assert dora_events == []

    def test_export(self, blind, article, alice, bob, dora):
        _, mine, _, theirs = blind
        for fmt in ("csv", "jsonld"):
            url = reverse(f"annotations:article_export_{fmt}", args=[article.pk]) + "?only_tagged=0"
            body = b"".join(client_for(bob).get(url).streaming_content).decode()
            assert BOB_QUOTE in body and ALICE_QUOTE not in body and ALICE_LABEL not in body
            body = b"".join(client_for(dora).get(url).streaming_content).decode()
            assert BOB_QUOTE not in body and ALICE_QUOTE not in body
        url = reverse("annotations:export_download") + "?format=csv&only_tagged=0"
        body = b"".join(client_for(alice).get(url).streaming_content).decode()
        assert ALICE_QUOTE in body and BOB_QUOTE not in body

    def test_tag_counts_and_suggestions(self, blind, article, alice, bob, dora):
        alice_tag = SourceTag.objects.get(label=ALICE_LABEL)
        assert alice_tag.shared_claim_count == 0 and alice_tag.owner_id == alice.pk
        labels = {
            t.label: t.uses
            for t in selectors.tags_with_counts(workspace_id=article.workspace_id, user=bob)
        }
        assert ALICE_LABEL not in labels and labels[BOB_LABEL] == 1
        assert ALICE_LABEL not in client_for(bob).get(reverse("annotations:tags")).content.decode()
        assert BOB_LABEL not in client_for(dora).get(reverse("annotations:tags")).content.decode()
        suggestions = client_for(bob).get(
            reverse("annotations:tag_suggestions"), {"article": article.pk, "source_tag": "Journal"}
        )
        assert ALICE_LABEL not in suggestions.content.decode()

    def test_activity_page(self, blind, article, alice, bob, dora):
        url = reverse("workspaces:activity", args=[article.workspace_id])
        html = client_for(bob).get(url).content.decode()
        assert "Teheran" not in html and "Raketen Russlands" not in html
        assert "Teheran" not in client_for(dora).get(url).content.decode()

    def test_api(self, blind, article, alice, bob):
        _, mine, _, theirs = blind
        container = reverse("api:article_annotations", args=[article.pk])
        response = client_for(bob).get(
            container,
            headers={"Authorization": f"Bearer {token_for(bob)}", "Accept": "application/ld+json"},
        )
        body = response.content.decode()
        assert response.status_code == 200 and BOB_QUOTE in body and ALICE_QUOTE not in body
        one = reverse("api:annotation", args=[article.pk, mine.pk])
        response = Client().get(
            one,
            headers={"Authorization": f"Bearer {token_for(bob)}", "Accept": "application/ld+json"},
        )
        assert response.status_code == 404

    def test_agreement_report_waits(self, blind, article, alice):
        html = client_for(alice).get(reverse("annotations:article_agreement", args=[article.pk]))
        assert "still being annotated blind" in html.content.decode()
        # The workspace report counts only what the owner may see: her own claims.
        report = selectors.agreement_report(workspace_id=article.workspace_id, user=alice)
        assert report.claims == 2 and report.coders == 1
        assert (
            client_for(alice).get(reverse("annotations:curation", args=[article.pk])).status_code
            == 404
        )


@pytest.mark.django_db
class TestDone:
    def test_only_assigned_annotators_may_say_done(self, blind, article, dora):
        url = reverse("annotations:blind_done", args=[article.pk])
        assert client_for(dora).post(url).status_code == 404

    def test_one_done_reveals_nothing(self, blind, article, alice, bob):
        client_for(bob).post(reverse("annotations:blind_done", args=[article.pk]))
        _, mine, _, theirs = blind
        assert f'data-annotation-id="{mine.pk}"' not in page(bob, article)
        assert f'data-annotation-id="{theirs.pk}"' not in page(alice, article)
        # bob may take it back before everyone is done
        client_for(bob).post(reverse("annotations:blind_done", args=[article.pk]), {"done": "0"})
        client_for(alice).post(reverse("annotations:blind_done", args=[article.pk]))
        assert BlindRound.objects.get().revealed_at is None

    def test_all_done_reveals_everything_everywhere(self, blind, article, alice, bob, dora):
        _, mine, second, theirs = blind
        for user in (bob, alice):
            client_for(user).post(reverse("annotations:blind_done", args=[article.pk]))
        assert BlindRound.objects.get().revealed_at is not None
        numbers = dict(Claim.objects.values_list("exact", "number"))
        # Numbered in reading order at the reveal.
        ordered = sorted([mine, second, theirs], key=lambda c: c.start)
        assert [numbers[c.exact] for c in ordered] == [1, 2, 3]
        for user in (alice, bob, dora):
            html = page(user, article)
            for claim in (mine, second, theirs):
                assert f'data-annotation-id="{claim.pk}"' in html
        assert SourceTag.objects.get(label=ALICE_LABEL).shared_claim_count == 1
        assert SourceTag.objects.get(label=ALICE_LABEL).owner_id is None
        dora_events = live.visible_events(article_id=article.pk, user=dora, after_id=0)
        assert {e["claim"] for e in dora_events if e["verb"] == "claim.shared"} == {
            mine.pk,
            second.pk,
            theirs.pk,
        }
        assert Activity.objects.filter(verb="claim.shared").count() == 3
        report = client_for(alice).get(reverse("annotations:article_agreement", args=[article.pk]))
        assert 'data-figure="coders">2<' in report.content.decode()
        with pytest.raises(services.ClaimError):
            services.mark_done(blind_round=BlindRound.objects.get(), user=bob)

    def test_same_label_typed_blind_by_both_becomes_one_shared_tag(self, article, alice, bob):
        blind_round = services.start_blind_round(
            article=article, owner=alice, annotator_ids=[alice.pk, bob.pk]
        )
        a = services.create_claim(article=article, author=alice, exact=ALICE_QUOTE)
        b = services.create_claim(article=article, author=bob, exact=ALICE_QUOTE[:40])
        services.add_tag(claim=a, label="AP", user=alice)
        services.add_tag(claim=b, label="ap", user=bob)
        assert SourceTag.objects.filter(label__iexact="ap").count() == 2
        services.mark_done(blind_round=blind_round, user=alice)
        services.mark_done(blind_round=blind_round, user=bob)
        tag = SourceTag.objects.get(label__iexact="ap")
        assert tag.owner_id is None and tag.shared_claim_count == 2


@pytest.mark.django_db
def test_workspace_agreement_is_for_owners(workspace, bob):
    url = reverse("annotations:workspace_agreement") + f"?workspace={workspace.slug}"
    assert client_for(bob).get(url).status_code == 404


@pytest.mark.django_db
def test_agreement_command_counts_blind_claims(blind, article, capsys):
    from django.core.management import call_command

    call_command("agreement", "--workspace", article.workspace.slug, "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["coders"] == 2 and set(result) == {"items", "coders", "span_f1", "alpha"}


@pytest.mark.django_db
def test_an_owner_who_is_not_assigned_sees_nothing_until_all_are_done(article, alice, bob, dora):
    carol = make_user("carol")
    add_member(workspace=article.workspace, user=carol, role=Role.OWNER)
    blind_round = services.start_blind_round(
        article=article, owner=carol, annotator_ids=[bob.pk, dora.pk]
    )
    claim = services.create_claim(article=article, author=bob, exact=BOB_QUOTE)
    services.mark_done(blind_round=blind_round, user=bob)
    assert f'data-annotation-id="{claim.pk}"' not in page(carol, article)
    assert client_for(carol).get(claim.get_absolute_url()).status_code == 404
    services.mark_done(blind_round=blind_round, user=dora)
    assert f'data-annotation-id="{claim.pk}"' in page(carol, article)


@pytest.mark.django_db
def test_api_claims_from_someone_not_assigned_are_refused(blind, article, dora):
    from api_helpers import call, container, new_annotation

    response = call(
        Client(),
        "post",
        container(article),
        token=token_for(dora),
        body=new_annotation(article, exact="Kiew"),
    )
    assert response.status_code == 400
    assert "annotated blind" in response.content.decode()
    assert not Claim.objects.filter(author=dora).exists()


@pytest.mark.django_db
def test_no_suggestions_while_blind(article, alice, bob):
    from annotations.suggestions import compute_suggestions

    compute_suggestions(article_id=article.pk)
    assert "data-suggestion-id" in page(bob, article)
    services.start_blind_round(article=article, owner=alice, annotator_ids=[alice.pk, bob.pk])
    assert "data-suggestion-id" not in page(bob, article)
