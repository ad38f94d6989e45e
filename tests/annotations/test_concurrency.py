"""Issue 9, item 11: simultaneous writes, with real threads on real PostgreSQL connections.

Concurrency is handled by constraints and locks in a fixed order, never check-then-insert:
identical claim creations store one claim and all get it back; tag merges over the same
articles in opposite orders do not deadlock; tagging with a tag that is being merged away
does not hit a foreign-key error.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from factories import make_article, make_seed_article

from annotations import services
from annotations.anchoring import canonical_text
from annotations.models import Claim, ClaimTag, SourceTag
from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "Die Beamten sagen, dass die Raketen Russlands Fähigkeit erhöhen würden"


def run_together(*calls, timeout: float = 60.0) -> list:
    """Run each call in its own thread (own database connection), released at the same
    moment; return their results, or the exception each raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what was raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def test_identical_claim_creations_store_one_claim(workspace, alice):
    article = make_seed_article(workspace=workspace, user=alice)
    text = canonical_text(block_texts=list(article.blocks.values_list("text", flat=True)))
    start = text.index(QUOTE)
    data = {
        "exact": QUOTE,
        "start": start,
        "end": start + len(QUOTE),
        "prefix": text[start - 32 : start],
        "suffix": text[start + len(QUOTE) :][:32],
    }
    url = reverse("annotations:create", args=[article.pk])

    def create():
        client = Client()
        client.force_login(alice)
        response = client.post(url, data)
        return response.status_code, response.json()

    results = run_together(*[create] * 20)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 19 + [201], statuses
    assert {body["id"] for _, body in results} == {Claim.objects.get().pk}
    assert Claim.objects.count() == 1


def _crossed_tags(workspace, alice, articles: int = 300):
    """Tags A and C each on one claim per article; A's claims were tagged in article order,
    C's in the reverse order, so moving them takes the articles' row locks in opposite
    orders unless the merge locks them first, by id."""
    pages = Article.objects.bulk_create(
        Article(workspace=workspace, title=f"Page {n}", language="en", source="paste")
        for n in range(articles)
    )
    claims = Claim.objects.bulk_create(
        Claim(
            article=page,
            workspace=workspace,
            author=alice,
            exact="A headline",
            start=0,
            end=10 + offset,
        )
        for page in pages
        for offset in (0, 1)
    )
    a, b, c, d = (
        SourceTag.objects.create(workspace=workspace, label=label)
        for label in ("Agency A", "Agency B", "Agency C", "Agency D")
    )
    ClaimTag.objects.bulk_create(ClaimTag(claim=claim, tag=a) for claim in claims[0::2])
    ClaimTag.objects.bulk_create(ClaimTag(claim=claim, tag=c) for claim in claims[1::2][::-1])
    return a, b, c, d


def test_concurrent_merges_do_not_deadlock(workspace, alice):
    for _ in range(3):
        a, b, c, d = _crossed_tags(workspace, alice)
        results = run_together(
            lambda a=a, b=b: services.merge_tags(source=a, target=b, actor=alice),
            lambda c=c, d=d: services.merge_tags(source=c, target=d, actor=alice),
        )
        assert [type(result) for result in results] == [SourceTag, SourceTag], results
        assert ClaimTag.objects.filter(tag=b).count() == ClaimTag.objects.filter(tag=d).count()
        SourceTag.objects.all().delete()
        Claim.objects.all().delete()


def test_merge_and_rename_over_the_same_articles(workspace, alice):
    a, _, c, d = _crossed_tags(workspace, alice)
    results = run_together(
        lambda: services.rename_tag(tag=a, label="Agency A citing officials", actor=alice),
        lambda: services.merge_tags(source=c, target=d, actor=alice),
    )
    assert not [result for result in results if isinstance(result, Exception)], results
    assert ClaimTag.objects.filter(tag=d).count() == 300


def test_tagging_while_the_tag_is_merged_away(workspace, alice):
    article = make_article(workspace=workspace, user=alice)
    for _ in range(5):
        first, second = (
            services.create_claim(article=article, author=alice, exact=quote)
            for quote in ("A headline", "The first paragraph")
        )
        source = services.add_tag(claim=first, label="Reuters", user=alice)
        target = services.add_tag(claim=first, label="Reuters via AP", user=alice)
        results = run_together(
            lambda s=source, t=target: services.merge_tags(source=s, target=t, actor=alice),
            lambda c=second: services.add_tag(claim=c, label="Reuters", user=alice),
        )
        assert not [r for r in results if isinstance(r, Exception)], results
        labels = set(second.tags.values_list("label", flat=True))
        # Tagged before the merge (and moved by it) or after it (a new "Reuters").
        assert labels in ({"Reuters via AP"}, {"Reuters"}), labels
        assert not ClaimTag.objects.exclude(tag__in=SourceTag.objects.all()).exists()
        Claim.objects.all().delete()
        SourceTag.objects.all().delete()
