"""Stable claim numbers (issue 15): given once per article when a claim is made, never
changed by claims added before it, never re-used, shown on marks, the panel and the card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from factories import make_seed_article
from test_concurrency import run_together

from annotations import services
from annotations.models import Claim, ClaimNumberCounter
from annotations.rendering import claim_numbers

FIRST_IN_TEXT = "Berichten zufolge treibt Russland"
LATER_IN_TEXT = "Moskau habe bereits damit begonnen"


@pytest.fixture
def article(workspace, alice):
    return make_seed_article(workspace=workspace, user=alice)


@pytest.mark.django_db
def test_an_earlier_claim_does_not_renumber_later_ones(article, alice, bob):
    later = services.create_claim(article=article, author=alice, exact=LATER_IN_TEXT)
    earlier = services.create_claim(article=article, author=bob, exact=FIRST_IN_TEXT)
    assert (later.number, earlier.number) == (1, 2)  # read back from INSERT … RETURNING
    client = Client()
    client.force_login(alice)
    html = client.get(article.get_absolute_url()).content.decode()
    # In reading order the earlier passage comes first, but it keeps its number 2.
    assert html.index('data-claim-number="2"') < html.index('data-claim-number="1"')
    assert 'title="Claim 1 (Unverified) by alice"' in html
    card = client.get(reverse("annotations:detail", args=[earlier.pk])).content.decode()
    assert f'data-number-for="{earlier.pk}"> 2</span>' in card


@pytest.mark.django_db
def test_numbers_are_never_reused(article, alice):
    first = services.create_claim(article=article, author=alice, exact=FIRST_IN_TEXT)
    services.delete_claim(claim=first)
    second = services.create_claim(article=article, author=alice, exact=LATER_IN_TEXT)
    private = services.create_claim(
        article=article, author=alice, exact="Teheran", visibility="private"
    )
    assert (second.number, private.number) == (2, 3)
    assert ClaimNumberCounter.objects.get(article=article).last_number == 3


@pytest.mark.django_db
def test_numbers_are_per_article(workspace, alice):
    one = make_seed_article(workspace=workspace, user=alice)
    two = make_seed_article(workspace=workspace, user=alice)
    a = services.create_claim(article=one, author=alice, exact=FIRST_IN_TEXT)
    b = services.create_claim(article=two, author=alice, exact=FIRST_IN_TEXT)
    assert a.number == b.number == 1


def test_numbers_without_one_follow_the_highest_shown():
    claims = [Claim(pk=5, number=4), Claim(pk=9, number=None), Claim(pk=7, number=None)]
    assert claim_numbers(claims=claims) == {5: 4, 7: 5, 9: 6}


@pytest.mark.django_db(transaction=True)
def test_claims_made_at_once_get_different_numbers(workspace, alice, bob):
    article = make_seed_article(workspace=workspace, user=alice)
    quotes = [FIRST_IN_TEXT, LATER_IN_TEXT, "Teheran", "Kiew", "Raketenwerfer", "Kreml"]
    authors = [alice, bob] * 3
    results = run_together(
        *[
            (lambda q=q, u=u: services.create_claim(article=article, author=u, exact=q))
            for q, u in zip(quotes, authors, strict=True)
        ]
    )
    assert all(isinstance(claim, Claim) for claim in results), results
    assert sorted(Claim.objects.filter(article=article).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


BEFORE = ("annotations", "0012_claim_anchor_status")


@pytest.mark.django_db(transaction=True)
def test_existing_claims_are_numbered_in_reading_order():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor.loader.build_graph()
    old = executor.loader.project_state([BEFORE]).apps
    user = old.get_model("auth", "User").objects.create(username="ann")
    workspace = old.get_model("workspaces", "Workspace").objects.create(name="D", slug="d")
    article = old.get_model("articles", "Article").objects.create(
        workspace=workspace, title="T", source="paste"
    )
    claim_model = old.get_model("annotations", "Claim")

    def claim(start, **fields):
        return claim_model.objects.create(
            article=article,
            workspace=workspace,
            author=user,
            exact="x",
            start=start,
            end=start + 1,
            **fields,
        ).pk

    made = [claim(30), claim(10), claim(20, anchor_status="orphaned"), claim(0)]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    numbers = dict(Claim.objects.filter(pk__in=made).values_list("pk", "number"))
    assert [numbers[pk] for pk in made] == [3, 2, 4, 1]
    later = Claim.objects.create(
        article_id=article.pk,
        workspace_id=workspace.pk,
        author_id=user.pk,
        exact="y",
        start=40,
        end=41,
    )
    assert later.number == 5
