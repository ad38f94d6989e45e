"""Exporting claims: CSV for analysis, W3C Web Annotation JSON-LD for interchange.

Both formats stream: nothing holds all rows in memory, the first bytes go out before the
query has finished, and closing the generator (a client that disconnects, a broken pipe on
the command line) cancels the query.

CSV
    One SQL query builds every row (joins; tags aggregated with ``string_agg(... ORDER BY
    added_at, id)``; the kind of the block a claim starts in found with ``width_bucket`` over
    the article's cumulative block ends; spreadsheet-formula neutralisation and ISO 8601
    formatting done in SQL) and PostgreSQL writes it as CSV with ``COPY (...) TO STDOUT``.
    Python only turns each row's ``\\n`` terminator into ``\\r\\n`` (RFC 4180) and batches rows
    into ~64 KB chunks. Line breaks *inside* a quoted cell stay ``\\n``, as stored.

    Neutralisation (on unless ``raw``): a text cell starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading ``'`` (OWASP "CSV injection"), so a spreadsheet
    shows it as text instead of running it as a formula. Numbers, times and the permalink
    never start with one of those characters.

JSON-LD
    An ``AnnotationCollection`` whose embedded ``first`` page holds every annotation (one
    self-contained file): the claims, then the replies to them (motivation ``replying``,
    target the claim's annotation IRI; ``reply_json``). ``total`` and the page's ``partOf``
    come after the items, so the count is known without a second query. Rows come from
    streamed cursors (``size`` rows per round trip) and are serialised one by one. See
    ``annotation_json`` for the mapping.

Who sees what: the workspace's claims that are shared with the workspace, plus the private
claims of ``viewer_id`` (``annotations.access.visible_claims_q``). ``viewer_id=None`` exports
shared claims only (what the command line does without ``--as``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

import psycopg
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from psycopg import sql

from .access import visible_claims_sql

# The two CSV layouts share every column but the four about source tags (all of a claim's
# tags in one row, or one row per tag); the order is a contract.
_CLAIM_CELLS = (
    "claim_id",
    "article_id",
    "article_title",
    "article_url",
    "outlet",
    "language",
    "block_kind",
    "claim_text",
    "prefix",
    "suffix",
    "start",
    "end",
)
_CLAIM_CELLS_AFTER_TAGS = (
    "status",
    "note",
    "annotator",
    "workspace",
    "visibility",
    "replies",
    "created_at",
    "updated_at",
    "permalink",
    "anchor_status",
)
CLAIM_COLUMNS = (
    *_CLAIM_CELLS,
    "source_tags",
    "tag_outlets",
    "tag_cited",
    "anonymous_source",
    *_CLAIM_CELLS_AFTER_TAGS,
)
TAG_COLUMNS = (
    *_CLAIM_CELLS,
    "source_tag",
    "tag_outlet",
    "tag_cited",
    "tag_anonymous",
    *_CLAIM_CELLS_AFTER_TAGS,
)
LAYOUTS = ("claims", "tags")
FORMATS = ("csv", "jsonld")
TAG_SEPARATOR = "; "
# First characters that make a spreadsheet treat a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = b"\xef\xbb\xbf"
CHUNK_BYTES = 64 * 1024
JSONLD_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present"
JSONLD_CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@dataclass(frozen=True)
class ExportOptions:
    workspace_id: int
    workspace_slug: str
    viewer_id: int | None = None
    article_ids: tuple[int, ...] = ()
    # Only these claims (the API reads one annotation through the same mapping).
    claim_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    annotator_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    only_tagged: bool = True
    # Only the curated versions (after a blind round's curation).
    only_curated: bool = False
    layout: str = "claims"
    raw: bool = False
    excel: bool = False
    site_url: str = field(default_factory=lambda: settings.SITE_URL)

    def __post_init__(self):
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")

    def collection_id(self) -> str:
        """A stable IRI for a JSON-LD export: the download URL with these filters."""
        query: list[tuple[str, object]] = [("workspace", self.workspace_slug)]
        query += [("article", pk) for pk in sorted(self.article_ids)]
        query += [("tag", pk) for pk in sorted(self.tag_ids)]
        query += [("annotator", pk) for pk in sorted(self.annotator_ids)]
        query += [("status", status) for status in sorted(self.statuses)]
        if self.since:
            query.append(("since", self.since.isoformat()))
        if self.until:
            query.append(("until", self.until.isoformat()))
        if not self.only_tagged:
            query.append(("only_tagged", "0"))
        if self.only_curated:
            query.append(("curated", "1"))
        query.append(("format", "jsonld"))
        return f"{self.site_url}{reverse('annotations:export_download')}?{urlencode(query)}"


def filename(options: ExportOptions, *, fmt: str) -> str:
    scope = (
        f"article-{options.article_ids[0]}"
        if len(options.article_ids) == 1
        else options.workspace_slug
    )
    kind = "claim-tags" if options.layout == "tags" and fmt == "csv" else "claims"
    return f"sourcemark-{scope}-{kind}.{'csv' if fmt == 'csv' else 'jsonld'}"


# ------------------------------------------------------------------------------ SQL


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _claim_filters(options: ExportOptions) -> tuple[list[sql.Composable], dict]:
    """WHERE conditions on claims `c` selecting the exported claims (all values bound as
    parameters)."""
    where: list[sql.Composable] = [sql.SQL("c.workspace_id = %(workspace)s")]
    params: dict[str, object] = {"workspace": options.workspace_id}
    visible, visible_params = visible_claims_sql(viewer_id=options.viewer_id)
    where.append(visible)
    params.update(visible_params)
    if options.only_curated:
        where.append(sql.SQL("c.curated"))
    optional = [
        ("articles", options.article_ids, "c.article_id = ANY(%(articles)s)"),
        ("claims", options.claim_ids, "c.id = ANY(%(claims)s)"),
        ("annotators", options.annotator_ids, "c.author_id = ANY(%(annotators)s)"),
        ("statuses", options.statuses, "c.status = ANY(%(statuses)s)"),
    ]
    for name, values, condition in optional:
        if values:
            where.append(sql.SQL(condition))
            params[name] = list(values)
    if options.since:
        where.append(sql.SQL("c.created_at >= %(since)s"))
        params["since"] = _start_of_day(options.since)
    if options.until:
        where.append(sql.SQL("c.created_at < %(until)s"))
        params["until"] = _start_of_day(options.until + timedelta(days=1))
    if options.tag_ids:
        where.append(
            sql.SQL(
                "EXISTS (SELECT 1 FROM annotations_claimtag ft WHERE ft.claim_id = c.id "
                "AND ft.tag_id = ANY(%(tags)s))"
            )
        )
        params["tags"] = list(options.tag_ids)
    elif options.only_tagged:
        where.append(
            sql.SQL("EXISTS (SELECT 1 FROM annotations_claimtag ft WHERE ft.claim_id = c.id)")
        )
    return where, params


def _scope_claim_ids(options: ExportOptions) -> sql.Composable:
    """Claims the per-claim aggregates (tags, replies) need to look at: cheap conditions only."""
    query = sql.SQL("SELECT sc.id FROM annotations_claim sc WHERE sc.workspace_id = %(workspace)s")
    if options.article_ids:
        return query + sql.SQL(" AND sc.article_id = ANY(%(articles)s)")
    return query


def _block_kinds_join(options: ExportOptions) -> sql.Composable:
    # Per article: block kinds and cumulative block ends (code points into the canonical text,
    # blocks joined by "\n\n"), in position order. width_bucket(start, ends) is the number of
    # blocks ending at or before `start` = the block the claim starts in (capped at the last
    # block; a start in a separator belongs to the next block).
    article_filter = sql.SQL(" AND ba.id = ANY(%(articles)s)" if options.article_ids else "")
    return sql.SQL("""
    LEFT JOIN (
        SELECT s.article_id,
               array_agg(s.kind ORDER BY s.position) AS kinds,
               array_agg(s.end_at ORDER BY s.position) AS ends
        FROM (
            SELECT b.article_id, b.position, b.kind,
                   sum(char_length(b.text) + 2) OVER (
                       PARTITION BY b.article_id ORDER BY b.position
                   ) - 2 AS end_at
            FROM articles_block b
            JOIN articles_article ba ON ba.id = b.article_id
            WHERE ba.workspace_id = %(workspace)s{article_filter}
        ) s
        GROUP BY s.article_id
    ) bk ON bk.article_id = c.article_id""").format(article_filter=article_filter)


BLOCK_KIND_SQL = sql.SQL(
    "bk.kinds[least(width_bucket(c.start, bk.ends), cardinality(bk.ends) - 1) + 1]"
)


def _replies_join(options: ExportOptions) -> sql.Composable:
    return sql.SQL("""
    LEFT JOIN (
        SELECT r.claim_id, count(*) AS n
        FROM annotations_reply r
        WHERE r.claim_id IN ({scope})
        GROUP BY r.claim_id
    ) rp ON rp.claim_id = c.id""").format(scope=_scope_claim_ids(options))


def _tags_aggregate_join(options: ExportOptions, *, as_arrays: bool) -> sql.Composable:
    def agg(column: str) -> sql.Composable:
        if as_arrays:
            return sql.SQL("array_agg({} ORDER BY ct.added_at, ct.id)").format(
                sql.Identifier("t", column)
            )
        return sql.SQL("string_agg({}, {} ORDER BY ct.added_at, ct.id)").format(
            sql.Identifier("t", column), sql.Literal(TAG_SEPARATOR)
        )

    return sql.SQL("""
    LEFT JOIN (
        SELECT ct.claim_id,
               {labels} AS labels,
               {outlets} AS outlets,
               {cited} AS cited,
               bool_or(t.anonymous) AS anonymous
        FROM annotations_claimtag ct
        JOIN annotations_sourcetag t ON t.id = ct.tag_id
        WHERE t.workspace_id = %(workspace)s AND ct.claim_id IN ({scope})
        GROUP BY ct.claim_id
    ) tg ON tg.claim_id = c.id""").format(
        labels=agg("label"),
        outlets=agg("outlet"),
        cited=agg("cited"),
        scope=_scope_claim_ids(options),
    )


def _tag_rows_join(options: ExportOptions) -> sql.Composable:
    """Layout `tags`: one row per claim and tag (only the selected tags when filtering)."""
    condition = " AND ct.tag_id = ANY(%(tags)s)" if options.tag_ids else ""
    kind = "JOIN" if options.only_tagged or options.tag_ids else "LEFT JOIN"
    return sql.SQL("""
    {kind} (annotations_claimtag ct JOIN annotations_sourcetag t ON t.id = ct.tag_id)
        ON ct.claim_id = c.id{condition}""").format(
        kind=sql.SQL(kind),
        condition=sql.SQL(condition),
    )


COMMON_JOINS = sql.SQL("""
    FROM annotations_claim c
    JOIN articles_article a ON a.id = c.article_id
    JOIN auth_user u ON u.id = c.author_id
    JOIN workspaces_workspace w ON w.id = c.workspace_id""")

ORDER = sql.SQL('c.article_id, c.start, c."end", c.id')
ORIGINAL_REVISION_TIME_SQL = sql.SQL(
    "coalesce((SELECT r.imported_at FROM articles_articlerevision r"
    " WHERE r.article_id = c.article_id"
    " AND r.number = coalesce(c.original_text_version, c.text_version)), a.created_at)"
)
TAG_ROWS_ORDER = sql.SQL('c.article_id, c.start, c."end", c.id, ct.added_at, ct.id')


def _text(expression: sql.Composable, *, raw: bool) -> sql.Composable:
    """A text cell for COPY ... CSV: '' as NULL (written unquoted), formulas neutralised."""
    if raw:
        return sql.SQL("NULLIF({}, '')").format(expression)
    triggers = sql.SQL(", ").join(sql.Literal(ch) for ch in FORMULA_TRIGGERS)
    return sql.SQL(
        "CASE WHEN left({value}, 1) IN ({triggers}) THEN '''' || {value} "
        "ELSE NULLIF({value}, '') END"
    ).format(value=expression, triggers=triggers)


def _iso(column: sql.Composable) -> sql.Composable:
    return sql.SQL("""to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')""").format(
        column
    )


