"""The hot paths at scale: server time (p50/p95) and query counts on a newsroom-sized database.

    .venv/bin/python bench/scale.py [--articles 100000] [--requests 20] [--keep]
                                    [--seconds-per-path 15] [--only WORD]

1. Seeds a scratch database ("sourcemark_bench_scale"; BENCH_DATABASE_URL to use another)
   with `--articles` articles and, in proportion, 10 blocks, ~20 claims, ~10 source-tag links
   per 20 claims and ~20 activity rows per article (100,000 articles: 1M blocks, 2M claims,
   1M tag links, 2M activity rows). German and English text from a small built-in vocabulary
   with a Zipf-like word choice (searches have hits and misses), paragraph lengths like news
   (80-1200 characters), 5 busy outlets with half of the articles, 1 source tag per 100
   articles used Zipf-like, a handful of articles with 500 claims, alice (owner), bob and 20
   more members (3 viewers), ~10% private claims, a second workspace that is not theirs.
   Text pools are generated in Python and COPYed in; the bulk rows are made by
   INSERT ... SELECT in PostgreSQL, in one transaction, with triggers off
   (session_replication_role = replica, as pg_restore does) and the non-unique indexes
   built afterwards; what the triggers maintain is then set in one pass (search vectors,
   reading-page revisions), then VACUUM ANALYZE. `--keep` reuses a database of the same size.
2. Serves the app as production does (gunicorn with 2 uvicorn workers, DEBUG off) and
   requests each path `--requests` times (a slow path stops after `--seconds-per-path` with
   at least 3 requests), one at a time, rotating through users, articles and queries.
   Server time is the `Server-Timing: app;dur=` header; the query count comes from the
   bench-only middleware in config/bench_settings.py. For streamed downloads the header only
   covers the time until the stream starts, so those rows (marked *) report the time to the
   last byte as the client sees it.
3. Prints a table (path, p50 ms, p95 ms, queries, n, errors), then as the last line
   `scale: worst p95 <N> ms (<path>)`. Goal: every p95 <= 150 ms at 100,000 articles on 2 cores.

`--only dashboard` measures only the paths whose name contains the word (with `--keep`, a
quick re-measure after a change). To add a path, add a Target in `all_targets()`.
"""

from __future__ import annotations

import argparse
import http.client
import io
import math
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field

from _common import (
    bench_database,
    fill_model_defaults,
    free_port,
    setup_django,
    start_gunicorn,
)

DATABASE = "sourcemark_bench_scale"
WORKSPACE = "bench-newsroom"
OTHER_WORKSPACE = "bench-other-desk"
BLOCKS_PER_ARTICLE = 10
CLAIMS_PER_ARTICLE = 20
TAG_LINKS_PER_CLAIM = 0.5
HOT_CLAIMS = 500
MAX_CLAIMS = 300  # every other article has fewer, so "500 claims" marks the hot ones
POOL_SIZE = 2000  # texts per (language, block kind)
TITLES = 3000  # titles per language
BUSY_OUTLETS = 5
CSRF = "s" * 32  # any 32-character token works when cookie and header agree

# Block kinds by position, and the share of an article's claims each position gets.
LAYOUT = [
    ("headline", 0.04),
    ("paragraph", 0.16),
    ("paragraph", 0.16),
    ("caption", 0.04),
    ("paragraph", 0.16),
    ("paragraph", 0.16),
    ("paragraph", 0.14),
    ("related", 0.0),
    ("paragraph", 0.14),
    ("boilerplate", 0.0),
]

# Most frequent first: words are drawn with weight 1/rank, so late words are rare.
GERMAN_WORDS = """die der und in den von zu mit sich des auf für ist im dem nicht ein eine als auch
es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über so zum kann
Regierung Bundesregierung Minister Ministerin Kanzler Parlament Bundestag Koalition Opposition
Partei Sprecher Sprecherin Behörde Polizei Gericht Urteil Klage Staatsanwaltschaft Ermittlungen
Bericht Angaben Kreisen Quellen Unternehmen Konzern Haushalt Aktie Börse Inflation Zinsen
Zentralbank Wirtschaft Arbeitsmarkt Energie Strompreis Gasversorgung Klimaschutz Hitzewelle
Hochwasser Krankenhaus Pflege Schule Universität Forschung Studie Umfrage Mehrheit
Verhandlungen Abkommen Sanktionen Grenze Migration Flüchtlinge Verteidigung Bundeswehr Nato
Ukraine Russland China Europa Brüssel Berlin München Hamburg Gipfel Treffen Erklärung Vorwurf
Kritik Reform Gesetz Entwurf Milliarden Millionen Prozent Euro Woche Montag Dienstag Mittwoch
Donnerstag Freitag gestern heute bisher zunächst offenbar demnach laut erklärte sagte kündigte
betonte forderte warnte bestätigte dementierte Streik Bahn Flughafen Verkehr Wohnungsbau
Mieten Rente Steuern Schulden Digitalisierung Datenschutz Cyberangriff Landtag Bürgermeister
Gewerkschaft Tarifvertrag Lieferketten Exporte Zölle Halbleiter Windkraft Wärmepumpe
Staatssekretär Untersuchungsausschuss Verfassungsgericht Überschwemmung"""
ENGLISH_WORDS = """the of and to in a that for is on was with said as it by at from he has be have
are its an were not who would but will after they been more their about which up this new had
government minister president parliament congress senate coalition opposition party spokesman
spokeswoman agency police court ruling lawsuit prosecutors investigation report officials
sources company shares elections market inflation rates central bank economy jobs energy
prices gas climate heatwave flooding hospital care school university research study poll
majority talks agreement sanctions border migration refugees defense army Nato Ukraine Russia
China Europe Brussels Washington London Paris summit meeting statement allegation criticism
reform law draft billion million percent dollars week Monday Tuesday Wednesday Thursday Friday
yesterday today so far initially apparently according announced stressed demanded warned
confirmed denied strike rail airport traffic housing rents pensions taxes debt digital privacy
cyberattack governor mayor union contract supply chains exports tariffs chips wind turbines
undersecretary inquiry supreme"""
GERMAN, ENGLISH = GERMAN_WORDS.split(), ENGLISH_WORDS.split()
# Library searches: one mid-frequency word per language (many hits, ranked), see the table.
SEARCHES = {"de": "Haushalt", "en": "elections"}

