"""Anchoring claims (highlighted quotes) to article text, and rendering them as marks.

An article is an ordered list of block texts (paragraphs, headings, ...). Its *canonical
text* is the block texts joined by ``CANONICAL_SEPARATOR``. Every stored offset refers to
that canonical text, so the separator must never change: changing it would silently move
every stored claim.

Claims are stored as W3C Web Annotation selectors:

* TextQuoteSelector: ``exact`` plus up to ``CONTEXT_LENGTH`` characters of ``prefix`` and
  ``suffix`` context;
* TextPositionSelector: ``start``/``end`` offsets into the canonical text, counted in
  Unicode code points (Python ``str`` indices). Browsers count UTF-16 code units, so
  ``utf16_to_codepoint_offset`` / ``codepoint_to_utf16_offset`` convert at the boundary.

``anchor`` is the server-side validation of a selection sent by the browser (which is
never trusted) and is also what re-anchoring uses after an article's text changed: the
quote is located in the current text, using the context and the old position only to
pick the best of several occurrences.

``render_blocks_html`` turns anchored (possibly overlapping) claims into escaped HTML with
nested ``<mark data-annotation-id="...">`` elements that never cross.

This module is pure Python on purpose (no Django), so it can be tested and fuzzed fast.
"""

from __future__ import annotations

import bisect
import html
import os.path
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "CANONICAL_SEPARATOR",
    "CONTEXT_LENGTH",
    "MAX_QUOTE_LENGTH",
    "AnchoringError",
    "MarkSpan",
    "TextSelector",
    "anchor",
    "block_offsets",
    "canonical_text",
    "codepoint_to_utf16_offset",
    "render_blocks_html",
    "selector_at",
    "utf16_to_codepoint_offset",
]

# Never change: stored offsets of every claim depend on it.
CANONICAL_SEPARATOR = "\n\n"
# Characters of context kept before/after a quote (the usual W3C/Hypothesis choice).
CONTEXT_LENGTH = 32
# Upper bound for a quote; also bounds the work a single request can cause.
MAX_QUOTE_LENGTH = 5000

# Occurrences of a quote that are compared at most. Only degenerate (highly repetitive)
# text gets near this; it bounds the time one request can take (str.find restarts cost
# up to the quote length each).
_MAX_CANDIDATES = 10_000

_MESSAGE_EMPTY = "Select some text first."
_MESSAGE_TOO_LONG = (
    f"The selection is too long. Please select at most {MAX_QUOTE_LENGTH:,} characters."
)
_MESSAGE_NOT_FOUND = (
    "The selected text could not be found in this article. "
    "The article may have changed since you opened it; please reload the page and try again."
)
_MESSAGE_OUT_OF_RANGE = "The selection is outside this article."
_MESSAGE_SPLIT_CHARACTER = "The selection starts or ends in the middle of a character."

# Same notion of whitespace as str.isspace()/str.strip(): re's \s uses the same table.
_WHITESPACE_RUN = re.compile(r"\s+")
# Attribute names we are willing to emit; anything else could break out of the tag.
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*\Z")
_ID_ATTRIBUTE = "data-annotation-id"


class AnchoringError(ValueError):
    """A selection cannot be anchored; ``str(error)`` is a user-facing English sentence."""


@dataclass(frozen=True)
class TextSelector:
    """A quote with context and its code point offsets into the canonical text."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class MarkSpan:
    """One claim's range (canonical code point offsets, end exclusive) to be rendered."""

    annotation_id: int
    start: int
    end: int


# --------------------------------------------------------------------------- blocks


def canonical_text(*, block_texts: Sequence[str]) -> str:
    """Join block texts with the fixed separator; all offsets refer to this string."""
    return CANONICAL_SEPARATOR.join(block_texts)


