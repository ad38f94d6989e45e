"""HTML for an article's blocks, built in Python.

The reading page shows every block with its label, its text (later with claim marks) and, for
writers, a small form to fix the kind. Rendering that through the template engine cost ~1 ms per
block (bench/reading_page.py); string building with explicit escaping costs a few µs. Everything
user-provided goes through `escape`; nothing here trusts its input.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from .models import Block, BlockKind

BOILERPLATE_PREVIEW_LENGTH = 70


@dataclass(frozen=True)
class KindFormContext:
    """What every block's kind form shares on one page."""

    article_pk: int
    csrf_token: str

    def action(self, block_pk: int) -> str:
        return reverse("articles:change_block_kind", args=[self.article_pk, block_pk])


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _preview(text: str) -> str:
    if len(text) <= BOILERPLATE_PREVIEW_LENGTH:
        return text
    return text[: BOILERPLATE_PREVIEW_LENGTH - 1].rstrip() + "…"


MANUAL_KIND_TITLE = gettext_noop("Kind set by hand: re-segmentation keeps it")


def kind_form_html(*, block: Block, forms: KindFormContext, lang: str = "") -> str:
    action = _attr(forms.action(block.pk))
    options = "".join(
        f'<option value="{value}"{" selected" if value == block.kind else ""}>'
        f"{escape(str(label))}</option>"
        for value, label in BlockKind.choices
    )
    manual = (
        f'<span class="manual-flag" title="{_attr(gettext(MANUAL_KIND_TITLE))}">✎'
        f'<span class="visually-hidden"> {escape(gettext("set by hand"))}</span></span>'
        if block.kind_is_manual
        else ""
    )
    kind_label = _attr(gettext("Kind of this block"))
    return (
        f'<form class="kind-form"{lang} method="post" action="{action}" hx-post="{action}" '
        f'hx-trigger="change" hx-target="#block-{block.pk}" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_attr(forms.csrf_token)}">'
        f'<label class="visually-hidden" for="kind-{block.pk}">{kind_label}</label>'
        f'<select id="kind-{block.pk}" name="kind" class="kind-select" '
        f'title="{kind_label}">{options}</select>{manual}'
        f'<button type="submit" class="button button--small js-hide">{escape(gettext("Save"))}'
        "</button></form>"
    )


def block_html(
    *,
    block: Block,
    text_html: str | None = None,
    forms: KindFormContext | None = None,
    start_utf16: int | None = None,
    language: str = "",
) -> SafeString:
    """One block as HTML. `text_html` is already-escaped text (e.g. with claim marks).

    With `language` (the article's) the block carries it as `lang`, and the labels and kind
    menu inside, which are interface text, carry the interface's language."""
    text = escape(block.text, quote=False) if text_html is None else text_html
    kind = block.kind
    common = (
        f'id="block-{block.pk}" data-block-kind="{kind}" data-block-id="{block.pk}" '
        f'data-position="{block.position}"'
    )
    ui_lang = ""
    if language:
        common += f' lang="{_attr(language)}"'
        ui_lang = f' lang="{_attr(get_language() or "en")}"'
    form = kind_form_html(block=block, forms=forms, lang=ui_lang) if forms is not None else ""
    # data-start: where the block's text begins in the canonical text, in UTF-16 units, so the
    # highlighter can turn a DOM selection into canonical offsets.
    start_attr = "" if start_utf16 is None else f' data-start="{start_utf16}"'
    text_attrs = f'class="block-text" data-position="{block.position}"{start_attr}'
    if kind == BlockKind.BOILERPLATE:
        preview = escape(_preview(block.text), quote=False)
        return mark_safe(  # noqa: S308 - every piece above is escaped
            f'<details class="block block--boilerplate" {common}><summary>'
            f'<span class="block-label"{ui_lang}>{escape(str(BlockKind.BOILERPLATE.label))}</span> '
            f'<span class="block-preview">{preview}</span></summary>'
            f"<p {text_attrs}>{text}</p>{form}</details>"
        )
    label = (
        ""
        if kind == BlockKind.PARAGRAPH
        else (f'<span class="block-label"{ui_lang}>{escape(str(BlockKind(kind).label))}</span>')
    )
    classes = f"block block--{kind}"
    if kind == BlockKind.HEADLINE:
        title_id = ' id="article-title"' if block.position == 0 else ""
        body = f"<h1 {text_attrs}{title_id}>{text}</h1>"
    elif kind == BlockKind.PARAGRAPH and block.is_subheading:
        # still a paragraph (claims, exports and kinds treat it as one), shown as a subheading
        body = f"<h2 {text_attrs}>{text}</h2>"
        classes += " block--subheading"
        common += " data-subheading"
    else:
        body = f"<p {text_attrs}>{text}</p>"
    return mark_safe(  # noqa: S308 - every piece above is escaped
        f'<div class="{classes}" {common}>{label}{body}{form}</div>'
    )