BUSY = [
    ("Reuters", "en", "reuters.com"),
    ("Der Spiegel", "de", "spiegel.de"),
    ("The Guardian", "en", "theguardian.com"),
    ("Frankfurter Allgemeine", "de", "faz.net"),
    ("Associated Press", "en", "apnews.com"),
]
CITIES_DE = [
    "Kölner",
    "Münchner",
    "Stuttgarter",
    "Leipziger",
    "Dresdner",
    "Bremer",
    "Kieler",
    "Mainzer",
    "Badische",
    "Hessische",
    "Sächsische",
    "Westfälische",
    "Augsburger",
    "Nürnberger",
    "Rostocker",
    "Thüringer",
    "Saarbrücker",
    "Aachener",
]
PAPERS_DE = [
    "Zeitung",
    "Rundschau",
    "Anzeiger",
    "Tagblatt",
    "Nachrichten",
    "Post",
    "Kurier",
    "Volksstimme",
    "Neueste Nachrichten",
    "Allgemeine",
]
CITIES_EN = [
    "Boston",
    "Denver",
    "Seattle",
    "Leeds",
    "Glasgow",
    "Dublin",
    "Toronto",
    "Sydney",
    "Austin",
    "Baltimore",
    "Cardiff",
    "Manchester",
    "Auckland",
    "Chicago",
    "Ottawa",
]
PAPERS_EN = [
    "Times",
    "Herald",
    "Post",
    "Chronicle",
    "Gazette",
    "Tribune",
    "Observer",
    "Courier",
    "Ledger",
    "Star",
]
AGENCIES = [
    "dpa",
    "AFP",
    "Reuters",
    "AP",
    "Bloomberg",
    "WSJ",
    "New York Times",
    "Financial Times",
    "BBC",
    "Der Spiegel",
    "Süddeutsche Zeitung",
    "Politico",
    "Axios",
    "ARD",
    "ZDF",
    "Tagesspiegel",
    "Handelsblatt",
    "CNN",
    "The Guardian",
    "Le Monde",
]
CITED = [
    "US officials",
    "a senior official",
    "people familiar with the matter",
    "two diplomats",
    "Regierungskreise",
    "Sicherheitskreise",
    "informierte Kreise",
    "an unnamed source",
    "the Pentagon",
    "the White House",
    "Bundesinnenministerium",
    "Auswärtiges Amt",
    "the European Commission",
    "Kreml-Sprecher Peskow",
    "UN-Generalsekretär Guterres",
    "the Federal Reserve",
    "Bundesbank",
    "Polizeisprecher",
    "a company spokeswoman",
    "Ermittlerkreise",
    "Nato diplomats",
    "hospital staff",
    "Augenzeugen",
    "local media",
    "the state department",
    "EU-Diplomaten",
    "Koalitionskreise",
    "a leaked memo",
    "court documents",
    "Gewerkschaftskreise",
]
CONNECTORS = [
    "citing",
    "via",
    "zitiert",
    "unter Berufung auf",
    "nach Angaben von",
    "quoting",
    "berichtet unter Berufung auf",
]
BYLINES = [
    "Anna Schmidt",
    "Jonas Weber",
    "Lena Fischer",
    "Paul Wagner",
    "Mia Becker",
    "Felix Hoffmann",
    "Sarah Klein",
    "Tom Richter",
    "Emily Carter",
    "James Miller",
    "Olivia Brown",
    "Noah Wilson",
    "Grace Taylor",
    "Liam Davies",
    "Chloe Martin",
    "Henry Clarke",
    "dpa",
    "Reuters staff",
    "AP",
    "Redaktion",
]
REPLIES = [
    "Checked: the ministry confirmed this on the record.",
    "Quelle geprüft, Zitat stimmt.",
    "Do we have a second source for this?",
    "Laut Pressestelle falsch wiedergegeben.",
    "Same figure appears in the report, p. 12.",
    "Bitte mit dem Original abgleichen.",
    "Agreed, this is opinion, not a claim.",
    "Number is from 2023, not this year.",
]