def select_claims(
    columns: Sequence[sql.Composable],
    *,
    joins: Sequence[sql.Composable],
    where: Sequence[sql.Composable],
    order: sql.Composable,
) -> sql.Composable:
    """SELECT columns FROM claims with their article, author and workspace, plus `joins`."""
    template = "SELECT {columns}{common}{joins}\n    WHERE {where}\n    ORDER BY {order}"
    return sql.SQL(template).format(
        columns=sql.SQL(",\n       ").join(columns),
        common=COMMON_JOINS,
        joins=sql.Composed(list(joins)),
        where=sql.SQL("\n      AND ").join(where),
        order=order,
    )


def _columns(*names: str) -> list[sql.Composable]:
    """`alias.column` references, given as "c.id"."""
    return [sql.Identifier(*name.split(".")) for name in names]


def _tag_cells(options: ExportOptions, *, text: Callable[[sql.Composable], sql.Composable]):
    """The tag join, the four tag cells and the ORDER BY of the chosen CSV layout."""
    if options.layout == "claims":
        cells = [
            *map(text, _columns("tg.labels", "tg.outlets", "tg.cited")),
            sql.SQL("CASE WHEN tg.anonymous THEN 'true' ELSE 'false' END"),
        ]
        return _tags_aggregate_join(options, as_arrays=False), cells, ORDER
    cells = [
        *map(text, _columns("t.label", "t.outlet", "t.cited")),
        sql.SQL("CASE WHEN t.anonymous THEN 'true' WHEN t.id IS NOT NULL THEN 'false' END"),
    ]
    return _tag_rows_join(options), cells, TAG_ROWS_ORDER


