"""Curation after a blind round: versions side by side, adopt one, or write a merged one;
the export can be limited to curated claims."""

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_seed_article

from annotations import selectors, services
from annotations.models import Claim

QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def revealed(workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    blind_round = services.start_blind_round(
        article=article, owner=alice, annotator_ids=[alice.pk, bob.pk]
    )
    a = services.create_claim(article=article, author=alice, exact=QUOTE)
    b = services.create_claim(article=article, author=bob, exact=QUOTE[:45])
    services.add_tag(claim=a, label="WSJ citing US officials", user=alice)
    services.add_tag(claim=b, label="WSJ citing officials", user=bob)
    services.create_claim(article=article, author=bob, exact="Teheran")  # bob's alone
    for user in (alice, bob):
        services.mark_done(blind_round=blind_round, user=user)
    a.refresh_from_db()
    b.refresh_from_db()
    return article, a, b


@pytest.mark.django_db
def test_versions_side_by_side(revealed, alice):
    article, a, b = revealed
    (group,) = selectors.curation_groups(article=article, user=alice)
    assert {c.pk for c in group.versions} == {a.pk, b.pk} and group.curated is None
    html = client_for(alice).get(reverse("annotations:curation", args=[article.pk])).content
    html = html.decode()
    assert "WSJ citing US officials" in html and "WSJ citing officials" in html
    assert "Teheran" not in html.split("<h1>")[1]  # unmatched claims are not curated here


@pytest.mark.django_db
def test_adopt_one_then_another(revealed, alice):
    article, a, b = revealed
    client = client_for(alice)
    response = client.post(reverse("annotations:curation_adopt", args=[article.pk, b.pk]))
    assert response.status_code == 302
    assert list(Claim.objects.filter(curated=True).values_list("pk", flat=True)) == [b.pk]
    client.post(reverse("annotations:curation_adopt", args=[article.pk, a.pk]))
    assert list(Claim.objects.filter(curated=True).values_list("pk", flat=True)) == [a.pk]


@pytest.mark.django_db
def test_merged_version_and_curated_export(revealed, alice):
    article, a, b = revealed
    client = client_for(alice)
    response = client.post(
        reverse("annotations:curation_merge", args=[article.pk, a.pk]),
        {"label": ["WSJ citing US officials", "AP"], "status": "supported", "note": "merged"},
    )
    assert response.status_code == 302
    merged = Claim.objects.get(curated_from=a)
    assert merged.curated and merged.author == alice and merged.status == "supported"
    assert (merged.start, merged.end) == (a.start, a.end)  # alice's own passage: allowed
    assert [t.label for t in merged.tags.order_by("claim_tags__added_at")] == [
        "WSJ citing US officials",
        "AP",
    ]
    # Merged versions are a curator's, not a coder's: agreement is unchanged.
    report = selectors.agreement_report(workspace_id=article.workspace_id)
    assert report.items == 1 and report.claims == 3
    url = reverse("annotations:article_export_csv", args=[article.pk]) + "?curated=1"
    body = b"".join(client.get(url).streaming_content).decode()
    assert body.count("\r\n") == 2 and ",merged," in body  # header + the curated claim
    everything = reverse("annotations:article_export_csv", args=[article.pk]) + "?only_tagged=0"
    assert b"".join(client.get(everything).streaming_content).decode().count("\r\n") == 5


@pytest.mark.django_db
def test_bad_merge_input_is_a_message_not_a_500(revealed, alice):
    article, a, _ = revealed
    response = client_for(alice).post(
        reverse("annotations:curation_merge", args=[article.pk, a.pk]), {"status": "nonsense"}
    )
    assert response.status_code == 302 and not Claim.objects.filter(curated=True).exists()


@pytest.mark.django_db
def test_only_owners_curate(revealed, bob, charlie):
    article, a, _ = revealed
    for user in (bob, charlie):
        client = client_for(user)
        assert client.get(reverse("annotations:curation", args=[article.pk])).status_code == 404
        url = reverse("annotations:curation_adopt", args=[article.pk, a.pk])
        assert client.post(url).status_code == 404
    assert not Claim.objects.filter(curated=True).exists()


@pytest.mark.django_db
def test_a_claim_outside_any_matched_span_cannot_be_adopted(revealed, alice):
    article, _, _ = revealed
    alone = Claim.objects.get(exact="Teheran")
    url = reverse("annotations:curation_adopt", args=[article.pk, alone.pk])
    assert client_for(alice).post(url).status_code == 404
