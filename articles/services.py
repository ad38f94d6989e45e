"""Writes for articles: importing text, fixing block kinds, re-segmenting, search indexing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .language import detect_language, search_config
from .models import Article, ArticleSource, Block, BlockKind
from .segmentation import Segment, classify_blocks, segment_text

MAX_TITLE_LENGTH = 500
SUPPORTED_LANGUAGES = {"de", "en"}
# Control characters other than tab/newline/carriage return/form feed mean "not a text file".
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Bytes that Windows-1252 leaves undefined: their presence means the file is in neither encoding.
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


class ArticleImportError(ValueError):
    """An import that cannot go ahead; the message is shown to the user as it is."""


@dataclass(frozen=True)
class ArticleDraft:
    """What an import would save: used by --dry-run and by the real import alike."""

    title: str
    language: str
    outlet: str
    url: str
    author: str
    segments: list[Segment]
    published_at: object = None


def max_upload_bytes() -> int:
    return settings.ARTICLE_UPLOAD_MAX_BYTES


def decode_text_file(*, data: bytes, max_bytes: int | None = None) -> str:
    """Bytes of a .txt upload → text. UTF-8 (with or without BOM) or Windows-1252, else an error."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise ArticleImportError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
        )
    if not data.strip():
        raise ArticleImportError("The file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ArticleImportError(
            "The file is UTF-16 encoded. Save it as UTF-8 (or Windows-1252) and try again."
        )
    if b"\x00" in data[:65536]:
        raise ArticleImportError("This looks like a binary file, not text. Upload a .txt file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if any(byte in _CP1252_UNDEFINED for byte in data):
            raise ArticleImportError(
                "The file's characters could not be read: it is neither UTF-8 nor Windows-1252. "
                "Save it as UTF-8 and try again."
            ) from None
        text = data.decode("cp1252")
    control = len(_BINARY_CONTROL.findall(text[:65536]))
    if control > max(2, len(text[:65536]) // 200):
        raise ArticleImportError("This looks like a binary file, not text. Upload a .txt file.")
    return text


def _clean_language(language: str, text: str) -> str:
    language = (language or "").strip().lower()
    if not language:
        return detect_language(text=text)
    if not re.fullmatch(r"[a-z]{2}", language):
        raise ArticleImportError("Language must be a two-letter code such as de or en.")
    return language


def draft_from_text(
    *, text: str, title: str = "", outlet: str = "", url: str = "", language: str = ""
) -> ArticleDraft:
    """Segment text into typed blocks and settle title and language, without saving."""
    if len(text.encode("utf-8")) > max_upload_bytes():
        raise ArticleImportError(
            f"The text is over the {max_upload_bytes() / 1_048_576:.0f} MB limit."
        )
    if not text.strip():
        raise ArticleImportError("There is no text to import.")
    if len(_BINARY_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise ArticleImportError("The text contains binary data, not an article.")
    lang = _clean_language(language, text)
    segments = segment_text(text=text, language=lang)
    if not segments:
        raise ArticleImportError("There is no text to import.")
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
) -> ArticleDraft:
    title = " ".join((title or "").split())
    if not title and segments and segments[0].kind == BlockKind.HEADLINE:
        title = segments[0].text
    if not title:
        raise ArticleImportError(
            "The article needs a title: its first line does not look like a headline, "
            "so please enter one."
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
    )


@transaction.atomic
def save_draft(*, draft: ArticleDraft, workspace, user, source: str) -> Article:
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
        Block(article=article, position=position, kind=segment.kind, text=segment.text)
        for position, segment in enumerate(draft.segments)
    )
    refresh_search_vector(article_id=article.pk)
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
    return save_draft(draft=draft, workspace=workspace, user=user, source=source)


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
def change_block_kind(*, block: Block, kind: str, user) -> Block:
    if kind not in BlockKind.values:
        raise ArticleImportError(f"Unknown block kind {kind!r}.")
    block = Block.objects.select_for_update().get(pk=block.pk)
    block.kind = kind
    block.kind_is_manual = True
    block.kind_changed_by = user
    block.kind_changed_at = timezone.now()
    block.save(update_fields=["kind", "kind_is_manual", "kind_changed_by", "kind_changed_at"])
    refresh_search_vector(article_id=block.article_id)
    return block


@transaction.atomic
def resegment_article(*, article: Article) -> int:
    """Classify the blocks again with the current rules; kinds fixed by hand stay as they are.

    Returns how many blocks changed kind.
    """
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