def block_offsets(*, block_texts: Sequence[str]) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of every block within the canonical text."""
    offsets: list[tuple[int, int]] = []
    position = 0
    for block_text in block_texts:
        offsets.append((position, position + len(block_text)))
        position += len(block_text) + len(CANONICAL_SEPARATOR)
    return offsets


# ------------------------------------------------------------------ UTF-16 offsets


def utf16_to_codepoint_offset(*, text: str, offset: int) -> int:
    """Convert a browser (UTF-16 code unit) offset into a Python (code point) offset.

    Raises ``AnchoringError`` if the offset is out of range or splits a surrogate pair.
    """
    # Encoding is done in C, which is much faster than walking the string in Python.
    encoded = text.encode("utf-16-le", "surrogatepass")
    if not 0 <= offset <= len(encoded) // 2:
        raise AnchoringError(_MESSAGE_OUT_OF_RANGE)
    head = encoded[: 2 * offset].decode("utf-16-le", "surrogatepass")
    # A split pair decodes to a lone high surrogate that differs from the real character.
    if head and head[-1] != text[len(head) - 1]:
        raise AnchoringError(_MESSAGE_SPLIT_CHARACTER)
    return len(head)


def codepoint_to_utf16_offset(*, text: str, offset: int) -> int:
    """Convert a Python (code point) offset into a browser (UTF-16 code unit) offset."""
    if not 0 <= offset <= len(text):
        raise AnchoringError(_MESSAGE_OUT_OF_RANGE)
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


# ------------------------------------------------------------------------ anchoring


def selector_at(*, text: str, start: int, end: int) -> TextSelector:
    """Derive quote and context from offsets (no trimming; see ``anchor`` for that)."""
    if start < 0 or end > len(text) or start > end:
        raise AnchoringError(_MESSAGE_OUT_OF_RANGE)
    if start == end:
        raise AnchoringError(_MESSAGE_EMPTY)
    return TextSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        start=start,
        end=end,
    )


def anchor(
    *,
    text: str,
    exact: str,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> TextSelector:
    """Locate a quote in ``text`` and return a clean selector derived from ``text``.

    Steps, in order:

    1. Reject empty/whitespace-only and over-long quotes.
    2. If the given offsets point at exactly ``exact``, use them.
    3. Otherwise look at every verbatim occurrence and pick the one whose surroundings
       best match ``prefix``/``suffix``; ties go to the occurrence closest to ``start``
       (then the earliest).
    4. If there is no verbatim occurrence, do the same on whitespace-collapsed text, so
       that a selection that differs only in whitespace (e.g. one newline where the
       canonical text has the block separator) still anchors.
    5. Trim whitespace at both ends, so stored quotes never start or end in a separator.

    The returned selector's exact/prefix/suffix are recomputed from ``text``; nothing
    the browser sent is stored verbatim.
    """
    if not exact.strip():
        raise AnchoringError(_MESSAGE_EMPTY)
    if len(exact) > MAX_QUOTE_LENGTH:
        raise AnchoringError(_MESSAGE_TOO_LONG)
    # Only the context next to the quote matters; capping it bounds the work per candidate.
    prefix = prefix[-CONTEXT_LENGTH:]
    suffix = suffix[:CONTEXT_LENGTH]
    hint_start, hint_end = _hint(start=start, end=end, length=len(exact))

    span: tuple[int, int] | None = None
    if (
        hint_start is not None
        and hint_end is not None
        and 0 <= hint_start <= hint_end <= len(text)
        and text[hint_start:hint_end] == exact
    ):
        span = (hint_start, hint_end)
    if span is None:
        span = _best_verbatim(text=text, exact=exact, prefix=prefix, suffix=suffix, hint=hint_start)
    if span is None:
        span = _best_whitespace_normalised(
            text=text, exact=exact, prefix=prefix, suffix=suffix, hint=hint_start
        )
    if span is None:
        raise AnchoringError(_MESSAGE_NOT_FOUND)

    clean_start, clean_end = _trim_whitespace(text=text, start=span[0], end=span[1])
    if clean_start == clean_end:  # pragma: no cover - exact has non-whitespace, see above
        raise AnchoringError(_MESSAGE_EMPTY)
    # A whitespace-normalised match can be longer than the quote in the original text.
    if clean_end - clean_start > MAX_QUOTE_LENGTH:
        raise AnchoringError(_MESSAGE_TOO_LONG)
    return selector_at(text=text, start=clean_start, end=clean_end)


def _hint(*, start: int | None, end: int | None, length: int) -> tuple[int | None, int | None]:
    """Complete a half-given position so either offset alone still helps."""
    if start is None and end is None:
        return None, None
    if start is None:
        assert end is not None
        return end - length, end
    if end is None:
        return start, start + length
    return start, end


def _common_prefix_length(first: str, second: str) -> int:
    return len(os.path.commonprefix([first, second]))


def _common_suffix_length(first: str, second: str) -> int:
    return len(os.path.commonprefix([first[::-1], second[::-1]]))


def _context_score(
    *,
    text: str,
    start: int,
    end: int,
    prefix: str,
    suffix: str,
    ignore_adjacent_whitespace: bool = False,
) -> int:
    """How many characters of context agree directly before and after an occurrence.

    With ``ignore_adjacent_whitespace`` (used on whitespace-collapsed text, where a run
    is one space) whitespace touching the quote is skipped on both sides, because
    whether the client counted it as part of the quote or of the context is arbitrary.
    """
    if ignore_adjacent_whitespace:
        prefix, suffix = prefix.rstrip(), suffix.lstrip()
        before = text[max(0, start - len(prefix) - 1) : start].rstrip()
        after = text[end : end + len(suffix) + 1].lstrip()
    else:
        before = text[max(0, start - len(prefix)) : start]
        after = text[end : end + len(suffix)]
    return _common_suffix_length(prefix, before) + _common_prefix_length(suffix, after)


def _best_occurrence(
    *,
    text: str,
    needle: str,
    prefix: str,
    suffix: str,
    hint: int | None,
    ignore_adjacent_whitespace: bool = False,
) -> int | None:
    """Start of the best occurrence of ``needle`` (overlapping ones included), or None.

    Only the first ``_MAX_CANDIDATES`` occurrences are considered.
    """
    best_key: tuple[int, int, int] | None = None
    best_start: int | None = None
    position = text.find(needle)
    candidates = 0
    while position != -1 and candidates < _MAX_CANDIDATES:
        candidates += 1
        score = _context_score(
            text=text,
            start=position,
            end=position + len(needle),
            prefix=prefix,
            suffix=suffix,
            ignore_adjacent_whitespace=ignore_adjacent_whitespace,
        )
        distance = abs(position - hint) if hint is not None else 0
        key = (-score, distance, position)
        if best_key is None or key < best_key:
            best_key, best_start = key, position
        position = text.find(needle, position + 1)
    return best_start


def _best_verbatim(
    *, text: str, exact: str, prefix: str, suffix: str, hint: int | None
) -> tuple[int, int] | None:
    found = _best_occurrence(text=text, needle=exact, prefix=prefix, suffix=suffix, hint=hint)
    return None if found is None else (found, found + len(exact))


def _collapse_whitespace(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; also return each new index's old index."""
    pieces: list[str] = []
    index_map: list[int] = []
    position = 0
    for match in _WHITESPACE_RUN.finditer(text):
        pieces.append(text[position : match.start()])
        index_map.extend(range(position, match.start()))
        pieces.append(" ")
        index_map.append(match.start())
        position = match.end()
    pieces.append(text[position:])
    index_map.extend(range(position, len(text)))
    return "".join(pieces), index_map