def csv_query(options: ExportOptions) -> tuple[sql.Composable, dict]:
    """The SELECT whose rows are the CSV rows (columns in CSV order), and its parameters."""
    where, params = _claim_filters(options)
    params["site"] = options.site_url

    def text(expression: sql.Composable) -> sql.Composable:
        return _text(expression, raw=options.raw)

    tag_join, tag_cells, order = _tag_cells(options, text=text)
    article_path = _article_path_around_id()
    cells = [
        *_columns("c.id", "c.article_id"),
        *map(text, _columns("a.title", "a.url", "a.outlet", "a.language")),
        text(BLOCK_KIND_SQL),
        *map(text, _columns("c.exact", "c.prefix", "c.suffix")),
        # An orphan has no place in the current text: empty start/end, its last text.
        *[
            sql.SQL("CASE WHEN c.anchor_status = 'orphaned' THEN NULL ELSE {} END").format(column)
            for column in _columns("c.start", "c.end")
        ],
        *tag_cells,
        *map(text, _columns("c.status", "c.note", "u.username", "w.slug", "c.visibility")),
        sql.SQL("coalesce(rp.n, 0)"),
        *map(_iso, _columns("c.created_at", "c.updated_at")),
        sql.SQL("%(site)s || {prefix} || c.article_id || {suffix} || c.id").format(
            prefix=sql.Literal(article_path[0]), suffix=sql.Literal(article_path[1] + "#claim-")
        ),
        sql.Identifier("c", "anchor_status"),
    ]
    joins = [tag_join, _block_kinds_join(options), _replies_join(options)]
    return select_claims(cells, joins=joins, where=where, order=order), params


