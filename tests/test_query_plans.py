"""Issue 11: the hot queries are served by indexes, checked with EXPLAIN on a seeded and
ANALYZEd database (no planner switches: PostgreSQL picks the plan it would pick in use).

10,000 articles and 10,000 activity rows, nine tenths in the workspace under test (as in a
newsroom, where the workspace filter alone narrows nothing): enough that a
sequential scan, a sort of every row or a count of claim tags shows in the plan.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from factories import make_workspace

from activity.models import Activity, ActivityVerb
from annotations import selectors as tag_selectors
from annotations.access import manageable_tags_q
from annotations.models import SourceTag
from articles.models import Article, ArticleSource
from articles.selectors import RANKED_MATCHES, LibraryFilters, facet_values, library_articles
from reading.selectors import activity_rows
from workspaces.models import Role

ARTICLES, ACTIVITY, SHARE = 10_000, 10_000, 10  # the other workspace: 1 in SHARE rows
WORDS_DE = ["Regierung", "Bundestag", "Streik", "Hochwasser", "Energie", "Minister"]
WORDS_EN = ["government", "budget", "strike", "flooding", "energy", "minister"]
# Searched for: each in 1 article of 1,000, as a rare search word is in a newsroom (at
# 1 in 100 of 10,000 rows a sequential scan costs PostgreSQL less than three GIN scans; a
# common word is bench/scale.py's case: the newest matches by the primary key).
RARE = {8: "Haushalt", 9: "elections", 17: "tariffs", 27: "inflation"}


def make_tags(*, workspace, user, count: int) -> list[SourceTag]:
    tags = SourceTag.objects.bulk_create(
        SourceTag(workspace=workspace, label=f"Agency {n:04d}", created_by=user)
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotations_sourcetag SET shared_claim_count = id %% 50"
            " WHERE workspace_id = %s",
            [workspace.pk],
        )
        cursor.execute("ANALYZE annotations_sourcetag")
    return tags


def plan(queryset) -> dict:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        row = cursor.fetchone()[0]
    return (json.loads(row) if isinstance(row, str) else row)[0]["Plan"]


def raw_plan_nodes(sql: str, params: dict) -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        row = cursor.fetchone()[0]
    top = (json.loads(row) if isinstance(row, str) else row)[0]["Plan"]
    return [
        (n["Node Type"], n.get("Relation Name", ""), n.get("Index Name", "")) for n in nodes(top)
    ]


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def scans(queryset) -> list[tuple[str, str, str]]:
    """(node type, relation, index) of every node of the plan."""
    return [
        (n["Node Type"], n.get("Relation Name", ""), n.get("Index Name", ""))
        for n in nodes(plan(queryset))
    ]


@pytest.fixture
def seeded(db, alice, bob):
    """Two workspaces (bob's holds 1 in SHARE rows), articles in German and English with
    search vectors, 8 outlets, and a change log; then ANALYZE."""
    mine, other = make_workspace(owner=alice), make_workspace(owner=bob)
    articles = []
    for n in range(ARTICLES):
        german = n % 2 == 0
        words = WORDS_DE if german else WORDS_EN
        articles.append(
            Article(
                workspace=other if n % SHARE == 3 else mine,
                title=f"{words[n % 6]} {words[n // 6 % 6]} {RARE.get(n % 1000, '')} story {n}",
                outlet="Rare Outlet" if n % 100 == 5 else f"Outlet {n % 8}",
                language="de" if german else "en",
                search_config="german" if german else "english",
                source=ArticleSource.PASTE,
            )
        )
    Article.objects.bulk_create(articles, batch_size=5000)
    Activity.objects.bulk_create(
        (
            Activity(
                workspace=other if n % SHARE == 3 else mine,
                verb=ActivityVerb.TAG_UPDATED,
                summary=f"row {n}",
                visible_to=bob if n % 7 == 0 else None,
            )
            for n in range(ACTIVITY)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # The title and 80 words of body text, as an article's vector holds many lexemes.
        cursor.execute(
            "UPDATE articles_article SET search_vector = to_tsvector("
            "search_config::regconfig, title || ' ' || (SELECT string_agg("
            "'text' || ((id * g) % 997), ' ') FROM generate_series(1, 80) g))"
        )
        cursor.execute(
            "ANALYZE articles_article, annotations_activity, "
            "annotations_sourcetag, annotations_privatetaguse"
        )
    return mine, other


@pytest.mark.django_db
class TestHotQueriesUseIndexes:
    def test_library_newest_page_reads_the_keyset_index(self, seeded):
        mine, _ = seeded
        page = library_articles(workspace=mine, filters=LibraryFilters()).order_by("-pk")[:21]
        deeper = (
            library_articles(workspace=mine, filters=LibraryFilters())
            .filter(pk__lt=Article.objects.order_by("pk")[ARTICLES // 2].pk)
            .order_by("-pk")[:21]
        )
        for rows in (page, deeper):
            found = scans(rows)
            # By the workspace's keyset index, or (the workspace holds nearly every row) the
            # primary key backwards: either way 21 rows read, nothing sorted.
            assert any(
                index in {"article_workspace_newest", "articles_article_pkey"}
                for _, _, index in found
            ), found
            assert not any(node in {"Sort", "Seq Scan"} for node, _, _ in found), found

    def test_library_outlet_filter_reads_the_outlet_index(self, seeded):
        mine, _ = seeded
        rows = library_articles(workspace=mine, filters=LibraryFilters(outlet="Rare Outlet"))
        found = scans(rows.order_by("-pk")[:21])
        assert any(index == "article_workspace_outlet" for _, _, index in found), found

    @pytest.mark.parametrize("query", ["Haushalt", "tariffs", "tariffs OR inflation"])
    def test_search_uses_the_gin_index_per_configuration(self, seeded, query):
        mine, _ = seeded
        rows = library_articles(workspace=mine, filters=LibraryFilters(query=query))[:21]
        found = scans(rows)
        gin = [n for n in found if n[2] == "article_search_vector"]
        assert gin and all(node == "Bitmap Index Scan" for node, _, _ in gin), found
        assert ("Seq Scan", "articles_article", "") not in found, found

    def test_search_still_finds_in_each_language(self, seeded):
        mine, _ = seeded
        german = library_articles(workspace=mine, filters=LibraryFilters(query="Haushalt"))
        english = library_articles(workspace=mine, filters=LibraryFilters(query="elections"))
        assert german.exists() and english.exists()
        assert set(german.values_list("language", flat=True)) == {"de"}
        assert set(english.values_list("language", flat=True)) == {"en"}

    def test_facets_skip_through_the_indexes_not_every_row(self, seeded):
        mine, _ = seeded
        from articles import selectors as article_selectors

        found = raw_plan_nodes(article_selectors._FACETS_SQL, {"ws": mine.pk})
        # One probe per distinct value: a recursive walk through the outlet and language
        # indexes, never a scan (or an index-only scan) of every article of the workspace.
        assert any(node == "Recursive Union" for node, _, _ in found), found
        indexes = {index for _, _, index in found}
        assert {"article_workspace_outlet", "article_workspace_language"} <= indexes, found
        assert not any(node in {"Seq Scan", "HashAggregate"} for node, _, _ in found), found
        facets = facet_values(workspace=mine)
        assert facets["outlets"] == [f"Outlet {n}" for n in range(8)] + ["Rare Outlet"]
        assert facets["languages"] == ["de", "en"]

    def test_language_filter_reads_the_language_index(self, seeded):
        mine, _ = seeded
        Article.objects.filter(pk=Article.objects.filter(workspace=mine).first().pk).update(
            language="fr"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
        rows = library_articles(workspace=mine, filters=LibraryFilters(language="fr"))
        found = scans(rows.order_by("-pk")[:21])
        assert any(index == "article_workspace_language" for _, _, index in found), found

    def test_a_common_word_ranks_only_the_newest_matches(self, seeded):
        mine, _ = seeded
        # "story" is in every title: ranking stops at RANKED_MATCHES articles.
        rows = library_articles(workspace=mine, filters=LibraryFilters(query="story"))
        sql = str(rows[:21].query)
        assert f"LIMIT {RANKED_MATCHES}" in sql
        assert rows.count() == RANKED_MATCHES
        newest = list(
            Article.objects.filter(workspace=mine)
            .order_by("-pk")[:RANKED_MATCHES]
            .values_list("pk", flat=True)
        )
        assert set(rows.values_list("pk", flat=True)) == set(newest)

    def test_activity_page_reads_the_workspace_index_newest_first(self, seeded, alice):
        for workspace in seeded:  # the small and the big workspace
            rows = activity_rows(workspace=workspace, user=alice).order_by("-pk")[:26]
            found = scans(rows)
            # The workspace's index; for a workspace with nearly all rows, the primary key
            # backwards is as good: either way the first 26 visible rows, no sort.
            assert any(
                index in {"activity_workspace_recent", "annotations_activity_pkey"}
                and relation == "annotations_activity"
                for _, relation, index in found
            ), found
            assert not any(node == "Sort" for node, _, _ in found), found
            assert ("Seq Scan", "annotations_activity", "") not in found, found

    def test_tag_counts_never_read_claim_tags(self, seeded, alice):
        mine, _ = seeded
        found = scans(tag_selectors.tags_with_counts(workspace_id=mine.pk, user=alice))
        assert not any(
            relation in {"annotations_claimtag", "annotations_claim"} for _, relation, _ in found
        ), found

    def test_a_page_of_tags_never_reads_claim_tags(self, seeded, alice):
        mine, _ = seeded
        make_tags(workspace=mine, user=alice, count=300)
        page = tag_selectors.tag_page(workspace_id=mine.pk, user=alice, query="", params={})
        after = {"after": page.older["after"]}
        for params in ({}, after):
            rows = tag_selectors.tags_with_counts(workspace_id=mine.pk, user=alice)
            found = scans(rows.order_by("-uses", "label", "pk")[: tag_selectors.TAGS_PER_PAGE])
            assert not any(
                relation in {"annotations_claimtag", "annotations_claim"}
                for _, relation, _ in found
            ), found
            assert (
                len(
                    tag_selectors.tag_page(
                        workspace_id=mine.pk, user=alice, query="", params=params
                    )
                )
                == tag_selectors.TAGS_PER_PAGE
            )

    def test_an_editors_manageable_tags_stop_at_the_first_other_author(self, seeded, alice, bob):
        mine, _ = seeded
        tags = make_tags(workspace=mine, user=alice, count=60)
        query = SourceTag.objects.filter(pk__in=[t.pk for t in tags]).filter(
            manageable_tags_q(user=bob, role=Role.EDITOR)
        )
        found = scans(query)
        # NOT EXISTS at the top of WHERE becomes an anti join, which reads a bitmap of every
        # link of a busy tag before its first match; the CASE keeps stop-at-first subplans.
        assert not any("Anti" in node for node, _, _ in found), found
        subplans = [n for n in nodes(plan(query)) if n.get("Parent Relationship") == "SubPlan"]
        assert subplans, found
