"""Claim export at scale: the streamed CSV export vs a raw PostgreSQL COPY of the same rows.

    .venv/bin/python bench/export.py [--claims 1000000] [--repeat 2] [--reuse]

1. Generates `--claims` tagged claims with generate_series in SQL in a scratch database
   ("sourcemark_bench_export"; BENCH_DATABASE_URL to use another): 1 article per 500 claims,
   10 blocks each, 50 source tags, 1.5 tags per claim, a reply on every 20th claim, notes on
   every 3rd (some starting with "=" so neutralisation has work), 2% private claims.
   `--reuse` keeps existing data of the same size instead of regenerating it.
2. Times, alternating, `--repeat` times each (best run counts):
   * export: `annotations.export.iter_csv` (what the download view and the command stream),
     the whole workspace, claims layout, formulas neutralised, written to /dev/null, in a fresh
     subprocess whose peak RSS (ru_maxrss) is reported;
   * copy: a raw `COPY (...) TO STDOUT (FORMAT csv)` of the same rows — claims joined with
     article, annotator, workspace, tag labels (string_agg) and reply counts, same WHERE and
     ORDER BY — as plain columns (no block kind, no formatting, no neutralisation), read with
     psycopg's copy iterator into /dev/null.
3. Last line: export_rows_per_s, copy_rows_per_s, ratio (goal >= 0.5), export_peak_rss_mb
   (goal <= 150).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from _common import ROOT, bench_database, fill_model_defaults, setup_django

WORKSPACE = "bench-export"
CLAIMS_PER_ARTICLE = 500
BLOCKS_PER_ARTICLE = 10
TAGS = 50


def seed(*, claims: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workspaces.models import Membership, Workspace

    workspace = Workspace.objects.create(name="Bench export", slug=WORKSPACE)
    users = []
    for number in range(20):
        user, _ = get_user_model().objects.get_or_create(username=f"annotator{number:02d}")
        Membership.objects.create(workspace=workspace, user=user, role="editor")
        users.append(user.pk)
    articles = max(1, claims // CLAIMS_PER_ARTICLE)
    params = {
        "ws": workspace.pk,
        "articles": articles,
        "claims": claims,
        "users": users,
        "blocks": BLOCKS_PER_ARTICLE,
        "tags": TAGS,
    }
    statements = [
        """INSERT INTO articles_article (workspace_id, title, outlet, url, author, language,
               search_config, source, text_version, created_at)
           SELECT %(ws)s, 'Article ' || i || ', "quoted" title', 'Outlet ' || (i %% 7),
                  'https://news.example.com/' || i, '', 'en', 'simple', 'paste', 1, now()
           FROM generate_series(1, %(articles)s) AS i""",
        """INSERT INTO articles_block (article_id, position, kind, text, kind_is_manual)
           SELECT a.id, p, (ARRAY['headline','paragraph','paragraph','caption','paragraph',
                                  'related','paragraph','paragraph','boilerplate','paragraph'])
                           [p %% 10 + 1],
                  repeat('Lorem ipsum, "dolor" sit amet; ünïcödé ✓. ', 5) || p, false
           FROM articles_article a, generate_series(0, %(blocks)s - 1) AS p
           WHERE a.workspace_id = %(ws)s""",
        """INSERT INTO annotations_sourcetag (workspace_id, label, outlet, cited, anonymous,
               anonymous_is_manual, created_at)
           SELECT %(ws)s, 'Outlet ' || i || ' citing officials ' || i, 'Outlet ' || i,
                  'officials ' || i, i %% 2 = 0, false, now()
           FROM generate_series(1, %(tags)s) AS i""",
        """CREATE TEMP TABLE bench_articles AS
           SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM articles_article
           WHERE workspace_id = %(ws)s""",
        """INSERT INTO annotations_claim (article_id, workspace_id, author_id, exact, prefix,
               suffix, start, "end", text_version, note, status, visibility, version,
               created_at, updated_at)
           SELECT ba.id, %(ws)s, (%(users)s::bigint[])[i %% 20 + 1],
                  CASE WHEN i %% 97 = 0 THEN '=claim text ' ELSE 'claim, "text" ' END || i,
                  'prefix ' || i, 'suffix ' || i, (i * 37) %% 2000,
                  -- + i / articles: one claim per person and span (a unique constraint)
                  (i * 37) %% 2000 + 40 + i / %(articles)s, 1,
                  CASE WHEN i %% 3 = 0 THEN 'A note, with "quotes"' || E'\\n' || 'and a line'
                       WHEN i %% 31 = 0 THEN '-1 note' ELSE '' END,
                  (ARRAY['unverified','supported','disputed','false','opinion'])[i %% 5 + 1],
                  CASE WHEN i %% 50 = 0 THEN 'private' ELSE 'workspace' END, 1,
                  now() - i * interval '1 second', now() - i * interval '1 second'
           FROM generate_series(1, %(claims)s) AS i
           JOIN bench_articles ba ON ba.n = i %% %(articles)s""",
        """CREATE TEMP TABLE bench_tags AS
           SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM annotations_sourcetag
           WHERE workspace_id = %(ws)s""",
        """INSERT INTO annotations_claimtag (claim_id, tag_id, added_at)
           SELECT c.id, t.id, c.created_at
           FROM annotations_claim c JOIN bench_tags t ON t.n = c.id %% %(tags)s
           WHERE c.workspace_id = %(ws)s""",
        """INSERT INTO annotations_claimtag (claim_id, tag_id, added_at)
           SELECT c.id, t.id, c.created_at + interval '1 minute'
           FROM annotations_claim c JOIN bench_tags t ON t.n = (c.id * 7 + 3) %% %(tags)s
           WHERE c.workspace_id = %(ws)s AND c.id %% 2 = 0 AND (c.id * 7 + 3) %% %(tags)s
                 <> c.id %% %(tags)s""",
        """INSERT INTO annotations_reply (claim_id, author_id, body, created_at, updated_at)
           SELECT c.id, c.author_id, 'A reply', now(), now()
           FROM annotations_claim c WHERE c.workspace_id = %(ws)s AND c.id %% 20 = 0""",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        # Scratch database, consistent generated data: skip per-row triggers (foreign-key
        # checks, cache-revision bumps) while loading, as pg_restore would.
        cursor.execute("SET session_replication_role = replica")
        statements.append("SET session_replication_role = DEFAULT")
        for statement in statements:
            started = time.perf_counter()
            cursor.execute(fill_model_defaults(statement, params), params)
            what = " ".join(statement.split()[:3])
            print(
                f"  {what}: {cursor.rowcount} rows in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )


def export_options():
    from annotations import export
    from workspaces.models import Workspace

    workspace = Workspace.objects.get(slug=WORKSPACE)
    return export.ExportOptions(workspace_id=workspace.pk, workspace_slug=workspace.slug)


def child() -> None:
    """Run the export once, print {rows, seconds, first_rows_s, maxrss_mb} as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from annotations import export

    options = export_options()
    started = time.perf_counter()
    first_rows_s = None
    rows = -1  # the header line
    with open(os.devnull, "wb") as sink:
        for chunk in export.iter_csv(options):
            if first_rows_s is None and rows >= 0:
                first_rows_s = time.perf_counter() - started
            rows += chunk.count(b"\r\n")
            sink.write(chunk)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": seconds,
                "first_rows_s": first_rows_s,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_export() -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child"],
        cwd=ROOT,
        env={**os.environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def baseline_sql(options):
    from psycopg import sql

    from annotations import export

    where, params = export._claim_filters(options)
    columns = [
        sql.SQL(
            "c.id, c.article_id, a.title, a.url, a.outlet, a.language, c.exact, c.prefix, "
            'c.suffix, c.start, c."end", tg.labels, tg.outlets, tg.cited, tg.anonymous, c.status, '
            "c.note, u.username, w.slug, c.visibility, rp.n, c.created_at, c.updated_at"
        )
    ]
    joins = [export._tags_aggregate_join(options, as_arrays=False), export._replies_join(options)]
    return export.select_claims(columns, joins=joins, where=where, order=export.ORDER), params


def run_copy() -> dict:
    from django.db import connection

    from annotations import export

    options = export_options()
    query, params = baseline_sql(options)
    statement = export.copy_statement(connection, query, params)
    rows = 0
    started = time.perf_counter()
    with (
        open(os.devnull, "wb") as sink,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in copy:
            sink.write(row)
            rows += 1
    return {"rows": rows, "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return

    if args.reuse and os.environ.get("BENCH_DATABASE_URL") is None:
        parser.error("--reuse needs BENCH_DATABASE_URL (bench_database() recreates its database)")
    setup_django(bench_database("sourcemark_bench_export"))
    from annotations.models import Claim

    existing = Claim.objects.filter(workspace__slug=WORKSPACE).count()
    if not (args.reuse and existing == args.claims):
        from django.db import connection

        with connection.cursor() as cursor:  # a scratch database: start from empty tables
            cursor.execute("TRUNCATE workspaces_workspace CASCADE")
        print(f"generating {args.claims:,} claims…", file=sys.stderr)
        started = time.perf_counter()
        seed(claims=args.claims)
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    exports, copies = [], []
    for _ in range(args.repeat):
        exports.append(run_export())
        copies.append(run_copy())
        print(
            f"export {exports[-1]['rows']:,} rows in {exports[-1]['seconds']:.2f} s "
            f"(first rows after {exports[-1]['first_rows_s']:.2f} s, "
            f"peak RSS {exports[-1]['maxrss_mb']:.0f} MB); "
            f"copy {copies[-1]['rows']:,} rows in {copies[-1]['seconds']:.2f} s"
        )
    export_best = min(exports, key=lambda r: r["seconds"])
    copy_best = min(copies, key=lambda r: r["seconds"])
    if export_best["rows"] != copy_best["rows"]:
        raise SystemExit(f"row counts differ: {export_best['rows']} vs {copy_best['rows']}")
    export_rps = export_best["rows"] / export_best["seconds"]
    copy_rps = copy_best["rows"] / copy_best["seconds"]
    peak = max(r["maxrss_mb"] for r in exports)
    print(
        f"rows={export_best['rows']} export_rows_per_s={export_rps:.0f} "
        f"copy_rows_per_s={copy_rps:.0f} ratio={export_rps / copy_rps:.2f} "
        f"export_peak_rss_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
