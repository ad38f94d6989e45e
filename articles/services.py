"""Writes for articles: importing text, fixing block kinds, re-segmenting, search indexing."""

from __future__ import annotations

import difflib
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from activity.models import ActivityVerb
from activity.services import record

from . import fetching
from .html_extraction import decode_html, extract_page
from .language import detect_language, search_config
from .limits import file_too_large_message, text_too_large_message, unpacked_too_large_message
from .models import Article, ArticleRevision, ArticleSource, Block, BlockKind, RevisionSource
from .segmentation import Segment, classify_blocks, segment_text
from .signals import article_imported, article_text_changed

# Blocks are joined with this into the text claims are anchored in (never changes; the same as
# annotations.anchoring.CANONICAL_SEPARATOR, which this app may not import).
CANONICAL_SEPARATOR = "\n\n"

MAX_TITLE_LENGTH = 500
SUPPORTED_LANGUAGES = {"de", "en"}
# Control characters other than tab/newline/carriage return/form feed mean "not a text file".
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Bytes that Windows-1252 leaves undefined: their presence means the file is in neither encoding.
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


class ArticleImportError(ValueError):
    """An import that cannot go ahead; the message is shown to the user as it is.

    ``transient`` marks a failure that may pass (network, timeout, a server error): a
    background import tries again later."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class ArticleDraft:
    """What an import would save: used by --dry-run and by the real import alike."""

    title: str
    language: str
    outlet: str
    url: str
    author: str
    segments: list[Segment]
    published_at: datetime | None = None
    # What the person should check after this import (e.g. a title that had to be guessed).
    warnings: tuple[str, ...] = ()


def max_upload_bytes() -> int:
    return settings.ARTICLE_UPLOAD_MAX_BYTES


def decode_text_file(*, data: bytes, max_bytes: int | None = None) -> str:
    """Bytes of a .txt upload → text. UTF-8 (with or without BOM) or Windows-1252, else an error."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise ArticleImportError(file_too_large_message(size=len(data), limit=limit))
    if not data.strip():
        raise ArticleImportError(gettext("The file is empty."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleImportError(
            gettext("The file is UTF-16 encoded. Save it as UTF-8 (or Windows-1252) and try again.")
        )
    if b"\x00" in data[:65536]:
        raise ArticleImportError(
            gettext("This looks like a binary file, not text. Upload a .txt file.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if any(byte in _CP1252_UNDEFINED for byte in data):
            raise ArticleImportError(
                gettext(
                    "The file's characters could not be read: it is neither UTF-8 nor "
                    "Windows-1252. Save it as UTF-8 and try again."
                )
            ) from None
        text = data.decode("cp1252")
    control = len(_BINARY_CONTROL.findall(text[:65536]))
    if control > max(2, len(text[:65536]) // 200):
        raise ArticleImportError(
            gettext("This looks like a binary file, not text. Upload a .txt file.")
        )
    return text


def _clean_language(language: str, text: str) -> str:
    language = (language or "").strip().lower()
    if not language:
        return detect_language(text=text)
    if not re.fullmatch(r"[a-z]{2}", language):
        raise ArticleImportError(gettext("Language must be a two-letter code such as de or en."))
    return language


def draft_from_text(
    *, text: str, title: str = "", outlet: str = "", url: str = "", language: str = ""
) -> ArticleDraft:
    """Segment text into typed blocks and settle title and language, without saving."""
    if len(text.encode("utf-8")) > max_upload_bytes():
        raise ArticleImportError(text_too_large_message(limit=max_upload_bytes()))
    if not text.strip():
        raise ArticleImportError(gettext("There is no text to import."))
    if len(_BINARY_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise ArticleImportError(gettext("The text contains binary data, not an article."))
    lang = _clean_language(language, text)
    segments = segment_text(text=text, language=lang)
    if not segments:
        raise ArticleImportError(gettext("There is no text to import."))
    return _settle_draft(
        segments=segments, title=title, outlet=outlet, url=url, language=lang, author=""
    )


def _settle_draft(
    *,
    segments: Sequence[Segment],
    title: str,
    outlet: str,
    url: str,
    language: str,
    author: str,
    published_at=None,
    fallback_title: str = "",
) -> ArticleDraft:
    title = " ".join((title or "").split())
    warnings: tuple[str, ...] = ()
    if not title and segments and segments[0].kind == BlockKind.HEADLINE:
        title = segments[0].text
    if not title and fallback_title:
        title = _guessed_title(segments) or fallback_title
        warnings = (
            gettext(
                "The page has no title; it was given the title “%(title)s”. "
                "Edit it on the article page."
            )
            % {"title": title},
        )
    if not title:
        raise ArticleImportError(
            gettext(
                "The article needs a title: its first line does not look like a headline, "
                "so please enter one."
            )
        )
    if len(title) > MAX_TITLE_LENGTH:
        title = title[: MAX_TITLE_LENGTH - 1].rstrip() + "…"
    return ArticleDraft(
        title=title,
        language=language,
        outlet=" ".join((outlet or "").split())[:200],
        url=(url or "").strip()[:2000],
        author=(author or "")[:300],
        segments=list(segments),
        published_at=published_at,
        warnings=warnings,
    )


_HEADING_LIKE_WORDS = 14


def _guessed_title(segments: Sequence[Segment]) -> str:
    """The first heading-like line of the body: short, not a sentence (no final period)."""
    for segment in segments[:6]:
        text = " ".join(segment.text.split())
        if segment.kind != BlockKind.PARAGRAPH or not text:
            continue
        if len(text.split()) <= _HEADING_LIKE_WORDS and not text.endswith((".", ",", ";", ":")):
            return text
    return ""


def _name_as_title(name: str) -> str:
    """A file's name or a page's address as a last-resort title ("my-page.html.gz" → "my-page")."""
    name = (name or "").strip()
    if is_web_address(name):
        return name[:MAX_TITLE_LENGTH]
    stem = re.split(r"[\\/]", name)[-1]
    stem = re.sub(r"(?:\.(?:html?|xhtml|txt))?(?:\.gz)?$", "", stem, flags=re.I)
    return stem or "Untitled article"


# --------------------------------------------------------------------------------------------
# HTML pages: uploaded files and URLs
# --------------------------------------------------------------------------------------------

# Tests swap in a fake DNS resolver here: fetching.Resolver, (host, port) -> IP strings.
fetch_resolver: fetching.Resolver | None = None


def max_html_bytes() -> int:
    return settings.ARTICLE_FETCH_MAX_BYTES


def decode_html_file(*, data: bytes, name: str = "") -> str:
    """Bytes of an .html/.htm/.xhtml file (gzipped when ``name`` ends in .gz) → text."""
    limit = max_html_bytes()
    if name.lower().endswith(".gz"):
        data = _gunzip(data, limit)
    if len(data) > limit:
        raise ArticleImportError(file_too_large_message(size=len(data), limit=limit))
    if not data.strip():
        raise ArticleImportError(gettext("The file is empty."))
    head = data[:1024].lstrip().lower()
    if b"\x00" in data[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleImportError(gettext("This looks like a binary file, not an HTML page."))
    return decode_html(body=data)


def _gunzip(data: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error:
        raise ArticleImportError(gettext("The file is not valid gzip data.")) from None
    if len(out) > limit:
        raise ArticleImportError(unpacked_too_large_message(limit=limit))
    return out


def _published_at(value: str) -> datetime | None:
    """An ISO date from the page's metadata → an aware datetime at midnight UTC."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _page_url(*candidates: str) -> str:
    for candidate in candidates:
        candidate = (candidate or "").strip()
        if re.match(r"https?://[^\s/]+", candidate, re.I) and len(candidate) <= 2000:
            return candidate
    return ""


def draft_from_html(
    *,
    html: str,
    url: str = "",
    title: str = "",
    outlet: str = "",
    language: str = "",
    page_url: str = "",
    name: str = "",
) -> ArticleDraft:
    """Extract a news page's typed blocks and metadata, without saving.

    ``url`` is where the page came from (used to resolve relative links and as the article's
    URL when the page names no canonical one); ``page_url`` overrides the article's URL;
    ``name`` is the file's name. A page without a title gets a guessed one (its first
    heading-like line, else the file name or address) and a warning in the draft.
    Only plain text is kept: no markup of the page survives into the blocks.
    """
    if len(html.encode("utf-8", "surrogatepass")) > 4 * max_html_bytes():
        raise ArticleImportError(gettext("The page is too large to import."))
    if not html.strip():
        raise ArticleImportError(gettext("The page is empty."))
    page = extract_page(html=html, url=url)
    segments = [Segment(s.kind, s.text, s.subheading) for s in page.segments]
    body = [s for s in segments if s.kind == BlockKind.PARAGRAPH]
    if not body:
        raise ArticleImportError(
            gettext(
                "No article text was found on this page. If it is an article, copy its text "
                "and paste it on the Import page instead."
            )
        )
    meta = page.metadata
    lang = _page_language(language, meta.language, body)
    return _settle_draft(
        segments=segments,
        title=title or meta.title,
        outlet=outlet or meta.site_name,
        url=_page_url(page_url, meta.canonical_url, url),
        language=lang,
        author=" ".join(meta.author.split()),
        published_at=_published_at(meta.published),
        fallback_title=_name_as_title(name or page_url or url or "Untitled article"),
    )


def _page_language(given: str, declared: str, body: Sequence[Segment]) -> str:
    """The language asked for, else the page's declared one, else detected from the body."""
    lang = (given or "").strip().lower()
    if not lang and re.fullmatch(r"[a-z]{2}", declared or ""):
        lang = declared
    return _clean_language(lang, "\n\n".join(s.text for s in body))


def fetch_page(*, url: str) -> fetching.FetchedPage:
    """Fetch a page for import with the safety limits of articles.fetching (SSRF and size)."""
    try:
        return fetching.fetch_url(
            url=url.strip(),
            allowed_addresses=frozenset(settings.ARTICLE_FETCH_ALLOWED_ADDRESSES),
            max_bytes=settings.ARTICLE_FETCH_MAX_BYTES,
            timeout=settings.ARTICLE_FETCH_TIMEOUT,
            max_redirects=5,
            resolver=fetch_resolver,
        )
    except fetching.FetchError as error:
        raise ArticleImportError(str(error), transient=error.transient) from None
    except ValueError:
        raise ArticleImportError(
            gettext("That is not a web address that can be fetched.")
        ) from None


def draft_from_url(
    *, url: str, title: str = "", outlet: str = "", language: str = ""
) -> ArticleDraft:
    """Fetch a news page by URL and extract it, without saving."""
    return draft_and_page_from_url(url=url, title=title, outlet=outlet, language=language)[0]


def draft_and_page_from_url(
    *, url: str, title: str = "", outlet: str = "", language: str = ""
) -> tuple[ArticleDraft, str]:
    """`draft_from_url`, and the page's HTML (kept as the revision's original document)."""
    page = fetch_page(url=url)
    html = decode_html(body=page.body, content_type_header=page.content_type)
    draft = draft_from_html(html=html, url=page.url, title=title, outlet=outlet, language=language)
    return draft, html


def import_url(
    *, workspace, user, url: str, title: str = "", outlet: str = "", language: str = ""
) -> Article:
    draft, html = draft_and_page_from_url(url=url, title=title, outlet=outlet, language=language)
    return save_draft(
        draft=draft, workspace=workspace, user=user, source=ArticleSource.URL, original=html
    )


# --------------------------------------------------------------------------------------------
# Which kind of source: one rule for the web form, the batch and the command line
# --------------------------------------------------------------------------------------------

_WEB_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://", re.I)
_HTML_FILE_NAME = re.compile(r"\.(?:html?|xhtml)(?:\.gz)?$", re.I)


def is_web_address(source: str) -> bool:
    """A source given as an address (``scheme://``) rather than a file; fetching refuses any
    scheme but http(s) with a clear message."""
    return bool(_WEB_ADDRESS.match(source))


def file_source(*, name: str) -> str | None:
    """What a file is, by its name: ``ArticleSource.HTML`` for a saved web page (.html, .htm,
    .xhtml, each also gzipped), ``ArticleSource.FILE`` for text (.txt), else ``None``."""
    if _HTML_FILE_NAME.search(name):
        return ArticleSource.HTML
    if name.lower().endswith(".txt"):
        return ArticleSource.FILE
    return None


def draft_from_file(
    *,
    data: bytes,
    name: str,
    title: str = "",
    outlet: str = "",
    language: str = "",
    url: str = "",
) -> tuple[ArticleDraft, str]:
    """A file's draft and its ``ArticleSource``, without saving; ``url`` is the article's URL."""
    source = file_source(name=name)
    if source == ArticleSource.HTML:
        html = decode_html_file(data=data, name=name)
        draft = draft_from_html(
            html=html, page_url=url, title=title, outlet=outlet, language=language, name=name
        )
        return draft, source
    if source == ArticleSource.FILE:
        text = decode_text_file(data=data)
        draft = draft_from_text(text=text, url=url, title=title, outlet=outlet, language=language)
        return draft, source
    if name.lower().endswith(".gz"):
        raise ArticleImportError(
            gettext("Only .html.gz files can be imported compressed; unpack other files first.")
        )
    raise ArticleImportError(gettext("Only .txt, .html and .htm files can be imported."))


def import_file(
    *,
    workspace,
    user,
    data: bytes,
    name: str,
    title: str = "",
    outlet: str = "",
    language: str = "",
) -> Article:
    draft, source = draft_from_file(
        data=data, name=name, title=title, outlet=outlet, language=language
    )
    return save_draft(
        draft=draft,
        workspace=workspace,
        user=user,
        source=source,
        original=_original_of(data=data, name=name, source=source),
    )


def _original_of(*, data: bytes, name: str, source: str) -> str:
    """The uploaded document as text, kept with the revision (already decoded once: valid)."""
    if source == ArticleSource.HTML:
        return decode_html_file(data=data, name=name)
    return decode_text_file(data=data)


@transaction.atomic
def save_draft(*, draft: ArticleDraft, workspace, user, source: str, original: str = "") -> Article:
    article = Article.objects.create(
        workspace=workspace,
        title=draft.title,
        outlet=draft.outlet,
        url=draft.url,
        author=draft.author,
        published_at=draft.published_at,
        language=draft.language,
        search_config=search_config(language=draft.language),
        source=source,
        created_by=user,
    )
    Block.objects.bulk_create(
        Block(
            article=article,
            position=position,
            kind=segment.kind,
            text=segment.text,
            is_subheading=segment.subheading,
        )
        for position, segment in enumerate(draft.segments)
    )
    _ensure_first_revision(
        article=article, blocks=list(article.blocks.order_by("position")), original=original
    )
    refresh_search_vector(article_id=article.pk)
    # Subscribers (e.g. suggestions in a higher app) hear of it once it is committed.
    transaction.on_commit(lambda: article_imported.send(sender=Article, article=article, user=user))
    return article


def import_text(
    *,
    workspace,
    user,
    text: str,
    title: str = "",
    outlet: str = "",
    url: str = "",
    language: str = "",
    source: str = ArticleSource.PASTE,
) -> Article:
    draft = draft_from_text(text=text, title=title, outlet=outlet, url=url, language=language)
    return save_draft(draft=draft, workspace=workspace, user=user, source=source, original=text)


def refresh_search_vector(*, article_id: int) -> None:
    """Index title (weight A) and body paragraphs/headline (weight B) in the article's language.

    Captions count a little (C); related teasers and boilerplate are not the article's text.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE articles_article a SET search_vector =
                setweight(to_tsvector(a.search_config::regconfig, a.title), 'A')
                || setweight(to_tsvector(a.search_config::regconfig, coalesce(a.outlet, '')), 'A')
                || setweight(to_tsvector(a.search_config::regconfig, coalesce((
                    SELECT string_agg(b.text, ' ' ORDER BY b.position) FROM articles_block b
                    WHERE b.article_id = a.id AND b.kind IN ('headline', 'paragraph')), '')), 'B')
                || setweight(to_tsvector(a.search_config::regconfig, coalesce((
                    SELECT string_agg(b.text, ' ' ORDER BY b.position) FROM articles_block b
                    WHERE b.article_id = a.id AND b.kind = 'caption'), '')), 'C')
            WHERE a.id = %s
            """,
            [article_id],
        )


@transaction.atomic
def rename_article(*, article: Article, title: str) -> Article:
    """Give an article a new title (whitespace collapsed; never empty)."""
    title = " ".join((title or "").split())
    if not title:
        raise ArticleImportError(gettext("The title cannot be empty."))
    if len(title) > MAX_TITLE_LENGTH:
        raise ArticleImportError(
            gettext("The title is longer than %(limit)s characters.") % {"limit": MAX_TITLE_LENGTH}
        )
    Article.objects.filter(pk=article.pk).update(title=title)
    article.title = title
    refresh_search_vector(article_id=article.pk)
    return article


@transaction.atomic
def change_block_kind(*, block: Block, kind: str, user) -> Block:
    """Fix a block's kind by hand (kept by re-segmentation), logged so readers refresh."""
    if kind not in BlockKind.values:
        raise ArticleImportError(gettext("Unknown block kind %(kind)r.") % {"kind": kind})
    article = block.article
    block = Block.objects.select_for_update().get(pk=block.pk)
    block.article = article
    block.kind = kind
    block.kind_is_manual = True
    block.kind_changed_by = user
    block.kind_changed_at = timezone.now()
    block.save(update_fields=["kind", "kind_is_manual", "kind_changed_by", "kind_changed_at"])
    refresh_search_vector(article_id=block.article_id)
    record(
        workspace_id=article.workspace_id,
        article_id=article.pk,
        actor=user,
        verb=ActivityVerb.BLOCK_KIND,
        summary=f"Block {block.position + 1} is now {block.get_kind_display().lower()}",
    )
    return block


# Imports whose block kinds come from articles.segmentation (the others' from a page's markup).
TEXT_SOURCES = (ArticleSource.PASTE, ArticleSource.FILE, ArticleSource.DEMO)


@transaction.atomic
def resegment_article(*, article: Article) -> int:
    """Classify a text import's blocks again with the current rules; kinds fixed by hand stay
    as they are. Returns how many blocks changed kind.
    """
    if article.source not in TEXT_SOURCES:
        raise ArticleImportError(gettext("Only articles imported as text can be segmented again."))
    blocks = list(article.blocks.select_for_update().order_by("position"))
    kinds = classify_blocks(blocks=[block.text for block in blocks], language=article.language)
    changed = []
    for block, kind in zip(blocks, kinds, strict=True):
        if not block.kind_is_manual and block.kind != kind:
            block.kind = kind
            changed.append(block)
    Block.objects.bulk_update(changed, ["kind"])
    if changed:
        refresh_search_vector(article_id=article.pk)
    return len(changed)


# --------------------------------------------------------------------------------------------
# Revisions: a new version of an article's text
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionResult:
    """What a new version did: ``revision`` is None when the text had not changed."""

    article: Article
    revision: ArticleRevision | None
    reanchored: int = 0
    orphaned: int = 0

    @property
    def changed(self) -> bool:
        return self.revision is not None


def _block_dicts(blocks: Sequence[Block]) -> list[dict]:
    return [
        {"kind": block.kind, "text": block.text, "kind_is_manual": block.kind_is_manual}
        for block in blocks
    ]


def _ensure_first_revision(
    *, article: Article, blocks: Sequence[Block], original: str = ""
) -> None:
    """Articles imported before revisions existed get their current text as a revision."""
    if article.revisions.filter(number=article.text_version).exists():
        return
    ArticleRevision.objects.create(
        article=article,
        number=article.text_version,
        blocks=_block_dicts(blocks),
        source=article.source,
        source_url=article.url,
        imported_by=article.created_by,
        imported_at=article.created_at,
        original=original,
    )


def _carry_kinds(*, old_blocks: Sequence[Block], segments: Sequence[Segment]) -> list[Block]:
    """New blocks; a kind a person fixed by hand stays on the block if its text is unchanged."""
    matcher = difflib.SequenceMatcher(
        None,
        [block.text for block in old_blocks],
        [segment.text for segment in segments],
        autojunk=False,
    )
    carried: dict[int, Block] = {}
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                carried[j1 + offset] = old_blocks[i1 + offset]
    new_blocks = []
    for position, segment in enumerate(segments):
        block = Block(position=position, kind=segment.kind, text=segment.text)
        old = carried.get(position)
        if old is not None and old.kind_is_manual:
            block.kind = old.kind
            block.kind_is_manual = True
            block.kind_changed_by_id = old.kind_changed_by_id
            block.kind_changed_at = old.kind_changed_at
        new_blocks.append(block)
    return new_blocks


@transaction.atomic
def create_revision(
    *,
    article: Article,
    segments: Sequence[Segment],
    user,
    source: str,
    source_url: str = "",
    file_name: str = "",
    original: str = "",
    summary: str = "",
) -> RevisionResult:
    """Make the given blocks the article's next revision, unless the text is the same.

    The old blocks are replaced (kinds fixed by hand carry over to unchanged blocks), the
    revision is kept with its metadata and original document, and ``article_text_changed``
    lets annotations move every claim, all in this one transaction.
    """
    segments = [segment for segment in segments if segment.text.strip()]
    if not segments:
        raise ArticleImportError(gettext("The new version has no text."))
    article = Article.objects.select_for_update().get(pk=article.pk)
    old_blocks = list(article.blocks.order_by("position"))
    if [block.text for block in old_blocks] == [segment.text for segment in segments]:
        return RevisionResult(article=article, revision=None)
    _ensure_first_revision(article=article, blocks=old_blocks)
    new_blocks = _carry_kinds(old_blocks=old_blocks, segments=segments)
    article.blocks.all().delete()
    for block in new_blocks:
        block.article = article
    Block.objects.bulk_create(new_blocks)
    article.text_version += 1
    article.save(update_fields=["text_version"])
    revision = ArticleRevision.objects.create(
        article=article,
        number=article.text_version,
        blocks=_block_dicts(new_blocks),
        source=source,
        source_url=source_url[:2000],
        file_name=file_name[:255],
        original=original,
        summary=summary[:300],
        imported_by=user,
        imported_at=timezone.now(),
    )
    refresh_search_vector(article_id=article.pk)
    counts = {"reanchored": 0, "orphaned": 0}
    responses = article_text_changed.send(
        sender=Article,
        article=article,
        revision=revision,
        old_text=CANONICAL_SEPARATOR.join(block.text for block in old_blocks),
        new_text=CANONICAL_SEPARATOR.join(block.text for block in new_blocks),
        user=user,
    )
    for _receiver, response in responses:
        if isinstance(response, dict):
            for key in counts:
                counts[key] += int(response.get(key, 0))
    record(
        workspace_id=article.workspace_id,
        article_id=article.pk,
        actor=user,
        verb=ActivityVerb.BLOCK_KIND,
        summary=f"Version {revision.number} of the article: {counts['reanchored']} claims "
        f"re-anchored, {counts['orphaned']} orphaned",
    )
    return RevisionResult(article=article, revision=revision, **counts)


def revise_from_draft(
    *,
    article: Article,
    draft: ArticleDraft,
    user,
    source: str,
    file_name: str = "",
    original: str = "",
) -> RevisionResult:
    return create_revision(
        article=article,
        segments=draft.segments,
        user=user,
        source=source,
        source_url=draft.url or article.url,
        file_name=file_name,
        original=original,
    )


def revise_from_text(*, article: Article, text: str, user) -> RevisionResult:
    """'Upload new version' with pasted text."""
    draft = draft_from_text(text=text, title=article.title, language=article.language)
    return revise_from_draft(
        article=article, draft=draft, user=user, source=RevisionSource.PASTE, original=text
    )


def revise_from_file(*, article: Article, data: bytes, name: str, user) -> RevisionResult:
    """'Upload new version' with a .txt or .html file."""
    draft, source = draft_from_file(
        data=data,
        name=name,
        title=article.title,
        outlet=article.outlet,
        language=article.language,
        url=article.url,
    )
    original = _original_of(data=data, name=name, source=source)
    return revise_from_draft(
        article=article,
        draft=draft,
        user=user,
        source=source,
        file_name=name,
        original=original,
    )


def check_for_updates(*, article: Article, user) -> RevisionResult:
    """Fetch the article's URL again (safe fetcher); a revision only if the text changed.

    The one place that fetches for a revision, so it can be run as a background job.
    """
    if not article.url:
        raise ArticleImportError(gettext("This article has no web address to check."))
    page = fetch_page(url=article.url)
    html = decode_html(body=page.body, content_type_header=page.content_type)
    draft = draft_from_html(
        html=html,
        url=page.url,
        title=article.title,
        outlet=article.outlet,
        language=article.language,
        page_url=article.url,
    )
    return revise_from_draft(
        article=article, draft=draft, user=user, source=ArticleSource.URL, original=html
    )


class DuplicateArticle(Exception):  # noqa: N818 - a decision to ask for, not an error
    """The workspace already has this article (same address, or same title for pasted text):
    the form asks whether the import is a new revision of it or a separate article."""

    def __init__(self, article: Article) -> None:
        super().__init__(article.title)
        self.article = article


def find_duplicate(*, workspace, draft: ArticleDraft, urls: Sequence[str] = ()) -> Article | None:
    """The workspace's article this draft is a version of: same address, else same title."""
    addresses = [url for url in (*urls, draft.url) if url]
    articles = Article.objects.filter(workspace=workspace)
    if addresses:
        found = articles.filter(url__in=addresses).order_by("-created_at").first()
        if found is not None:
            return found
    return articles.filter(title__iexact=draft.title).order_by("-created_at").first()


def article_with_address(*, workspace, url: str) -> Article | None:
    """The workspace's newest article from this address (its own URL or one it was imported
    or revised from), found before anything is fetched: importing it again may be a new
    revision of it."""
    return (
        Article.objects.filter(workspace=workspace)
        .filter(Q(url=url) | Q(revisions__source_url=url))
        .order_by("-created_at")
        .first()
    )


def save_or_revise(
    *,
    draft: ArticleDraft,
    workspace,
    user,
    source: str,
    choice: str = "",
    revision_of: str = "",
    urls: Sequence[str] = (),
    original: str = "",
) -> tuple[Article, RevisionResult | None]:
    """A web form's import: a new article, or — when the workspace has it already — what the
    person chose (``choice`` "revision" of ``revision_of``, or "new"); without a choice,
    ``DuplicateArticle`` asks for one."""
    if choice == "revision":
        article_id = _int(revision_of)
        article = (
            None
            if article_id is None
            else (Article.objects.filter(workspace=workspace, pk=article_id).first())
        )
        if article is None:
            raise ArticleImportError(gettext("That article is no longer in this workspace."))
        result = revise_from_draft(
            article=article, draft=draft, user=user, source=source, original=original
        )
        return result.article, result
    if choice != "new":
        duplicate = find_duplicate(workspace=workspace, draft=draft, urls=urls)
        if duplicate is not None:
            raise DuplicateArticle(duplicate)
    article = save_draft(
        draft=draft, workspace=workspace, user=user, source=source, original=original
    )
    return article, None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------------------------
# Fixing extraction while reading: each fix is a revision of its own (claims re-anchor)
# --------------------------------------------------------------------------------------------


def _current_segments(article: Article) -> list[Segment]:
    return [Segment(block.kind, block.text) for block in article.blocks.order_by("position")]


def _fix(*, article: Article, segments: list[Segment], user, summary: str) -> RevisionResult:
    return create_revision(
        article=article,
        segments=segments,
        user=user,
        source=RevisionSource.EDIT,
        summary=summary,
    )


def _segment_at(segments: Sequence[Segment], position: int) -> Segment:
    if not 0 <= position < len(segments):
        raise ArticleImportError(
            gettext("That block is no longer in the article; reload the page.")
        )
    return segments[position]


def split_block(*, article: Article, position: int, text: str, user) -> RevisionResult:
    """Split a block where the person put blank lines; the words must stay the same."""
    segments = _current_segments(article)
    block = _segment_at(segments, position)
    parts = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text or "")]
    parts = [part for part in parts if part]
    if " ".join(parts) != " ".join(block.text.split()):
        raise ArticleImportError(
            gettext("Only blank lines may be added to split a block; its words must stay the same.")
        )
    if len(parts) < 2:
        raise ArticleImportError(gettext("Put a blank line where the block should be split."))
    segments[position : position + 1] = [Segment(block.kind, part) for part in parts]
    return _fix(
        article=article,
        segments=segments,
        user=user,
        summary=f"Block {position + 1} split in {len(parts)}",
    )


def merge_with_next(*, article: Article, position: int, user) -> RevisionResult:
    segments = _current_segments(article)
    block = _segment_at(segments, position)
    following = _segment_at(segments, position + 1)
    segments[position : position + 2] = [Segment(block.kind, f"{block.text} {following.text}")]
    return _fix(
        article=article,
        segments=segments,
        user=user,
        summary=f"Blocks {position + 1} and {position + 2} merged",
    )


def delete_block(*, article: Article, position: int, user) -> RevisionResult:
    """Remove a junk block (claims on it become orphans, never deleted)."""
    segments = _current_segments(article)
    _segment_at(segments, position)
    if len(segments) == 1:
        raise ArticleImportError(gettext("The article's only block cannot be deleted."))
    del segments[position]
    return _fix(
        article=article, segments=segments, user=user, summary=f"Block {position + 1} deleted"
    )


def original_paragraphs(*, article: Article) -> list[str]:
    """The paragraphs of the stored original document (the latest revision that has one)."""
    revision = (
        article.revisions.exclude(original="")
        .order_by("-number")
        .only("original", "source")
        .first()
    )
    if revision is None:
        return []
    if revision.source in (ArticleSource.HTML, ArticleSource.URL):
        page = extract_page(html=revision.original, url=revision.source_url)
        return [s.text for s in page.segments]
    return [
        " ".join(part.split()) for part in re.split(r"\n\s*\n", revision.original) if part.strip()
    ]


def missing_paragraphs(*, article: Article) -> list[str]:
    """Paragraphs of the original that are not among the article's blocks."""
    present = {" ".join(text.split()) for text in article.blocks.values_list("text", flat=True)}
    return [text for text in original_paragraphs(article=article) if text not in present]


def add_from_original(*, article: Article, text: str, after: int, user) -> RevisionResult:
    """Add a paragraph the extraction missed; it must come from the stored original page."""
    if text not in missing_paragraphs(article=article):
        raise ArticleImportError(
            gettext("That paragraph is not in the stored original of the article.")
        )
    segments = _current_segments(article)
    if not -1 <= after < len(segments):
        raise ArticleImportError(
            gettext("That block is no longer in the article; reload the page.")
        )
    segments.insert(after + 1, Segment(BlockKind.PARAGRAPH, text))
    return _fix(
        article=article,
        segments=segments,
        user=user,
        summary=f"Paragraph added from the original after block {after + 1}",
    )
