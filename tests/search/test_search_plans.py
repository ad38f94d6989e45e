"""The claim search is answered by the GIN index on the claim documents, one tsquery per
language configuration (EXPLAIN on a seeded, ANALYZEd database; no planner switches)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from articles.models import Article, ArticleSource
from search.selectors import ClaimSearch, matching_claims

CLAIMS = 20_000
ARTICLES = 400


def plan_nodes(queryset) -> list[dict]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        row = cursor.fetchone()[0]
    root = (json.loads(row) if isinstance(row, str) else row)[0]["Plan"]
    nodes, todo = [], [root]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo += node.get("Plans", [])
    return nodes


@pytest.fixture
def seeded(workspace, alice, bob):
    """20,000 claims on 400 German and English articles (their documents made by the
    triggers), a rare word in 1 claim of 500."""
    # Many articles: each claim bumps its article's render_version (a trigger), and 20,000
    # bumps of one row in one transaction would walk ever longer chains of row versions.
    articles = Article.objects.bulk_create(
        Article(
            workspace=workspace,
            title=f"Article {n}",
            outlet=f"Outlet {n % 40}",
            language="de" if n % 2 == 0 else "en",
            search_config="german" if n % 2 == 0 else "english",
            source=ArticleSource.PASTE,
        )
        for n in range(ARTICLES)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO annotations_claim (article_id, workspace_id, author_id, exact, prefix,
                suffix, start, "end", text_version, note, status, visibility, version,
                created_at, updated_at, anchor_status, original_exact, original_prefix,
                original_suffix, curated)
            SELECT (%(articles)s::bigint[])[1 + i %% %(count)s], %(ws)s,
                   CASE WHEN i %% 3 = 0 THEN %(bob)s ELSE %(alice)s END,
                   CASE WHEN i %% 500 = 7 THEN 'Haushaltssperre officials budget '
                        ELSE 'Regierung sagte government said ' END || i,
                   '', '', i, i + 5, 1, '', 'unverified',
                   CASE WHEN i %% 10 = 0 THEN 'private' ELSE 'workspace' END, 1, now(), now(),
                   'anchored', '', '', '', false
            FROM generate_series(1, %(n)s) AS i
            """,
            {
                "articles": [article.pk for article in articles],
                "count": ARTICLES,
                "ws": workspace.pk,
                "alice": alice.pk,
                "bob": bob.pk,
                "n": CLAIMS,
            },
        )
        # What (auto)vacuum does in use: move the GIN index's pending list (fast updates from
        # the triggers) into the index proper, which the planner's cost estimate counts.
        cursor.execute("SELECT gin_clean_pending_list('claim_document_vector'::regclass)")
        cursor.execute("ANALYZE annotations_claim, search_claimdocument, articles_article")
    return workspace


@pytest.mark.django_db
def test_every_claim_has_its_document(seeded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_claimdocument")
        assert cursor.fetchone()[0] == CLAIMS


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Haushaltssperre", "budget"])
def test_a_word_uses_the_gin_index_per_configuration(seeded, bob, query):
    claims = matching_claims(workspace=seeded, user=bob, search=ClaimSearch(query=query))
    # All matches (what the facets' sample reads): a page of 21 may instead walk the newest
    # documents backwards when the planner expects many matches, which is also fine.
    nodes = plan_nodes(claims.order_by().values("pk"))
    index_scans = [
        n
        for n in nodes
        if n["Node Type"] == "Bitmap Index Scan" and n.get("Index Name") == "claim_document_vector"
    ]
    # One tsquery per configuration (a BitmapOr of 3 scans; 1 when all three parse the word
    # alike, as "budget").
    assert len(index_scans) == (3 if query == "Haushaltssperre" else 1)
    assert not [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "search_claimdocument"
    ]
    assert claims.count() == CLAIMS // 500  # i = 7 (mod 500) is never private (i = 0 mod 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "search",
    [ClaimSearch(article_outlet="Outlet 3"), ClaimSearch(article_outlet="Outlet 3", language="en")],
)
def test_article_outlet_reads_the_articles_index_not_every_claim(seeded, bob, search):
    """The article's outlet (the dashboard's matrix rows) and language are a set of article
    ids read from the article indexes (never a scan of the articles table). Here the claims
    of one outlet lie on every page of the claim table (articles taken in turn), so the
    planner rightly reads that table whole and hash-joins."""
    claims = matching_claims(workspace=seeded, user=bob, search=search)
    nodes = plan_nodes(claims.order_by().values("pk"))
    article_reads = [n for n in nodes if n.get("Relation Name") == "articles_article"]
    assert article_reads
    assert all(
        n["Node Type"] in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan")
        for n in article_reads
    )
    # Claim i is on article i mod 400, outlet i mod 40 (even articles German), private when
    # i is a multiple of 10: outlet 3 holds 500 claims, none private, all English.
    assert claims.count() == CLAIMS // 40
