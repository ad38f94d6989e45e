"""Moving claims to a new revision of an article's text (pure Python, no Django).

For every claim, in order (the first that succeeds wins):

1. **Unchanged**: the words under the claim survive the word-level diff of old and new text
   unchanged, so the claim keeps its quote at the mapped position.
2. **Exact quote with context**: the quote occurs verbatim in the new text (a moved or
   swapped paragraph); among several occurrences the context and the mapped position decide.
   An occurrence far from where the claim was is only taken when its context agrees, so a
   short quote never jumps onto a repetition elsewhere.
3. **Edited in place**: the diff maps the claim's first and last words onto new text that is
   still similar to the quote (a corrected number, a word, punctuation, quote marks).
4. **Approximate**: the best fuzzy match of the quote in the new text (rapidfuzz), scored by
   quote, prefix, suffix and position as the Hypothesis client weighs them (50 : 20 : 20 : 2).

Below the minimum scores a claim is an orphan: its sentence is gone, and it stays where it
was rather than landing on unrelated text.

The diff is rapidfuzz's Levenshtein opcodes over the two texts' words (C++, bit-parallel).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .anchoring import CONTEXT_LENGTH, AnchoringError, TextSelector, anchor, selector_at

__all__ = [
    "MIN_EDITED_SCORE",
    "MIN_FUZZY_SCORE",
    "OldAnchor",
    "Placement",
    "TextMap",
    "reanchor",
]

# Similarity (0-100) the text now under a claim must keep with its old quote to follow it.
MIN_EDITED_SCORE = 70.0
# Minimum quote similarity and weighted total for a fuzzy match anywhere in the text.
MIN_FUZZY_SCORE = 85.0
MIN_FUZZY_TOTAL = 0.7
# Context characters (of CONTEXT_LENGTH) that must agree before a verbatim quote away from
# the claim's old place is trusted.
MIN_CONTEXT_AGREEMENT = 50.0
# A verbatim quote at least this long is the same passage moved (a paragraph swapped across
# the diff's reach), even where its context changed on both sides.
MIN_MOVED_QUOTE_LENGTH = 24
# Hypothesis' weights: quote, prefix, suffix, position.
_WEIGHTS = (50.0, 20.0, 20.0, 2.0)

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class OldAnchor:
    """Where a claim stood in the old text."""

    claim_id: int
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    """Where a claim stands in the new text; ``selector`` is None for an orphan."""

    claim_id: int
    selector: TextSelector | None
    text_changed: bool
    method: str  # unchanged | exact | edited | fuzzy | orphaned

    @property
    def orphaned(self) -> bool:
        return self.selector is None


class TextMap:
    """Maps offsets of an old text onto a new text through a word-level diff."""

    def __init__(self, *, old_text: str, new_text: str) -> None:
        self.old_text = old_text
        self.new_text = new_text
        old_words = [(m.start(), m.end()) for m in _WORD.finditer(old_text)]
        new_words = [(m.start(), m.end()) for m in _WORD.finditer(new_text)]
        self._old_starts = [start for start, _ in old_words]
        self._old_words = old_words
        self._equal = [False] * len(old_words)
        self._start_of: list[int] = [0] * len(old_words)
        self._end_of: list[int] = [0] * len(old_words)
        ids: dict[str, int] = {}
        old_tokens = _token_ids(old_text, old_words, ids)
        new_tokens = _token_ids(new_text, new_words, ids)
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(old_tokens, new_tokens):
            self._map_block(tag, i1, i2, j1, j2, new_words)

    def _map_block(
        self, tag: str, i1: int, i2: int, j1: int, j2: int, new_words: Sequence[tuple[int, int]]
    ) -> None:
        length = len(self.new_text)
        for i in range(i1, i2):
            if tag == "equal":
                j = j1 + i - i1
                self._equal[i] = True
                self._start_of[i], self._end_of[i] = new_words[j]
            elif tag == "replace":
                j = j1 + (i - i1) * (j2 - j1) // (i2 - i1)
                self._start_of[i] = new_words[j1 if i == i1 else j][0]
                self._end_of[i] = new_words[j2 - 1 if i == i2 - 1 else j][1]
            else:  # delete: the word is gone, both edges collapse onto the gap
                self._start_of[i] = new_words[j1][0] if j1 < len(new_words) else length
                self._end_of[i] = new_words[j1 - 1][1] if j1 > 0 else 0

    def _word_at(self, offset: int) -> int | None:
        index = bisect.bisect_right(self._old_starts, offset) - 1
        if index < 0 or offset >= self._old_words[index][1]:
            return None
        return index

    def _first_word(self, start: int) -> int | None:
        index = bisect.bisect_left(self._old_starts, start)
        inside = self._word_at(start)
        return inside if inside is not None else (index if index < len(self._old_words) else None)

    def _last_word(self, end: int) -> int | None:
        index = self._word_at(end - 1)
        if index is not None:
            return index
        index = bisect.bisect_right(self._old_starts, end - 1) - 1
        return index if index >= 0 else None

    def map_span(self, *, start: int, end: int) -> tuple[int, int, bool]:
        """The new span for an old one, and whether every word in it is unchanged."""
        first, last = self._first_word(start), self._last_word(end)
        if first is None or last is None or last < first:
            return 0, 0, False
        new_start = self._start_of[first]
        new_end = self._end_of[last]
        if self._equal[first]:
            new_start += max(0, start - self._old_words[first][0])
        if self._equal[last]:
            new_end -= max(0, self._old_words[last][1] - end)
        unchanged = all(self._equal[first : last + 1])
        return new_start, max(new_start, new_end), unchanged

    def map_offset(self, offset: int) -> int:
        """A position hint: where an old offset would be in the new text."""
        first = self._first_word(offset)
        if first is None:
            return len(self.new_text)
        return self._start_of[first]


def _token_ids(text: str, words: Sequence[tuple[int, int]], ids: dict[str, int]) -> list[int]:
    """Words as small integers (the same word, the same id in both texts) for the C++ diff."""
    return [ids.setdefault(text[start:end], len(ids)) for start, end in words]


def reanchor(*, old_text: str, new_text: str, anchors: Sequence[OldAnchor]) -> list[Placement]:
    """Place every claim on the new text (or orphan it), one ``Placement`` per anchor."""
    text_map = TextMap(old_text=old_text, new_text=new_text)
    return [_place(text_map=text_map, old=old) for old in anchors]


def _place(*, text_map: TextMap, old: OldAnchor) -> Placement:
    new_text = text_map.new_text
    mapped_start, mapped_end, unchanged = text_map.map_span(start=old.start, end=old.end)
    if unchanged and new_text[mapped_start:mapped_end] == old.exact:
        selector = selector_at(text=new_text, start=mapped_start, end=mapped_end)
        return Placement(old.claim_id, selector, False, "unchanged")
    hint = mapped_start if mapped_end > mapped_start else text_map.map_offset(old.start)
    selector = _verbatim(old=old, text=new_text, hint=hint, mapped=(mapped_start, mapped_end))
    if selector is not None:
        return Placement(old.claim_id, selector, False, "exact")
    selector = _edited(old=old, text=new_text, mapped=(mapped_start, mapped_end))
    if selector is not None:
        return Placement(old.claim_id, selector, True, "edited")
    selector = _fuzzy(old=old, text=new_text, hint=hint)
    if selector is not None:
        return Placement(old.claim_id, selector, True, "fuzzy")
    return Placement(old.claim_id, None, True, "orphaned")


def _verbatim(
    *, old: OldAnchor, text: str, hint: int, mapped: tuple[int, int]
) -> TextSelector | None:
    # Only verbatim occurrences count here (anchor() would also try whitespace-collapsed text,
    # a copy of the whole article per claim; the canonical texts' whitespace is already regular).
    if old.exact not in text:
        return None
    try:
        selector = anchor(
            text=text, exact=old.exact, prefix=old.prefix, suffix=old.suffix, start=hint
        )
    except AnchoringError:
        return None
    overlaps = selector.start < mapped[1] and mapped[0] < selector.end
    if overlaps or len(old.exact.strip()) >= MIN_MOVED_QUOTE_LENGTH:
        return selector
    if _context_agreement(old=old, selector=selector) >= MIN_CONTEXT_AGREEMENT:
        return selector
    return None


def _context_agreement(*, old: OldAnchor, selector: TextSelector) -> float:
    """How well the context around a new place matches the claim's old context (0-100)."""
    scores = []
    if old.prefix.strip():
        scores.append(fuzz.ratio(old.prefix, selector.prefix))
    if old.suffix.strip():
        scores.append(fuzz.ratio(old.suffix, selector.suffix))
    # A quote that filled its whole block has no context to compare: its own text decides.
    return max(scores) if scores else 100.0


