"""bench/scale.py's smoke run: it seeds a small newsroom with the promised shape, requests
every hot path without an error and ends with its contract line."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = "test_sourcemark_bench_scale"
PATHS = [
    "library",
    "library outlet filter",
    "library search de",
    "library search en",
    "library deep page",
    "reading page 500 claims",
    "claim create",
    "tag autocomplete",
    "sources page",
    "export page",
    "article CSV",
    "activity",
    "activity deep page",
    "SSE connect",
    # the Sources dashboard (insights)
    "dashboard baseline",
    "dashboard",
    "dashboard since",
    "dashboard outlet",
    "dashboard tag",
    "dashboard annotator",
    "dashboard status",
    "dashboard language",
    "dashboard incl. own private",
    "article source summary",
    # Claim search (search app).
    "search claims de",
    "search claims en",
    "search rare words",
    "search tag's claims",
    "search facets, no query",
    "search query + filters",
    "search deep page",
]
ROW = re.compile(
    r"^(?P<name>.+?)( \*)?\s+(?P<p50>[\d.]+)\s+(?P<p95>[\d.]+)\s+"
    r"(?P<queries>\d+(-\d+)?)\s+(?P<n>\d+)\s+(?P<errors>\d+)\s+(GET |POST )?/"
)


@pytest.fixture
def scratch_database_url():
    """A database of its own on the test server (the bench empties and fills its tables)."""
    from django.conf import settings

    assert settings.DATABASES  # settings load .env, which may be where DATABASE_URL is
    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {SCRATCH}")
    yield urlunsplit(urlsplit(url)._replace(path=f"/{SCRATCH}"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


def seed_shape(url: str) -> dict:
    with psycopg.connect(url) as connection:

        def one(sql: str):
            return connection.execute(sql).fetchone()[0]

        return {
            "articles": one("SELECT count(*) FROM articles_article"),
            "blocks": one("SELECT count(*) FROM articles_block"),
            "claims": one("SELECT count(*) FROM annotations_claim"),
            "tag links": one("SELECT count(*) FROM annotations_claimtag"),
            "activity": one("SELECT count(*) FROM annotations_activity"),
            "hot articles": one(
                "SELECT count(*) FROM (SELECT article_id FROM annotations_claim "
                "GROUP BY article_id HAVING count(*) BETWEEN 490 AND 500) hot"
            ),
            "private share": one(
                "SELECT avg((visibility = 'private')::int) FROM annotations_claim"
            ),
            "languages": one(
                "SELECT array_agg(DISTINCT language ORDER BY language) FROM articles_article"
            ),
            "busy outlets' share": one(
                "WITH o AS (SELECT count(*) AS n FROM articles_article GROUP BY outlet) "
                "SELECT (SELECT sum(n) FROM (SELECT n FROM o ORDER BY n DESC LIMIT 5) top)::float"
                " / (SELECT sum(n) FROM o)"
            ),
            "unindexed": one(
                "SELECT count(*) FROM articles_article"
                " WHERE search_vector IS NULL OR render_version = 0"
            ),
            "exact matches offsets": one(
                'SELECT bool_and(substr(t.text, c.start + 1, c."end" - c.start) = c.exact) '
                "FROM annotations_claim c JOIN (SELECT article_id, string_agg(text, E'\\n\\n' "
                "ORDER BY position) AS text FROM articles_block GROUP BY article_id) t "
                "ON t.article_id = c.article_id"
            ),
            "members": one(
                "SELECT count(*) FROM workspaces_membership m JOIN auth_user u "
                "ON u.id = m.user_id JOIN workspaces_workspace w "
                "ON w.id = m.workspace_id WHERE w.slug = 'bench-newsroom'"
            ),
        }


def test_smoke_run_seeds_measures_every_path_and_prints_the_contract_line(
    scratch_database_url,
):
    result = subprocess.run(
        [sys.executable, "bench/scale.py", "--articles", "200", "--requests", "3"],
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": scratch_database_url},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    rows = {}
    for line in lines:
        match = ROW.match(line)
        if match:
            rows[match["name"]] = match
    assert sorted(rows) == sorted(PATHS)
    assert any(line.startswith("article CSV *") for line in lines)  # streamed: marked
    for match in rows.values():
        assert int(match["n"]) >= 3 and int(match["errors"]) == 0
        assert float(match["p50"]) <= float(match["p95"])
    assert int(rows["claim create"]["queries"].split("-")[0]) > 0  # counted by the middleware

    last = re.fullmatch(r"scale: worst p95 (\d+) ms \((.+)\)", lines[-1])
    assert last, lines[-1]
    worst = max(rows.values(), key=lambda match: float(match["p95"]))
    assert last[2] == worst["name"]
    assert int(last[1]) == round(float(worst["p95"]))

    shape = seed_shape(scratch_database_url)
    assert shape["articles"] == 200 and shape["blocks"] == 2000
    assert 3000 <= shape["claims"] <= 5000
    assert shape["hot articles"] >= 3
    assert 0.05 <= shape["private share"] <= 0.15
    assert 0.35 <= shape["tag links"] / shape["claims"] <= 0.65
    # One row per claim; the claims the run created (and their rows) are removed again.
    assert shape["activity"] == shape["claims"]
    assert shape["languages"] == ["de", "en"]
    assert shape["busy outlets' share"] >= 0.4
    assert shape["unindexed"] == 0
    assert shape["exact matches offsets"] is True
    assert shape["members"] == 22
    with psycopg.connect(scratch_database_url) as connection:  # claim search (search app)
        unsearchable = connection.execute(
            "SELECT count(*) FROM annotations_claim c WHERE NOT EXISTS "
            "(SELECT 1 FROM search_claimdocument d WHERE d.claim_id = c.id)"
        ).fetchone()[0]
    assert unsearchable == 0
