"""Issue 9, item 2: a label used only on private claims belongs to its author.

Anyone else typing it silently gets a separate tag; no message, list, count or suggestion
reveals the private one, and nobody else can rename, merge or take it over.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from factories import make_seed_article

from annotations import services
from annotations.models import SourceTag

SECRET = "Bild citing informant John Doe"
FIRST = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"
SECOND = "Moskau habe bereits damit begonnen"


@pytest.fixture
def seed(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.fixture
def secret_tag(seed, alice):
    """alice's private claim, tagged with a label nobody else may learn of."""
    claim = services.create_claim(article=seed, author=alice, exact=FIRST, visibility="private")
    return services.add_tag(claim=claim, label=SECRET, user=alice)


@pytest.fixture
def bobs_claim(seed, bob):
    return services.create_claim(article=seed, author=bob, exact=SECOND)


@pytest.mark.django_db
class TestPrivateLabels:
    def test_a_tag_of_a_private_claim_is_its_authors(self, secret_tag, alice):
        assert secret_tag.owner == alice

    def test_renaming_to_a_private_label_reveals_nothing(self, client, bob, bobs_claim, secret_tag):
        mine = services.add_tag(claim=bobs_claim, label="Reuters", user=bob)
        client.force_login(bob)
        url = reverse("annotations:rename_tag", args=[mine.pk])
        preview = client.post(url, {"label": SECRET.lower()})
        assert preview.status_code == 200 and "already exists" not in preview.content.decode()
        done = client.post(url, {"label": SECRET.lower(), "confirm": "yes"}, follow=True)
        assert "already exists" not in done.content.decode()
        mine.refresh_from_db()
        secret_tag.refresh_from_db()
        assert mine.label == SECRET.lower() and mine.owner is None
        assert secret_tag.label == SECRET and secret_tag.pk != mine.pk

    def test_typing_a_private_label_gets_a_separate_tag(
        self, client, alice, bob, bobs_claim, secret_tag
    ):
        client.force_login(bob)
        response = client.post(
            reverse("annotations:add_tag", args=[bobs_claim.pk]), {"source_tag": SECRET.upper()}
        )
        assert response.status_code == 302
        [bobs_tag] = bobs_claim.tags.all()
        assert bobs_tag.pk != secret_tag.pk
        assert bobs_tag.label == SECRET.upper() and bobs_tag.owner is None
        secret_tag.refresh_from_db()
        assert secret_tag.owner == alice and secret_tag.label == SECRET
        # bob sees his spelling only; his card too.
        page = client.get(reverse("annotations:tags")).content.decode()
        assert SECRET.upper() in page and SECRET not in page
        assert (
            SECRET
            not in client.get(reverse("annotations:detail", args=[bobs_claim.pk])).content.decode()
        )
        # and he cannot touch hers, whatever he posts.
        for name, data in [
            ("rename_tag", {"label": "x", "confirm": "yes"}),
            ("merge_tag", {"into": bobs_tag.pk, "confirm": "yes"}),
            ("tag_anonymous", {"anonymous": "true"}),
        ]:
            response = client.post(reverse(f"annotations:{name}", args=[secret_tag.pk]), data)
            assert response.status_code == 404, name
        merge_into_hers = client.post(
            reverse("annotations:merge_tag", args=[bobs_tag.pk]),
            {"into": secret_tag.pk, "confirm": "yes"},
        )
        assert merge_into_hers.status_code == 404
        secret_tag.refresh_from_db()
        assert secret_tag.label == SECRET and not secret_tag.anonymous_is_manual
        # alice sees both: her private one and the shared one bob made.
        client.force_login(alice)
        page = client.get(reverse("annotations:tags")).content.decode()
        assert SECRET in page and SECRET.upper() in page

    def test_suggestions_and_counts_never_show_a_private_tag(
        self, client, bob, bobs_claim, secret_tag
    ):
        services.add_tag(claim=bobs_claim, label=SECRET, user=bob)
        client.force_login(bob)
        html = client.get(
            reverse("annotations:tag_suggestions"), {"source_tag": "Doe"}
        ).content.decode()
        assert html.count("<option") == 1 and "1 claim<" in html.replace("\n", "<")

    def test_a_private_tag_becomes_shared_when_its_owner_shares_the_claim(
        self, alice, bob, bobs_claim, secret_tag
    ):
        claim = secret_tag.claims.get()
        services.update_claim(claim=claim, version=claim.version, visibility="workspace")
        secret_tag.refresh_from_db()
        assert secret_tag.owner is None
        assert services.add_tag(claim=bobs_claim, label=SECRET, user=bob) == secret_tag

    def test_hiding_the_last_shared_claim_makes_the_tag_private_again(
        self, seed, alice, bob, bobs_claim
    ):
        claim = services.create_claim(article=seed, author=alice, exact=FIRST)
        tag = services.add_tag(claim=claim, label=SECRET, user=alice)
        assert tag.owner is None
        claim.refresh_from_db()
        services.update_claim(claim=claim, version=claim.version, visibility="private")
        tag.refresh_from_db()
        assert tag.owner == alice
        assert services.add_tag(claim=bobs_claim, label=SECRET, user=bob) != tag

    def test_a_tag_left_on_private_claims_of_two_people_splits(self, seed, alice, bob):
        hers = services.create_claim(article=seed, author=alice, exact=FIRST)
        shared = services.add_tag(claim=hers, label="Insiders", user=alice)
        his = services.create_claim(article=seed, author=bob, exact=SECOND, visibility="private")
        assert services.add_tag(claim=his, label="Insiders", user=bob) == shared
        hers.refresh_from_db()
        services.update_claim(claim=hers, version=hers.version, visibility="private")
        [mine] = hers.tags.all()
        [his_tag] = his.tags.all()
        assert (mine.pk, mine.owner) == (shared.pk, alice)
        assert his_tag.pk != shared.pk and his_tag.owner == bob and his_tag.label == "Insiders"

    def test_her_label_on_her_shared_claim_joins_the_shared_tag(
        self, seed, alice, bob, bobs_claim, secret_tag
    ):
        shared = services.add_tag(claim=bobs_claim, label=SECRET, user=bob)
        claim = services.create_claim(article=seed, author=alice, exact="Moskau habe")
        assert services.add_tag(claim=claim, label=SECRET, user=alice) == shared
        secret_tag.refresh_from_db()
        assert secret_tag.owner == alice  # her private claim keeps her private tag

    def test_the_export_form_offers_only_visible_tags(self, client, bob, secret_tag):
        client.force_login(bob)
        assert SECRET not in client.get(reverse("annotations:export")).content.decode()
        assert SourceTag.objects.filter(label=SECRET).count() == 1