def _snap_to_words(*, text: str, start: int, end: int, widen: bool = True) -> tuple[int, int]:
    """Widen a span to whole words (unless ``widen`` is off) and trim whitespace at both ends."""
    while widen and start > 0 and not text[start - 1].isspace() and not text[start].isspace():
        start -= 1
    while widen and end < len(text) and not text[end].isspace() and not text[end - 1].isspace():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _edited(*, old: OldAnchor, text: str, mapped: tuple[int, int]) -> TextSelector | None:
    start, end = mapped
    if end <= start:
        return None
    # The diff already gives whole new words where the edge changed, partial ones where not.
    start, end = _snap_to_words(text=text, start=start, end=end, widen=False)
    if end <= start or fuzz.ratio(old.exact, text[start:end]) < MIN_EDITED_SCORE:
        return None
    return selector_at(text=text, start=start, end=end)


def _fuzzy(*, old: OldAnchor, text: str, hint: int) -> TextSelector | None:
    if len(old.exact.strip()) < 8 or not text:
        return None
    found = fuzz.partial_ratio_alignment(old.exact, text, score_cutoff=MIN_FUZZY_SCORE)
    if found is None:
        return None
    start, end = _snap_to_words(text=text, start=found.dest_start, end=found.dest_end)
    if end <= start:
        return None
    quote = fuzz.ratio(old.exact, text[start:end]) / 100
    prefix = fuzz.ratio(old.prefix, text[max(0, start - CONTEXT_LENGTH) : start]) / 100
    suffix = fuzz.ratio(old.suffix, text[end : end + CONTEXT_LENGTH]) / 100
    position = 1 - abs(start - hint) / max(len(text), 1)
    weights = _WEIGHTS
    total = (
        weights[0] * quote + weights[1] * prefix + weights[2] * suffix + weights[3] * position
    ) / sum(weights)
    if quote * 100 < MIN_FUZZY_SCORE or total < MIN_FUZZY_TOTAL:
        return None
    return selector_at(text=text, start=start, end=end)