def records_query(options: ExportOptions) -> tuple[sql.Composable, dict]:
    """Typed rows (one per claim, tags as arrays) for the JSON-LD export."""
    where, params = _claim_filters(options)
    columns = [
        *_columns(
            "c.id",
            "c.article_id",
            "a.title",
            "a.url",
            "a.language",
            "c.exact",
            "c.prefix",
            "c.suffix",
            "c.start",
            "c.end",
        ),
        sql.SQL("coalesce(tg.labels, '{}')"),
        *_columns("c.status", "c.note", "u.username", "c.created_at", "c.updated_at"),
        # The selectors as first highlighted, and when that revision of the text was imported.
        *_columns(
            "c.anchor_status",
            "c.original_exact",
            "c.original_prefix",
            "c.original_suffix",
            "c.original_start",
            "c.original_end",
        ),
        ORIGINAL_REVISION_TIME_SQL,
    ]
    joins = [_tags_aggregate_join(options, as_arrays=True)]
    return select_claims(columns, joins=joins, where=where, order=ORDER), params


def replies_query(options: ExportOptions) -> tuple[sql.Composable, dict]:
    """The replies to the exported claims (the same claims as records_query), in the claims'
    order and then as they were written."""
    where, params = _claim_filters(options)
    columns = [
        *_columns("r.id", "r.claim_id", "c.article_id", "r.body", "ru.username"),
        *_columns("r.created_at", "r.updated_at"),
    ]
    joins = [
        sql.SQL("""
    JOIN annotations_reply r ON r.claim_id = c.id
    JOIN auth_user ru ON ru.id = r.author_id""")
    ]
    order = sql.SQL('c.article_id, c.start, c."end", c.id, r.created_at, r.id')
    return select_claims(columns, joins=joins, where=where, order=order), params