def _best_whitespace_normalised(
    *, text: str, exact: str, prefix: str, suffix: str, hint: int | None
) -> tuple[int, int] | None:
    needle = _WHITESPACE_RUN.sub(" ", exact).strip()
    normalised_text, index_map = _collapse_whitespace(text)
    normalised_hint = bisect.bisect_left(index_map, hint) if hint is not None else None
    found = _best_occurrence(
        text=normalised_text,
        needle=needle,
        prefix=_WHITESPACE_RUN.sub(" ", prefix),
        suffix=_WHITESPACE_RUN.sub(" ", suffix),
        hint=normalised_hint,
        ignore_adjacent_whitespace=True,
    )
    if found is None:
        return None
    # The needle starts and ends with non-whitespace, which maps to exactly one character.
    return index_map[found], index_map[found + len(needle) - 1] + 1


def _trim_whitespace(*, text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# ------------------------------------------------------------------------ rendering


class _OpenTags:
    """Builds (once per annotation id) the escaped opening tag for a claim's marks."""

    def __init__(
        self,
        mark_attrs: Callable[[int], dict[str, str]] | None,
        first_mark_attrs: Callable[[int], dict[str, str]] | None = None,
    ) -> None:
        self._mark_attrs = mark_attrs
        # Attributes only a claim's first piece gets (a tab stop, a number, a tooltip): with
        # heavy overlap a claim has dozens of pieces, and one tab stop per claim is enough.
        self._first_mark_attrs = first_mark_attrs
        self._cache: dict[int, str] = {}

    def __call__(self, annotation_id: int) -> str:
        tag = self._cache.get(annotation_id)
        if tag is None:
            tag = self._build(annotation_id)
            self._cache[annotation_id] = tag
            if self._first_mark_attrs is not None:
                return self._build(annotation_id, first=True)
        return tag

    def _build(self, annotation_id: int, *, first: bool = False) -> str:
        parts = [f'<mark {_ID_ATTRIBUTE}="{html.escape(str(annotation_id), quote=True)}"']
        extra = self._mark_attrs(annotation_id) if self._mark_attrs is not None else {}
        if first and self._first_mark_attrs is not None:
            extra = {**extra, **self._first_mark_attrs(annotation_id)}
        for name, value in extra.items():
            # Names cannot be escaped, only rejected; the id attribute is ours alone.
            if not _ATTRIBUTE_NAME.match(name) or name.lower() == _ID_ATTRIBUTE:
                raise ValueError(f"Invalid mark attribute name: {name!r}")
            parts.append(f' {name}="{html.escape(str(value), quote=True)}"')
        parts.append(">")
        return "".join(parts)


def render_blocks_html(
    *,
    block_texts: Sequence[str],
    spans: Sequence[MarkSpan],
    mark_attrs: Callable[[int], dict[str, str]] | None = None,
    first_mark_attrs: Callable[[int], dict[str, str]] | None = None,
) -> list[str]:
    """Render every block; a claim spanning several blocks gets marks in each of them.

    Each block is cut at every span boundary. A piece covered by claims is wrapped in one
    mark per covering claim, outermost = earliest start (then longest, then lowest id),
    and all of them are closed at the end of the piece, so tags can never cross. The
    work is O(n log n) in the number of spans plus the size of the output.
    """
    offsets = block_offsets(block_texts=block_texts)
    block_starts = [start for start, _ in offsets]
    spans_by_block: list[list[MarkSpan]] = [[] for _ in block_texts]
    for span in spans:
        if span.start >= span.end:
            continue
        # Visit only the blocks the span overlaps, not all blocks for every span.
        index = max(bisect.bisect_right(block_starts, span.start) - 1, 0)
        while index < len(offsets) and offsets[index][0] < span.end:
            if offsets[index][1] > span.start:
                spans_by_block[index].append(span)
            index += 1
    open_tag = _OpenTags(mark_attrs, first_mark_attrs)
    return [
        _render_block(
            block_text=block_text, block_start=start, spans=block_spans, open_tag=open_tag
        )
        for block_text, (start, _), block_spans in zip(
            block_texts, offsets, spans_by_block, strict=True
        )
    ]


def _render_block(
    *, block_text: str, block_start: int, spans: Sequence[MarkSpan], open_tag: _OpenTags
) -> str:
    block_end = block_start + len(block_text)
    # (local start, local end, nesting key) per span that overlaps this block.
    clipped: list[tuple[int, int, tuple[int, int, int, int]]] = []
    for order, span in enumerate(spans):
        local_start = max(span.start, block_start) - block_start
        local_end = min(span.end, block_end) - block_start
        if local_start < local_end:
            # The input position makes keys unique, so bisect can find each one again.
            key = (span.start, -span.end, span.annotation_id, order)
            clipped.append((local_start, local_end, key))
    if not clipped:
        return html.escape(block_text, quote=False)

    boundaries = sorted(
        {0, len(block_text)} | {s for s, _, _ in clipped} | {e for _, e, _ in clipped}
    )
    by_start = sorted(clipped, key=lambda item: item[0])
    by_end = sorted(clipped, key=lambda item: item[1])
    active: list[tuple[int, int, int, int]] = []  # nesting keys, outermost first
    open_stack: list[tuple[int, int, int, int]] = []  # marks currently open in the output
    next_start = next_end = 0
    out: list[str] = []
    for piece_start, piece_end in zip(boundaries, boundaries[1:], strict=False):
        while next_end < len(by_end) and by_end[next_end][1] <= piece_start:
            key = by_end[next_end][2]
            del active[bisect.bisect_left(active, key)]
            next_end += 1
        while next_start < len(by_start) and by_start[next_start][0] <= piece_start:
            bisect.insort(active, by_start[next_start][2])
            next_start += 1
        # Keep marks open across boundaries where the nesting allows it: close only what
        # ended or sits inside something that ended, then open what is new. A claim is
        # split into several marks only where it crosses another claim's edge.
        common = 0
        limit = min(len(open_stack), len(active))
        while common < limit and open_stack[common] == active[common]:
            common += 1
        if len(open_stack) > common:
            out.append("</mark>" * (len(open_stack) - common))
            del open_stack[common:]
        for key in active[common:]:
            out.append(open_tag(key[2]))
            open_stack.append(key)
        out.append(html.escape(block_text[piece_start:piece_end], quote=False))
    out.append("</mark>" * len(open_stack))
    return "".join(out)