@dataclass(frozen=True)
class Sizes:
    articles: int

    @property
    def other_articles(self) -> int:  # in a workspace the benchmark users are not members of
        return max(2, self.articles // 100)

    @property
    def main_articles(self) -> int:
        return self.articles - self.other_articles

    @property
    def blocks(self) -> int:
        return self.articles * BLOCKS_PER_ARTICLE

    @property
    def claims(self) -> int:
        return self.articles * CLAIMS_PER_ARTICLE

    @property
    def hot(self) -> int:  # articles with 500 claims
        return max(3, self.articles // 20_000)

    @property
    def tags(self) -> int:  # distinct source tags in the newsroom
        return max(30, self.articles // 100)

    @property
    def outlets(self) -> int:
        return max(BUSY_OUTLETS + 10, min(300, self.articles // 400))


# --- text -----------------------------------------------------------------------------------


class Writer:
    """Sentences from the vocabulary, words drawn with weight 1/rank (Zipf-like)."""

    def __init__(self, rng: random.Random, words: list[str], language: str) -> None:
        self.rng = rng
        self.words = words
        self.weights = [1 / (rank + 1) for rank in range(len(words))]
        self.quotes = ("„", "“") if language == "de" else ("“", "”")
        self.unit = "Prozent" if language == "de" else "percent"

    def sentence(self, words: int) -> str:
        chosen = self.rng.choices(self.words, weights=self.weights, k=words)
        if self.rng.random() < 0.2:
            number = f"{self.rng.randint(2, 98)},{self.rng.randint(1, 9)}"
            chosen.insert(self.rng.randrange(len(chosen)), f"{number} {self.unit}")
        text = " ".join(chosen)
        text = text[0].upper() + text[1:]
        if self.rng.random() < 0.15:
            return f"{self.quotes[0]}{text}{self.quotes[1]}, {self.rng.choice(self.words)}."
        return text + "."

    def text(self, length: int) -> str:
        parts: list[str] = []
        while sum(len(part) + 1 for part in parts) < length:
            parts.append(self.sentence(self.rng.randint(6, 22)))
        return " ".join(parts)[: max(length, 40)].rstrip(" ,") or "Text."

    def title(self) -> str:
        words = ""
        while len(words) < 40:  # headlines are claimable blocks: long enough for a claim
            words = self.sentence(self.rng.randint(6, 13)).rstrip(".")
        return words[:1].upper() + words[1:]


def block_text(writer: Writer, kind: str, language: str) -> str:
    rng = writer.rng
    if kind == "headline":
        return writer.title()
    if kind == "paragraph":
        length = int(min(1200, max(80, rng.lognormvariate(math.log(300), 0.55))))
        return writer.text(length)
    if kind == "caption":
        credit = rng.choice(["dpa", "Reuters", "AFP", "AP", "Getty Images", "picture alliance"])
        prefix = "Foto" if language == "de" else "Photo"
        return f"{writer.text(rng.randint(50, 170))} {prefix}: {credit}"
    if kind == "related":
        lead = "Lesen Sie auch:" if language == "de" else "Read more:"
        return f"{lead} {writer.title()}"
    chrome = (
        [
            "Newsletter abonnieren",
            "Artikel teilen",
            "Kommentare anzeigen",
            "Mehr zum Thema",
            "© 2026 Alle Rechte vorbehalten",
        ]
        if language == "de"
        else [
            "Sign up for our newsletter",
            "Share this article",
            "Show comments",
            "More on this story",
            "© 2026 All rights reserved",
        ]
    )
    return " · ".join(rng.sample(chrome, rng.randint(1, 4)))


def pool_rows(rng: random.Random):
    """(language, kind, n, text) for every block kind, and (language, n, title) rows."""
    writers = {"de": Writer(rng, GERMAN, "de"), "en": Writer(rng, ENGLISH, "en")}
    blocks, titles = [], []
    for language, writer in writers.items():
        for kind in {kind for kind, _ in LAYOUT}:
            blocks += [
                (language, kind, n, block_text(writer, kind, language)) for n in range(POOL_SIZE)
            ]
        titles += [(language, n, writer.title()) for n in range(TITLES)]
    return blocks, titles


def outlet_rows(sizes: Sizes, rng: random.Random):
    rows = [(n, name, language, domain) for n, (name, language, domain) in enumerate(BUSY, 1)]
    names = {name for _, name, _, _ in rows}
    while len(rows) < sizes.outlets:
        german = rng.random() < 0.4
        name = (
            f"{rng.choice(CITIES_DE)} {rng.choice(PAPERS_DE)}"
            if german
            else f"The {rng.choice(CITIES_EN)} {rng.choice(PAPERS_EN)}"
        )
        if name in names:
            name = f"{name} {rng.choice(['Online', 'am Sonntag', 'Digital', 'Weekly'])}"
        if name in names:
            continue
        names.add(name)
        domain = re.sub(r"[^a-z]+", "-", name.lower()).strip("-") + ".example"
        rows.append((len(rows) + 1, name, "de" if german else "en", domain))
    return rows


def tag_labels(sizes: Sizes, rng: random.Random, outlets: list[str]) -> list[str]:
    """Most used first: agencies, then "X citing Y" labels in a shuffled order."""
    labels = list(AGENCIES)
    combos = [
        f"{outlet} {connector} {cited}"
        for outlet in AGENCIES + outlets
        for connector in CONNECTORS
        for cited in CITED
    ]
    rng.shuffle(combos)
    labels += combos + outlets
    unique: dict[str, str] = {}
    for label in labels:
        unique.setdefault(label.lower(), label)
        if len(unique) == sizes.tags:
            break
    return list(unique.values())


# --- seeding --------------------------------------------------------------------------------


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def create_people(sizes: Sizes):
    """alice (owner), bob (editor), member01-member20 (member18-20 viewers) in the newsroom;
    charlie owns the other desk. Returns (newsroom, other desk, {username: id})."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from workspaces.models import Membership, Role, Workspace

    password = make_password("sourcemark")
    names = ["alice", "bob", "charlie"] + [f"member{n:02d}" for n in range(1, 21)]
    get_user_model().objects.bulk_create(
        get_user_model()(username=name, password=password) for name in names
    )
    users = dict(get_user_model().objects.values_list("username", "id"))
    newsroom = Workspace.objects.create(name="Newsroom", slug=WORKSPACE)
    other = Workspace.objects.create(name="Other desk", slug=OTHER_WORKSPACE)
    roles = {"alice": Role.OWNER, "bob": Role.EDITOR}
    roles |= {f"member{n:02d}": Role.VIEWER if n > 17 else Role.EDITOR for n in range(1, 21)}
    Membership.objects.bulk_create(
        [
            Membership(workspace=newsroom, user_id=users[name], role=role)
            for name, role in roles.items()
        ]
        + [Membership(workspace=other, user_id=users["charlie"], role=Role.OWNER)]
    )
    return newsroom, other, users


def author_slots(users: dict[str, int]) -> list[int]:
    """100 slots: alice and bob write 15% each, the editors the rest with a Zipf-like skew."""
    editors = [users[f"member{n:02d}"] for n in range(1, 18)]
    weights = [1 / rank for rank in range(1, len(editors) + 1)]
    slots = [users["alice"]] * 15 + [users["bob"]] * 15
    slots += random.Random(3).choices(editors, weights=weights, k=70)
    return slots


# Which pool text the block at position p of article a gets (blocks and search vectors).
POOL_TEXT = """pool.language = a.language AND pool.kind = p.kind
     AND pool.n = (a.id * 7919 + p.position * 104729) %% %(pool_size)s"""
# Loading is faster without these; they are built again afterwards.
BULK_TABLES = [
    "articles_article",
    "articles_block",
    "annotations_claim",
    "annotations_claimtag",
    "annotations_reply",
    "annotations_activity",
]


def seed_statements() -> list[tuple[str, str]]:
    """(what, SQL) in order; parameters are filled in by seed()."""
    cumulative, total = [], 0.0
    for _, share in LAYOUT:
        cumulative.append((total, total + share))
        total += share
    return [
        (
            "articles",
            """
INSERT INTO articles_article (workspace_id, title, outlet, url, author, published_at, language,
    search_config, source, text_version, render_version, created_by_id, created_at)
SELECT CASE WHEN g.i <= %(other_articles)s THEN %(other_ws)s ELSE %(ws)s END, t.text, o.name,
       'https://' || o.domain || '/' || to_char(g.created, 'YYYY/MM/DD') || '/story-' || g.i,
       CASE WHEN g.byline > 0 THEN (%(bylines)s::text[])[g.byline] ELSE '' END,
       g.created - interval '3 hours', o.language,
       CASE o.language WHEN 'de' THEN 'german' ELSE 'english' END,
       'url', 1, 0,
       CASE WHEN g.i <= %(other_articles)s THEN %(charlie)s
            ELSE (%(authors)s::bigint[])[g.slot] END, g.created
FROM (SELECT i,
             now() - (%(articles)s - i) * (interval '730 days' / %(articles)s) AS created,
             CASE WHEN random() < 0.5 THEN 1 + floor(random() * %(busy)s)
                  ELSE %(busy)s + 1 + floor(random() * (%(outlets)s - %(busy)s)) END::int
                 AS outlet_n,
             floor(random() * %(titles)s)::int AS title_n,
             floor(random() * (%(byline_count)s + 6))::int - 5 AS byline,
             1 + floor(random() * 100)::int AS slot
      FROM generate_series(1, %(articles)s) AS i OFFSET 0) g
JOIN bench_outlet o ON o.n = g.outlet_n
JOIN bench_title t ON t.language = o.language AND t.n = g.title_n
ORDER BY g.i""",
        ),
        (
            "tags",
            """
INSERT INTO annotations_sourcetag (workspace_id, label, outlet, cited, anonymous,
    anonymous_is_manual, created_by_id, created_at)
SELECT %(ws)s, label, outlet, cited, anonymous, false, %(alice)s, now() - interval '800 days'
FROM bench_tag ORDER BY n""",
        ),
        ("analyze", "ANALYZE articles_article"),
        (
            "positions",
            "CREATE TEMP TABLE bench_position (position int, kind text, lo float8, hi float8)",
        ),
        (
            "positions",
            "INSERT INTO bench_position VALUES "
            + ", ".join(
                f"({position}, '{kind}', {lo}, {hi})"
                for position, ((kind, _), (lo, hi)) in enumerate(
                    zip(LAYOUT, cumulative, strict=True)
                )
            ),
        ),
        (
            "blocks",
            """
INSERT INTO articles_block (article_id, position, kind, text, kind_is_manual)
SELECT a.id, p.position, p.kind, pool.text, false
FROM articles_article a
CROSS JOIN bench_position p
JOIN bench_pool pool ON """
            + POOL_TEXT
            + """
ORDER BY a.id, p.position""",
        ),
        ("analyze", "ANALYZE bench_position, articles_block"),
        (
            "claim plan",
            """
CREATE TEMP TABLE bench_claim_plan AS
SELECT a.id AS article_id, a.created_at,
       CASE WHEN h.id IS NOT NULL THEN %(hot_claims)s
            ELSE least(%(max_claims)s, floor(-ln(1 - random()) * %(mean_claims)s))::int
       END AS claims
FROM articles_article a
LEFT JOIN (SELECT id FROM articles_article WHERE workspace_id = %(ws)s
           ORDER BY random() LIMIT %(hot)s) h ON h.id = a.id
WHERE a.workspace_id = %(ws)s""",
        ),
        (
            "claims",
            """
INSERT INTO annotations_claim (article_id, workspace_id, author_id, exact, prefix, suffix,
    start, "end", text_version, note, status, visibility, version, created_at, updated_at,
    anchor_status, original_exact, original_prefix, original_suffix)
SELECT bo.article_id, %(ws)s, r.author, substr(bo.text, r.s + 1, r.len),
       substr(bo.text, greatest(1, r.s - 31), least(32, r.s)),
       substr(bo.text, r.s + r.len + 1, 32), bo.off + r.s, bo.off + r.s + r.len, 1,
       CASE WHEN r.u < 0.3 THEN left(bo.text, 20 + floor(r.u * 600)::int) ELSE '' END,
       CASE WHEN r.v < 0.5 THEN 'unverified' WHEN r.v < 0.7 THEN 'supported'
            WHEN r.v < 0.82 THEN 'disputed' WHEN r.v < 0.9 THEN 'false' ELSE 'opinion' END,
       CASE WHEN r.w < 0.1 THEN 'private' ELSE 'workspace' END, 1, r.created, r.created,
       'anchored', '', '', ''
FROM (SELECT b.article_id, b.text, length(b.text) AS block_length,
             sum(length(b.text) + 2) OVER (PARTITION BY b.article_id ORDER BY b.position)
                 - length(b.text) - 2 AS off,
             round(p.claims * pos.hi)::int - round(p.claims * pos.lo)::int AS claims,
             p.created_at
      FROM articles_block b
      JOIN bench_claim_plan p ON p.article_id = b.article_id
      JOIN bench_position pos ON pos.position = b.position) bo
CROSS JOIN LATERAL generate_series(1, bo.claims) AS k
CROSS JOIN LATERAL (
    SELECT x.s, least(bo.block_length - x.s, 20 + floor(random() * 160)::int) AS len,
           random() AS u, random() AS v, random() AS w,
           (%(authors)s::bigint[])[1 + floor(random() * 100)::int] AS author,
           least(now(), bo.created_at + random() * interval '20 days') AS created
    FROM (SELECT floor(random() * (bo.block_length - 20))::int AS s, k) x) r
WHERE bo.block_length > 30
-- One claim per author and span (claim_unique_span_per_author): a rare random twin is skipped.
ON CONFLICT DO NOTHING""",
        ),
        ("analyze", "ANALYZE bench_claim_plan, annotations_claim"),
        (
            "tag ranks",
            """
CREATE TEMP TABLE bench_tag_rank AS
SELECT row_number() OVER (ORDER BY id) AS rank, id, label FROM annotations_sourcetag
WHERE workspace_id = %(ws)s""",
        ),
        (
            "tag links",
            """
INSERT INTO annotations_claimtag (claim_id, tag_id, added_by_id, added_at)
SELECT c.id, t.id, c.author_id, c.created_at
FROM (SELECT id, author_id, created_at, floor(exp(random() * ln(%(tags)s)))::int AS rank
      FROM annotations_claim WHERE workspace_id = %(ws)s AND random() < %(first_tag)s
      OFFSET 0) c
JOIN bench_tag_rank t ON t.rank = c.rank""",
        ),
        (
            "tag links",
            """
INSERT INTO annotations_claimtag (claim_id, tag_id, added_by_id, added_at)
SELECT c.id, t.id, c.author_id, c.created_at + interval '1 minute'
FROM (SELECT id, author_id, created_at, floor(exp(random() * ln(%(tags)s)))::int AS rank
      FROM annotations_claim WHERE workspace_id = %(ws)s AND random() < %(second_tag)s
      OFFSET 0) c
JOIN bench_tag_rank t ON t.rank = c.rank
ON CONFLICT DO NOTHING""",
        ),
        (
            "replies",
            """
INSERT INTO annotations_reply (claim_id, author_id, body, created_at, updated_at)
SELECT c.id, c.author, (%(replies)s::text[])[c.body], c.at, c.at
FROM (SELECT id, (%(authors)s::bigint[])[1 + floor(random() * 100)::int] AS author,
             1 + floor(random() * %(reply_count)s)::int AS body,
             created_at + interval '2 hours' AS at
      FROM annotations_claim
      WHERE workspace_id = %(ws)s AND visibility = 'workspace' AND random() < 0.05
      OFFSET 0) c""",
        ),
        # One row per claim (20 per article): mostly its creation, some later edits.
        (
            "activity",
            """
INSERT INTO annotations_activity (workspace_id, article_id, actor_id, verb, claim_id,
    visible_to_id, summary, created_at)
SELECT %(ws)s, c.article_id, c.author_id, c.verb, c.id,
       CASE WHEN c.visibility = 'private' THEN c.author_id END,
       CASE WHEN c.verb = 'tag.added' THEN (%(top_labels)s::text[])[c.label]
            WHEN length(c.quote) > 120 THEN '“' || left(c.quote, 117) || '…”'
            ELSE '“' || c.quote || '”' END,
       c.at
FROM (SELECT id, article_id, author_id, visibility, exact AS quote,
             CASE WHEN r < 0.7 THEN 'claim.created' WHEN r < 0.85 THEN 'tag.added'
                  WHEN r < 0.95 THEN 'claim.updated' ELSE 'reply.created' END AS verb,
             1 + floor(random() * %(top_label_count)s)::int AS label,
             CASE WHEN r < 0.7 THEN created_at ELSE created_at + r * interval '3 days' END
                 AS at
      FROM (SELECT *, random() AS r FROM annotations_claim WHERE workspace_id = %(ws)s
            OFFSET 0) x) c
ORDER BY c.at""",
        ),
        # What the triggers would have kept: search vectors (as articles.services
        # .refresh_search_vector computes them, but from each pool text's vector, computed
        # once, instead of parsing 1M block texts again; only word positions differ a little)
        # and a revision bumped by every block, claim, tag link and reply.
        (
            "search vectors",
            """
UPDATE articles_article a SET
    search_vector =
        setweight(to_tsvector(a.search_config::regconfig, a.title), 'A')
        || setweight(to_tsvector(a.search_config::regconfig, coalesce(a.outlet, '')), 'A')
        || setweight(coalesce(v.body, ''::tsvector), 'B')
        || setweight(coalesce(v.captions, ''::tsvector), 'C'),
    render_version = v.blocks + coalesce(c.changes, 0)
FROM (SELECT a.id,
             pg_temp.bench_tsvector_agg(pool.vector ORDER BY p.position)
                 FILTER (WHERE p.kind IN ('headline', 'paragraph')) AS body,
             pg_temp.bench_tsvector_agg(pool.vector ORDER BY p.position)
                 FILTER (WHERE p.kind = 'caption') AS captions,
             count(*) AS blocks
      FROM articles_article a
      CROSS JOIN bench_position p
      JOIN bench_pool pool ON """
            + POOL_TEXT
            + """
      GROUP BY a.id) v
LEFT JOIN (SELECT article_id, count(*) AS changes FROM (
               SELECT article_id FROM annotations_claim
               UNION ALL SELECT c.article_id FROM annotations_claimtag ct
                   JOIN annotations_claim c ON c.id = ct.claim_id
               UNION ALL SELECT c.article_id FROM annotations_reply r
                   JOIN annotations_claim c ON c.id = r.claim_id) x
           GROUP BY article_id) c ON c.article_id = v.id
WHERE a.id = v.id""",
        ),
    ]


def drop_secondary_indexes(cursor) -> list[str]:
    """Drop the non-unique indexes of the bulk-loaded tables; returns their definitions."""
    cursor.execute(
        """SELECT indexname, indexdef FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = ANY(%s)
             AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%%'""",
        [BULK_TABLES],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def seed(sizes: Sizes) -> None:
    from django.db import connection, transaction

    from annotations.source_tags import parse_source_tag

    rng = random.Random(11)
    newsroom, other, users = create_people(sizes)
    blocks, titles = pool_rows(rng)
    outlets = outlet_rows(sizes, rng)
    labels = tag_labels(sizes, rng, [name for _, name, _, _ in outlets])
    slots = author_slots(users)
    hot_total = HOT_CLAIMS * sizes.hot
    params = {
        "ws": newsroom.pk,
        "other_ws": other.pk,
        "alice": users["alice"],
        "charlie": users["charlie"],
        "articles": sizes.articles,
        "other_articles": sizes.other_articles,
        "busy": BUSY_OUTLETS,
        "outlets": len(outlets),
        "titles": TITLES,
        "pool_size": POOL_SIZE,
        "bylines": BYLINES,
        "byline_count": len(BYLINES),
        "authors": slots,
        "hot": sizes.hot,
        "hot_claims": HOT_CLAIMS,
        "max_claims": MAX_CLAIMS,
        "mean_claims": max(1.0, (sizes.claims - hot_total) / (sizes.main_articles - sizes.hot))
        + 0.5,
        "tags": len(labels),
        "first_tag": TAG_LINKS_PER_CLAIM * 0.9,
        "second_tag": TAG_LINKS_PER_CLAIM * 0.1,
        "replies": REPLIES,
        "reply_count": len(REPLIES),
        "top_labels": labels[:100],
        "top_label_count": min(100, len(labels)),
    }
    # One transaction: a failed seed leaves no half-filled tables (nor dropped indexes).
    with transaction.atomic(), connection.cursor() as cursor:
        # A scratch database filled with consistent rows: skip per-row triggers (foreign-key
        # checks, revision bumps, NOTIFY per activity row) as pg_restore does, and set what
        # they maintain afterwards ("search vectors").
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("CREATE TEMP TABLE bench_pool (language text, kind text, n int, text text)")
        cursor.execute("CREATE TEMP TABLE bench_title (language text, n int, text text)")
        cursor.execute(
            "CREATE TEMP TABLE bench_outlet (n int, name text, language text, domain text)"
        )
        copy_rows(cursor, "bench_pool", ["language", "kind", "n", "text"], blocks)
        copy_rows(cursor, "bench_title", ["language", "n", "text"], titles)
        copy_rows(cursor, "bench_outlet", ["n", "name", "language", "domain"], outlets)
        cursor.execute(
            "CREATE TEMP TABLE bench_tag (n int, label text, outlet text, "
            "cited text, anonymous bool)"
        )
        parsed = [parse_source_tag(label=label) for label in labels]
        copy_rows(
            cursor,
            "bench_tag",
            ["n", "label", "outlet", "cited", "anonymous"],
            (
                (n, label, tag.outlet, tag.cited, tag.anonymous)
                for n, (label, tag) in enumerate(zip(labels, parsed, strict=True))
            ),
        )
        cursor.execute("ALTER TABLE bench_pool ADD COLUMN vector tsvector")
        cursor.execute(
            "UPDATE bench_pool SET vector = to_tsvector(CASE language WHEN 'de' "
            "THEN 'german' ELSE 'english' END::regconfig, text)"
        )
        cursor.execute(
            "CREATE AGGREGATE pg_temp.bench_tsvector_agg (tsvector) "
            "(SFUNC = pg_catalog.tsvector_concat, STYPE = tsvector, INITCOND = '')"
        )
        cursor.execute("ANALYZE bench_pool, bench_title, bench_outlet, bench_tag")
        indexes = drop_secondary_indexes(cursor)
        for what, statement in seed_statements():
            started = time.perf_counter()
            cursor.execute(fill_model_defaults(statement.strip(), params), params)
            print(
                f"  {what}: {max(cursor.rowcount, 0):,} rows in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        started = time.perf_counter()
        for definition in indexes:
            cursor.execute(definition)
        print(
            f"  {len(indexes)} indexes built again in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    from annotations.services import recount_tag_uses

    with connection.cursor() as cursor:
        # Statistics first: without them the counters' per-tag subquery is planned for empty
        # tables (a scan of 1M claim tags per tag: 10 minutes instead of seconds).
        cursor.execute("ANALYZE " + ", ".join(BULK_TABLES))
    started = time.perf_counter()
    # The tag use counters are kept by triggers, which were off during the load.
    recount_tag_uses()
    print(f"  tag use counters: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    seed_search_documents()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        print(f"  vacuum analyze: {time.perf_counter() - started:.1f} s", file=sys.stderr)


def seeded_size(sizes: Sizes) -> bool:
    """Whether the database already holds a seed of this size (for --keep)."""
    from articles.models import Article

    return (
        Article.objects.filter(workspace__slug=WORKSPACE).count() == sizes.main_articles
        and Article.objects.filter(workspace__slug=OTHER_WORKSPACE).count() == sizes.other_articles
    )


def counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "articles": "articles_article",
        "blocks": "articles_block",
        "claims": "annotations_claim",
        "tag links": "annotations_claimtag",
        "activity rows": "annotations_activity",
        "source tags": "annotations_sourcetag",
    }
    with connection.cursor() as cursor:
        result = {}
        for name, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")
            result[name] = cursor.fetchone()[0]
    return result


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    paths: list[str]  # rotated through, request by request
    users: list[str]  # rotated through
    method: str = "GET"
    bodies: list[str] = field(default_factory=list)  # POST bodies, one per request
    streamed: bool = False  # a download: count the time to the last byte
    event_stream: bool = False  # read the status and headers only, then hang up
    expect: int = 200
    detail: str = ""  # shown after the example path


@dataclass
class Sample:
    ms: float
    queries: int | None
    ok: bool


READERS = ["alice", "bob", "member01", "member02", "member05", "member09", "member19"]
WRITERS = [
    "alice",
    "bob",
    "member01",
    "member02",
    "member03",
    "member04",
    "member06",
    "member08",
    "member11",
    "member15",
]


def session_cookies(usernames) -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    cookies = {}
    for username in usernames:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
    return cookies


def passages(*, article_ids: list[int], count: int) -> list[tuple[int, str]]:
    """Fresh passages to highlight: (article id, urlencoded form) as the browser sends them."""
    from annotations.anchoring import canonical_text
    from articles.models import Block

    rng = random.Random(5)
    texts = {}
    for article_id in article_ids:
        blocks = Block.objects.filter(article_id=article_id).order_by("position")
        texts[article_id] = canonical_text(block_texts=list(blocks.values_list("text", flat=True)))
    result = []
    for number in range(count):
        article_id = article_ids[number % len(article_ids)]
        text = texts[article_id]
        start = rng.randrange(0, len(text) - 120)
        end = start + rng.randint(30, 100)
        utf16 = len(text[:start].encode("utf-16-le")) // 2
        result.append(
            (
                article_id,
                urllib.parse.urlencode(
                    {
                        "exact": text[start:end],
                        "prefix": text[max(0, start - 32) : start],
                        "suffix": text[end : end + 32],
                        "start": utf16,
                        "end": utf16 + len(text[start:end].encode("utf-16-le")) // 2,
                    }
                ),
            )
        )
    return result


def targets(sizes: Sizes, *, requests: int, only: str | None = None) -> list[Target]:
    every = all_targets(sizes, requests=requests, only=only)
    return [target for target in every if not only or only in target.name]


def all_targets(sizes: Sizes, *, requests: int, only: str | None) -> list[Target]:
    from django.db.models import Count

    from activity.models import Activity
    from annotations.models import Claim
    from articles.models import Article
    from workspaces.models import Workspace

    newsroom = Workspace.objects.get(slug=WORKSPACE)
    hot = list(
        Claim.objects.filter(workspace=newsroom)
        .values("article_id")
        # > MAX_CLAIMS: a rare random twin of a claim is skipped by the seeding.
        .annotate(n=Count("id"))
        .filter(n__gt=MAX_CLAIMS)
        .order_by("article_id")
        .values_list("article_id", flat=True)
    )
    ids = list(
        Article.objects.filter(workspace=newsroom)
        .exclude(id__in=hot)
        .order_by("-id")
        .values_list("id", flat=True)
    )
    ordinary = ids[:: max(1, len(ids) // 12)][:12]  # newest to oldest
    busy_outlet = BUSY[0][0]
    library_pages = math.ceil(sizes.main_articles / 20)
    activity_pages = math.ceil(
        Activity.objects.filter(workspace=newsroom, visible_to__isnull=True).count() / 25
    )
    # Deep pages as the pages link them (keyset: ?before=<id>), 80 % of the way down.
    all_ids = [
        pk
        for pk in Article.objects.filter(workspace=newsroom)
        .order_by("-id")
        .values_list("id", flat=True)
    ]
    deep_library = all_ids[len(all_ids) * 4 // 5]
    activity_ids = Activity.objects.filter(workspace=newsroom, visible_to__isnull=True)
    deep_activity = activity_ids.order_by("-id").values_list("id", flat=True)[
        max(1, activity_pages * 25 * 4 // 5)
    ]
    quoted = urllib.parse.quote
    creations = passages(article_ids=hot + ordinary[:4], count=requests + 1)
    prefixes = ["Reu", "citing", "dpa", "Regierungs", "offic", "Bloomb", "unter Ber", "W"]
    return [
        Target("library", ["/"], READERS),
        Target("library outlet filter", [f"/?outlet={quoted(busy_outlet)}"], READERS),
        Target("library search de", [f"/?q={quoted(SEARCHES['de'])}"], READERS),
        Target("library search en", [f"/?q={quoted(SEARCHES['en'])}"], READERS),
        Target(
            "library deep page",
            [f"/?before={deep_library}"],
            READERS,
            detail=f"80 % of {library_pages} pages",
        ),
        Target("reading page 500 claims", [f"/articles/{pk}/" for pk in hot], READERS),
        Target(
            "claim create",
            [f"/articles/{pk}/claims/" for pk, _ in creations],
            WRITERS,
            method="POST",
            bodies=[body for _, body in creations],
            expect=201,
        ),
        Target(
            "tag autocomplete",
            [f"/tags/suggestions/?source_tag={quoted(prefix)}" for prefix in prefixes],
            READERS,
        ),
        Target("sources page", ["/tags/"], READERS),
        Target("export page", ["/export/"], READERS),
        Target(
            "article CSV",
            [f"/articles/{pk}/export.csv" for pk in hot + ordinary],
            READERS,
            streamed=True,
        ),
        Target("activity", [f"/workspaces/{newsroom.pk}/activity/"], READERS),
        Target(
            "activity deep page",
            [f"/workspaces/{newsroom.pk}/activity/?before={deep_activity}"],
            READERS,
            detail=f"80 % of {activity_pages} pages",
        ),
        Target(
            "SSE connect",
            [f"/articles/{pk}/events/" for pk in hot + ordinary],
            READERS,
            event_stream=True,
        ),
        # Their set-up counts and seeds; skipped when another subset is measured.
        *(dashboard_targets(newsroom=newsroom, hot=hot) if _wanted(only, "dashboard") else []),
        *(search_targets(newsroom=newsroom) if _wanted(only, "search") else []),
    ]


def _wanted(only: str | None, word: str) -> bool:
    return not only or only in word or word in only


# --- the Sources dashboard (insights) ------------------------------------------------------------


def dashboard_targets(*, newsroom, hot: list[int]) -> list[Target]:
    """The Sources dashboard unfiltered and with each single filter, and the reading page's
    source summary (a 500-claim article).

    The dashboard reads saved counts (insights_sourcecount) and counts once per filter set
    when there is none (or, in the background, after a change). Each filter set is counted
    here first, as a fresh deployment's first visitor would, and that time is shown as the
    path's detail; the rows then measure the page as every later visitor gets it."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from annotations.models import SourceTag
    from insights.forms import DashboardFilterForm
    from insights.models import SourceCount
    from insights.selectors import dashboard

    SourceCount.objects.all().delete()  # start cold: count each filter set once, timed
    top_tag = (
        SourceTag.objects.filter(workspace=newsroom, owner__isnull=True)
        .order_by("-shared_claim_count")
        .values_list("pk", flat=True)
        .first()
    )
    since = (datetime.date.today() - datetime.timedelta(days=90)).isoformat()
    filters = [
        ("dashboard", ""),
        ("dashboard since", f"since={since}"),
        ("dashboard outlet", f"outlet={urllib.parse.quote(BUSY[0][0])}"),
        ("dashboard tag", f"tag={top_tag}"),
        ("dashboard annotator", "annotator=member05"),
        ("dashboard status", "status=disputed"),
        ("dashboard language", "language=de"),
        # Each reader's own private claims added: charts differ per reader (drawn per reader).
        ("dashboard incl. own private", "mine=1"),
    ]
    alice = get_user_model().objects.get(username="alice")
    # The same run's floor: a signed-in page that only renders a template (the machine's
    # load moves every row; compare the dashboard's rows with this one).
    targets = [Target("dashboard baseline", ["/bench/trivial/"], READERS, detail="(trivial page)")]
    for name, query in filters:
        form = DashboardFilterForm(QueryDict(query))
        form.is_valid()
        started = time.perf_counter()
        dashboard(workspace_id=newsroom.pk, user=alice, filters=form.filters())
        first = time.perf_counter() - started
        path = f"/dashboard/?{query}" if query else "/dashboard/"
        targets.append(Target(name, [path], READERS, detail=f"(first count {first:.1f} s)"))
    targets.append(
        Target("article source summary", [f"/articles/{pk}/summary/" for pk in hot], READERS)
    )
    return targets


# --- claim search (search app): its documents after the bulk load, and its paths -----------


def seed_search_documents() -> None:
    """The claim search documents, which triggers keep (off during the load): built in one
    statement with their GIN index dropped, then the index built once."""
    from django.db import connection

    from search.services import rebuild_claim_documents

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'claim_document_vector'")
        (definition,) = cursor.fetchone()
        cursor.execute("DROP INDEX claim_document_vector")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        written = rebuild_claim_documents()
        cursor.execute(definition)
    print(
        f"  claim search documents: {written:,} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def search_targets(*, newsroom) -> list[Target]:
    """/search/: a frequent and a rare word per language (claim quotes, notes, replies and tag
    labels), a source tag's claims (the Sources page's link), facets without a query, filters
    on top of a query, and a page deep down a frequent word's results."""
    from django.db.models import Count

    from annotations.models import ClaimTag
    from search.selectors import ClaimSearch, matching_claims
    from workspaces.models import Membership

    quoted = urllib.parse.quote
    busiest_tag = (
        ClaimTag.objects.filter(tag__workspace=newsroom, tag__owner__isnull=True)
        .values("tag_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("tag_id", flat=True)
        .first()
    )
    alice = Membership.objects.get(workspace=newsroom, user__username="alice").user
    frequent = matching_claims(
        workspace=newsroom, user=alice, search=ClaimSearch(query="Regierung")
    ).order_by("-pk")
    deep = frequent.values_list("pk", flat=True)[2000:2001].first()
    return [
        Target("search claims de", [f"/search/?q={quoted('Regierung')}"], READERS),
        Target("search claims en", [f"/search/?q={quoted('officials')}"], READERS),
        Target("search rare words", [f"/search/?q={quoted(w)}" for w in RARE_SEARCHES], READERS),
        Target("search tag's claims", [f"/search/?tag={busiest_tag}"], READERS),
        Target("search facets, no query", ["/search/"], READERS),
        Target(
            "search query + filters",
            ["/search/?q=government&status=disputed&anonymous=yes&since=2020-01-01"],
            READERS,
        ),
        Target(
            "search deep page",
            [f"/search/?q=Regierung&before={deep}" if deep else "/search/?q=Regierung"],
            READERS,
            detail="2,000 claims down",
        ),
    ]


# Words a reader looks for that few claims hold (an outlet's name, a reply's word).
RARE_SEARCHES = ["Halbleiter", "turbines", "Pressestelle", "record"]


REQUEST_TIMEOUT_S = 120

SERVER_TIME = re.compile(r"app;dur=([\d.]+)")
QUERY_COUNT = re.compile(r'desc="(\d+) queries"')


def request_once(port: int, target: Target, number: int, cookie: str) -> Sample:
    path = target.paths[number % len(target.paths)]
    headers = {"Cookie": f"sessionid={cookie}; csrftoken={CSRF}"}
    body = None
    if target.method == "POST":
        body = target.bodies[number % len(target.bodies)]
        headers |= {"X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"}
    if target.event_stream:
        headers["Accept"] = "text/event-stream"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    started = time.perf_counter()
    try:
        connection.request(target.method, path, body=body, headers=headers)
        response = connection.getresponse()
        if not target.event_stream:
            response.read()
    except TimeoutError:  # counts as an error, at the time waited
        return Sample(ms=REQUEST_TIMEOUT_S * 1000, queries=None, ok=False)
    finally:
        connection.close()
    client_ms = (time.perf_counter() - started) * 1000
    timing = response.getheader("Server-Timing", "")
    server = SERVER_TIME.search(timing)
    queries = QUERY_COUNT.search(timing)
    ms = client_ms if target.streamed or server is None else float(server.group(1))
    return Sample(
        ms=ms,
        queries=int(queries.group(1)) if queries else None,
        ok=response.status == target.expect,
    )


def measure(
    port: int, target: Target, cookies: dict[str, str], *, requests: int, budget_s: float
) -> list[Sample]:
    """`requests` requests one after another (the first, a warm-up, is dropped unless it was
    slow anyway); a slow path stops once it has spent `budget_s` and has 3 samples, a very
    slow one once it has spent 4 times that."""
    samples: list[Sample] = []
    started = time.monotonic()
    warm_up = request_once(port, target, 0, cookies[target.users[0]])
    if warm_up.ms > 1000 or not warm_up.ok or target.method == "POST":
        samples.append(warm_up)
    number = 1
    while len(samples) < requests:
        spent = time.monotonic() - started
        if samples and (spent > 4 * budget_s or (spent > budget_s and len(samples) >= 3)):
            break
        user = target.users[number % len(target.users)]
        samples.append(request_once(port, target, number, cookies[user]))
        number += 1
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def table(results: list[tuple[Target, list[Sample]]]) -> tuple[str, float, str]:
    lines = [
        f"{'path':26s} {'p50 ms':>9s} {'p95 ms':>9s} {'queries':>7s} {'n':>3s} "
        f"{'errors':>6s}  example"
    ]
    worst, worst_name = -1.0, ""
    for target, samples in results:
        name = target.name
        times = [sample.ms for sample in samples]
        query_counts = sorted({s.queries for s in samples if s.queries is not None})
        queries = (
            "-"
            if not query_counts
            else str(query_counts[0])
            if len(query_counts) == 1
            else f"{query_counts[0]}-{query_counts[-1]}"
        )
        errors = sum(not sample.ok for sample in samples)
        high = p95(times)
        if high > worst:
            worst, worst_name = high, name
        example = " ".join(
            filter(
                None,
                [
                    target.method if target.method != "GET" else "",
                    target.paths[0],
                    "…" if len(set(target.paths)) > 1 else "",
                    target.detail,
                ],
            )
        )
        label = name + (" *" if target.streamed else "")
        lines.append(
            f"{label:26s} {statistics.median(times):9.1f} {high:9.1f} {queries:>7s} "
            f"{len(samples):3d} {errors:6d}  {example}"
        )
    return "\n".join(lines), worst, worst_name


def cleanup_created(*, claim_id: int, activity_id: int) -> None:
    """Remove what the claim-create requests added, so --keep measures the same data."""
    from activity.models import Activity
    from annotations.models import Claim

    Claim.objects.filter(id__gt=claim_id).delete()
    Activity.objects.filter(id__gt=activity_id).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20, help="per path")
    parser.add_argument("--seconds-per-path", type=float, default=15.0)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database when it holds a seed of this size"
    )
    parser.add_argument(
        "--only",
        metavar="WORD",
        help="measure only the paths whose name contains WORD (e.g. dashboard)",
    )
    args = parser.parse_args()
    if args.articles < 100:
        parser.error("--articles must be at least 100")
    sizes = Sizes(args.articles)

    began = time.perf_counter()
    setup_django(bench_database(DATABASE, keep=args.keep))
    from django.db import connection
    from django.db.models import Max

    from activity.models import Activity
    from annotations.models import Claim

    if args.keep and seeded_size(sizes):
        print(f"reusing the seeded database ({sizes.articles:,} articles)", file=sys.stderr)
    else:
        with connection.cursor() as cursor:  # a scratch database: start from empty tables
            cursor.execute("TRUNCATE workspaces_workspace, auth_user, django_session CASCADE")
        print(f"seeding {sizes.articles:,} articles…", file=sys.stderr, flush=True)
        seed(sizes)
    seeded_s = time.perf_counter() - began
    sizes_line = ", ".join(f"{value:,} {name}" for name, value in counts().items())

    cookies = session_cookies(sorted(set(READERS + WRITERS)))
    plan = targets(sizes, requests=args.requests, only=args.only)
    last_claim = Claim.objects.aggregate(n=Max("id"))["n"] or 0
    last_activity = Activity.objects.aggregate(n=Max("id"))["n"] or 0
    port = free_port()
    load_before = os.getloadavg()
    server = start_gunicorn(port=port, workers=2, asgi=True, timeout=600)
    results: list[tuple[Target, list[Sample]]] = []
    try:
        for _ in range(3):  # first requests of each worker: connections, templates
            request_once(
                port, Target("warm-up", ["/bench/trivial/"], ["alice"]), 0, cookies["alice"]
            )
        for target in plan:
            started = time.perf_counter()
            samples = measure(
                port, target, cookies, requests=args.requests, budget_s=args.seconds_per_path
            )
            results.append((target, samples))
            print(
                f"  {target.name}: {len(samples)} requests in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # a worker still busy with a slow request
            server.kill()
            server.wait()
        cleanup_created(claim_id=last_claim, activity_id=last_activity)
    measured_s = time.perf_counter() - began - seeded_s
    load_after = os.getloadavg()

    text, worst, worst_name = table(results)
    out = io.StringIO()
    print(f"database: {sizes_line}", file=out)
    print(
        f"database set-up and seeding {seeded_s:.0f} s, measuring {measured_s:.0f} s "
        f"(gunicorn, 2 uvicorn workers; one request at a time, users rotating)",
        file=out,
    )
    # The machine may be shared: the load says how much of each time was waiting for a CPU.
    print(
        "load average (1, 5, 15 min) before measuring "
        + " ".join(f"{value:.2f}" for value in load_before)
        + f", after {' '.join(f'{value:.2f}' for value in load_after)} "
        + f"({os.cpu_count()} CPUs)",
        file=out,
    )
    print(text, file=out)
    print(
        "* a streamed download: time to the last byte at the client (Server-Timing stops "
        "when the stream starts)",
        file=out,
    )
    print(f"scale: worst p95 {worst:.0f} ms ({worst_name})", file=out)
    sys.stdout.write(out.getvalue())
    if any(not sample.ok for _, samples in results for sample in samples):
        sys.exit(1)


if __name__ == "__main__":
    main()