def _render(connection, query: sql.Composable, params: dict) -> str:
    """Bind parameters client-side (COPY takes no server-side parameters)."""
    connection.ensure_connection()
    cursor = psycopg.ClientCursor(connection.connection)
    return cursor.mogrify(query, params)  # type: ignore[arg-type]  # any Composable works


def copy_statement(connection, query: sql.Composable, params: dict) -> sql.Composable:
    """`COPY (query) TO STDOUT` as CSV, with the parameters already bound."""
    bound = _render(connection, query, params)
    return sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(sql.SQL(bound))


# ------------------------------------------------------------------------------ CSV


def csv_header(layout: str) -> bytes:
    columns = CLAIM_COLUMNS if layout == "claims" else TAG_COLUMNS
    return (",".join(columns) + "\r\n").encode()


def iter_csv(options: ExportOptions, *, using: str = "default") -> Iterator[bytes]:
    """The CSV file as byte chunks: the header at once, then ~64 KB of rows at a time."""
    yield (UTF8_BOM if options.excel else b"") + csv_header(options.layout)
    connection = connections[using]
    query, params = csv_query(options)
    statement = copy_statement(connection, query, params)
    buffer = bytearray()
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        # PostgreSQL sends one CopyData message per row, ending in "\n" (never "\r\n").
        for row in copy:
            buffer += row[:-1]
            buffer += b"\r\n"
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


def neutralise(value: str) -> str:
    """What the CSV export does to a text cell unless `raw` (for tests and other writers)."""
    return "'" + value if value[:1] in FORMULA_TRIGGERS and value else value


# ------------------------------------------------------------------------------ JSON-LD


def iso8601(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def article_iri(site_url: str, article_id: int) -> str:
    return site_url + reverse("articles:detail", args=[article_id])


_ID_SENTINEL = 987654321


def _article_path_around_id() -> tuple[str, str]:
    """The article page's path split around its id ("/articles/", "/"), so SQL can build
    permalinks for every row from reverse() rather than a second copy of the URL."""
    before, _, after = reverse("articles:detail", args=[_ID_SENTINEL]).partition(str(_ID_SENTINEL))
    return before, after


def annotation_iri(site_url: str, article_id: int, claim_id: int) -> str:
    """A claim's IRI as a W3C Web Annotation: its article's annotation container (the `api`
    app, which serves it under the Web Annotation Protocol) plus one path component, as the
    protocol requires. An HTML request there is redirected to the claim's page."""
    return f"{site_url}/api/articles/{article_id}/annotations/{claim_id}"


def annotation_json(row: Sequence, *, site_url: str) -> dict:
    """One claim as a W3C Web Annotation.

    * ``id``: ``annotation_iri`` (served by the API); ``motivation`` ``assessing`` (claims
      are highlighted to be checked); ``creator`` a Person named by username;
      ``created``/``modified`` in UTC.
    * ``body``: the note as a ``TextualBody`` with purpose ``commenting`` (when there is
      one), each source tag (in the order added) as a ``TextualBody`` with purpose
      ``tagging`` whose value is the full label ("WSJ citing US officials": parsed outlet /
      cited parts are a Sourcemark interpretation, the label is what the reader wrote), and
      the status as a ``TextualBody`` with purpose ``assessing``.
    * ``target``: ``source`` is the article on this site (our copy, whose canonical text —
      blocks joined by a blank line — the selectors refer to; offsets count code points),
      described with its title and language, and with ``via`` the original article URL it was
      taken from (oa:via, when known). Selectors: ``TextQuoteSelector`` + ``TextPositionSelector``.
    """
    (
        claim_id,
        article_id,
        title,
        url,
        language,
        exact,
        prefix,
        suffix,
        start,
        end,
        labels,
        status,
        note,
        username,
        created_at,
        updated_at,
        *history,
    ) = row
    bodies = []
    if note:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain"}
        )
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": label} for label in labels]
    bodies.append({"type": "TextualBody", "purpose": "assessing", "value": status})
    source = {
        "id": article_iri(site_url, article_id),
        "type": "Text",
        "format": "text/html",
        "language": language,
        "title": title,
    }
    if url:
        source["via"] = iri_to_uri(url)
    anchor_status, original_exact, original_prefix, original_suffix, *original_place = history or (
        "anchored",
        "",
        "",
        "",
        None,
        None,
        created_at,
    )
    current = _selectors(
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        place=None if anchor_status == "orphaned" else (start, end),
    )
    original = _selectors(
        exact=original_exact or exact,
        prefix=original_prefix if original_exact else prefix,
        suffix=original_suffix if original_exact else suffix,
        place=(original_place[0], original_place[1]) if original_exact else (start, end),
    )
    return {
        "id": annotation_iri(site_url, article_id, claim_id),
        "type": "Annotation",
        "motivation": "assessing",
        "created": iso8601(created_at),
        "modified": iso8601(updated_at),
        "creator": {"type": "Person", "name": username, "nickname": username},
        "body": bodies,
        # The claim where it stands in the current revision, then as first highlighted, on the
        # article as it was then (TimeState: when that revision was imported).
        "target": [
            {"type": "SpecificResource", "source": source, "selector": current},
            {
                "type": "SpecificResource",
                "source": source,
                "selector": original,
                "state": {"type": "TimeState", "sourceDate": iso8601(original_place[2])},
            },
        ],
    }


def reply_iri(site_url: str, claim_id: int, reply_id: int) -> str:
    """A reply's IRI: where it is shown, on its claim's page (`#reply-<id>`)."""
    return f"{site_url}{reverse('annotations:detail', args=[claim_id])}#reply-{reply_id}"


def reply_json(row: Sequence, *, site_url: str) -> dict:
    """One reply as a W3C Web Annotation with motivation ``replying`` whose target is the
    claim's annotation (its IRI, as the model's replies do), the text as a TextualBody."""
    reply_id, claim_id, article_id, body, username, created_at, updated_at = row
    return {
        "id": reply_iri(site_url, claim_id, reply_id),
        "type": "Annotation",
        "motivation": "replying",
        "created": iso8601(created_at),
        "modified": iso8601(updated_at),
        "creator": {"type": "Person", "name": username, "nickname": username},
        "body": [
            {"type": "TextualBody", "purpose": "replying", "value": body, "format": "text/plain"}
        ],
        "target": annotation_iri(site_url, article_id, claim_id),
    }


def _selectors(*, exact: str, prefix: str, suffix: str, place: tuple[int, int] | None) -> list:
    quote = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    if place is None:
        return [quote]
    return [quote, {"type": "TextPositionSelector", "start": place[0], "end": place[1]}]


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def iter_jsonld(
    options: ExportOptions, *, label: str, using: str = "default", fetch_size: int = 500
) -> Iterator[bytes]:
    """An AnnotationCollection with one embedded AnnotationPage holding every annotation."""
    collection_id = options.collection_id()
    page_id = collection_id + "#page-0"
    site = options.site_url
    head = (
        "{\n"
        f'"@context":{_dumps(JSONLD_CONTEXT)},\n'
        f'"id":{_dumps(collection_id)},\n'
        '"type":"AnnotationCollection",\n'
        f'"label":{_dumps(label)},\n'
        f'"generator":{_dumps({"id": site + "/", "type": "Software", "name": "Sourcemark"})},\n'
        f'"first":{{"id":{_dumps(page_id)},"type":"AnnotationPage","startIndex":0,"items":['
    )
    yield head.encode()
    total = 0
    parts: list[str] = []
    size = 0
    # The claims, then the replies to them (each an annotation targeting its claim's).
    sources: list[tuple[tuple[sql.Composable, dict], Callable[..., dict]]] = [
        (records_query(options), annotation_json),
        (replies_query(options), reply_json),
    ]
    with connections[using].cursor() as cursor:
        for (query, params), to_json in sources:
            for row in cursor.stream(query, params, size=fetch_size):
                item = ("\n" if total == 0 else ",\n") + _dumps(to_json(row, site_url=site))
                total += 1
                parts.append(item)
                size += len(item)
                if size >= CHUNK_BYTES // 2:
                    yield "".join(parts).encode()
                    parts.clear()
                    size = 0
    part_of = {"id": collection_id, "total": total}
    tail = (
        "".join(parts)
        + f'\n],\n"partOf":{_dumps(part_of)}}},\n'
        + f'"last":{_dumps(page_id)},\n"total":{total}\n}}\n'
    )
    yield tail.encode()


def iter_export(options: ExportOptions, *, fmt: str, label: str = "") -> Iterator[bytes]:
    if fmt == "csv":
        return iter_csv(options)
    if fmt == "jsonld":
        return iter_jsonld(options, label=label or f"Claims in {options.workspace_slug}")
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")
